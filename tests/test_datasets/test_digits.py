# Copyright (c) mmrazor_zs contributors. All rights reserved.
import numpy as np
import pytest

from mmrazor_zs.registry import DATASETS


def test_digits_split_sizes_types_and_determinism():
    train = DATASETS.build(dict(type='Digits', split='train'))
    test = DATASETS.build(dict(type='Digits', split='test'))
    assert (len(train), len(test)) == (1347, 450)
    item = test.get_data_info(0)
    assert item['img'].shape == (32, 32, 1) and item['img'].dtype == np.uint8
    assert 0 <= item['gt_label'] < 10
    again = DATASETS.build(dict(type='Digits', split='test'))
    assert np.array_equal(
        again.get_data_info(7)['img'],
        test.get_data_info(7)['img'])
    labels = [test.get_data_info(i)['gt_label'] for i in range(len(test))]
    assert set(labels) == set(range(10))  # stratified
    assert test.metainfo['classes'][3] == '3'


def test_digits_pipeline_packs_inputs():
    test = DATASETS.build(
        dict(
            type='Digits',
            split='test',
            img_size=16,
            pipeline=[dict(type='mmpretrain.PackInputs')]))
    sample = test[0]
    assert tuple(sample['inputs'].shape) == (1, 16, 16)
    assert int(
        sample['data_samples'].gt_label) == test.get_data_info(0)['gt_label']


def test_digits_rejects_unknown_split():
    with pytest.raises(
            ValueError,
            match="`split` of Digits must be one of 'train' or 'test', "
            "but got 'val'"):
        DATASETS.build(dict(type='Digits', split='val'))
