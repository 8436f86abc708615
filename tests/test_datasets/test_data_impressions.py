# Copyright (c) mmrazor_zs contributors. All rights reserved.
import os

import numpy as np
import pytest
import torch

from mmrazor_zs.models.synthesizers.impression_synthesis import (
    synthesis_settings, synthesize_impressions, teacher_fingerprint)
from mmrazor_zs.registry import DATASETS, MODELS, TRANSFORMS
from mmrazor_zs.storage import ShardStoreError
from mmrazor_zs.testing import tiny_classifier_cfg
from mmrazor_zs.utils import PixelSpace


@pytest.fixture(scope='module')
def impressions(tmp_path_factory):
    """A two-shard-per-class fixture made by the real synthesis."""
    folder = tmp_path_factory.mktemp('di')
    torch.manual_seed(0)
    teacher = MODELS.build(tiny_classifier_cfg((6, 12, 24))).eval()
    ckpt = folder / 'teacher.pth'
    torch.save({'state_dict': teacher.state_dict()}, ckpt)
    other = folder / 'other.pth'
    torch.save({'state_dict': teacher.state_dict(), 'x': 1}, other)
    synthesize_impressions(
        teacher,
        synthesis_settings(
            # tau 1: the tiny teacher's logits are small, and at tau 20
            # its labels would not see the rounding of the images to uint8
            dict(
                input_shape=(1, 32, 32),
                per_class=2,
                shard_size=1,
                iterations=2,
                tau=1.0)),
        PixelSpace([77.8], [82.5]),
        str(folder / 'set'),
        teacher_fingerprint(str(ckpt)),
        show_progress=False)
    return folder


def test_items_keys_dtype_and_soft_labels(impressions):
    dataset = DATASETS.build(
        dict(
            type='DataImpressions',
            data_root=str(impressions / 'set'),
            teacher_ckpt=str(impressions / 'teacher.pth')))
    assert len(dataset) == 20
    item = dataset.get_data_info(0)
    assert item['img'].dtype == np.uint8 and item['img'].shape == (32, 32, 1)
    assert item['gt_score'].shape == (10, )
    assert item['gt_score'].sum() == pytest.approx(1, abs=1e-5)
    assert {dataset.get_data_info(i)['beta'] for i in range(20)} == {1.0, 0.1}


def test_soft_label_is_the_teachers_on_the_stored_image(impressions):
    """The label is the teacher's softmax at tau on the uint8 image as stored
    (and trained on), not on the float image before rounding."""
    dataset = DATASETS.build(
        dict(type='DataImpressions', data_root=str(impressions / 'set')))
    teacher = MODELS.build(tiny_classifier_cfg((6, 12, 24))).eval()
    teacher.load_state_dict(
        torch.load(impressions / 'teacher.pth')['state_dict'])
    items = [dataset.get_data_info(i) for i in range(len(dataset))]
    images = torch.from_numpy(np.stack([item['img'] for item in items]))
    inputs = (images.permute(0, 3, 1, 2).float() - 77.8) / 82.5
    with torch.no_grad():
        expected = torch.softmax(teacher(inputs, mode='tensor') / 1.0, 1)
    labels = torch.from_numpy(np.stack([item['gt_score'] for item in items]))
    assert torch.allclose(labels, expected, rtol=0, atol=1e-6)


def test_packed_sample_carries_the_soft_label(impressions):
    dataset = DATASETS.build(
        dict(
            type='DataImpressions',
            data_root=str(impressions / 'set'),
            pipeline=[dict(type='mmpretrain.PackInputs')]))
    sample = dataset[3]
    assert tuple(sample['inputs'].shape) == (1, 32, 32)
    assert sample['data_samples'].gt_score.shape == (10, )


def test_refuses_another_teacher_missing_and_incomplete(impressions, tmp_path):
    with pytest.raises(ShardStoreError, match='another teacher'):
        DATASETS.build(
            dict(
                type='DataImpressions',
                data_root=str(impressions / 'set'),
                teacher_ckpt=str(impressions / 'other.pth')))
    with pytest.raises(ShardStoreError, match='manifest.json is missing'):
        DATASETS.build(dict(type='DataImpressions', data_root=str(tmp_path)))
    import shutil
    shutil.copytree(impressions / 'set', tmp_path / 'copy')
    os.remove(tmp_path / 'copy' / 'shard_00003.pth')
    with pytest.raises(ShardStoreError, match='incomplete'):
        DATASETS.build(
            dict(type='DataImpressions', data_root=str(tmp_path / 'copy')))
    # format 1 labelled the images before their rounding to uint8
    shutil.copytree(impressions / 'set', tmp_path / 'old')
    path = tmp_path / 'old' / 'shard_00003.pth'
    torch.save(dict(torch.load(path), format_version=1), path)
    with pytest.raises(
            ShardStoreError,
            match='shard_00003.pth is not usable: format version '
            '1. Delete it'):
        DATASETS.build(
            dict(type='DataImpressions', data_root=str(tmp_path / 'old')))


def test_noise_transforms_keep_uint8_images():
    img = np.full((8, 8, 1), 128, dtype=np.uint8)
    for cfg in (dict(type='GaussianNoise', std=20, prob=1.0),
                dict(type='SaltPepperNoise', amount=0.5, prob=1.0)):
        out = TRANSFORMS.build(cfg)(dict(img=img.copy()))['img']
        assert out.dtype == np.uint8 and out.shape == img.shape
        assert not np.array_equal(out, img)
    same = TRANSFORMS.build(dict(type='GaussianNoise', prob=0.0))
    assert np.array_equal(same(dict(img=img.copy()))['img'], img)
