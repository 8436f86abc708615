# Copyright (c) mmrazor_zs contributors. All rights reserved.
import os.path as osp
import pickle
import struct

import numpy as np
import pytest
from mmengine.config import Config

from mmrazor_zs.registry import DATASETS


def write_fake_cifar10(root, per_batch=3):
    """The official python-batch layout with a few random images."""
    folder = root / 'cifar-10-batches-py'
    folder.mkdir(parents=True)
    rng = np.random.default_rng(0)
    names = [f'data_batch_{i}' for i in range(1, 6)] + ['test_batch']
    for name in names:
        batch = {
            'data': rng.integers(0, 256, (per_batch, 3072), dtype=np.uint8),
            'labels': rng.integers(0, 10, per_batch).tolist(),
        }
        with open(folder / name, 'wb') as file:
            pickle.dump(batch, file)
    with open(folder / 'batches.meta', 'wb') as file:
        pickle.dump({'label_names': [f'c{i}' for i in range(10)]}, file)
    return folder


def test_reads_official_batches_without_download(tmp_path):
    write_fake_cifar10(tmp_path)
    train = DATASETS.build(
        dict(type='OfflineCIFAR10', data_root=str(tmp_path), verify_md5=False))
    test = DATASETS.build(
        dict(
            type='OfflineCIFAR10',
            data_root=str(tmp_path),
            split='test',
            verify_md5=False))
    assert (len(train), len(test)) == (15, 3)
    assert train.get_data_info(0)['img'].shape == (32, 32, 3)


def test_missing_folder_says_what_to_put_where(tmp_path):
    with pytest.raises(FileNotFoundError) as err:
        DATASETS.build(dict(type='OfflineCIFAR10', data_root=str(tmp_path)))
    message = str(err.value)
    assert 'cifar-10-python.tar.gz' in message
    assert 'data_batch_1' in message and 'download=True' in message


def test_files_that_are_not_official_are_reported(tmp_path):
    write_fake_cifar10(tmp_path)
    with pytest.raises(ValueError, match='not the official CIFAR-10 file'):
        DATASETS.build(dict(type='OfflineCIFAR10', data_root=str(tmp_path)))


class Py2Pickler(pickle._Pickler):
    """Writes ``bytes`` as Python 2 ``str`` (BINSTRING), as the official CIFAR
    pickles do: they load with ``b'data'`` keys under ``encoding='bytes'`` and
    with ``'data'`` under mmpretrain's ``encoding='latin1'``."""
    dispatch = dict(pickle._Pickler.dispatch)

    def save_py2_str(self, obj):
        self.write(pickle.BINSTRING + struct.pack('<i', len(obj)) + obj)
        self.memoize(obj)

    dispatch[bytes] = save_py2_str


def fine_labels(split, count):
    return [(99 - 7 * i if split == 'train' else 40 + i) for i in range(count)]


def write_fake_cifar100(root, train=6, test=4):
    """The official ``cifar-100-python`` layout: ``train`` and ``test`` hold
    b'data' (uint8 N x 3072, each row the R, G, B planes of a 32 x 32 image),
    b'fine_labels', b'coarse_labels' and b'filenames'; ``meta`` holds
    b'fine_label_names' and b'coarse_label_names'.

    Image i has its row in channel 0, its column in channel 1 and i in channel
    2.
    """
    folder = root / 'cifar-100-python'
    folder.mkdir(parents=True)
    rows, cols = np.meshgrid(np.arange(32), np.arange(32), indexing='ij')
    for split, count in (('train', train), ('test', test)):
        images = np.stack([
            np.stack([rows, cols, np.full_like(rows, i)]) for i in range(count)
        ]).astype(np.uint8)  # N x C x H x W
        fine = fine_labels(split, count)
        batch = {
            b'data': images.reshape(count, 3072),
            b'fine_labels': fine,
            b'coarse_labels': [label // 5 for label in fine],
            b'filenames': [f'{split}_{i}.png'.encode() for i in range(count)],
        }
        with open(folder / split, 'wb') as file:
            Py2Pickler(file, protocol=2).dump(batch)
    meta = {
        b'fine_label_names': [f'fine{i}'.encode() for i in range(100)],
        b'coarse_label_names': [f'coarse{i}'.encode() for i in range(20)],
    }
    with open(folder / 'meta', 'wb') as file:
        Py2Pickler(file, protocol=2).dump(meta)
    return folder


def build_cifar100(root, **kwargs):
    return DATASETS.build(
        dict(type='OfflineCIFAR100', data_root=str(root), **kwargs))


def test_cifar100_reads_images_and_fine_labels(tmp_path):
    write_fake_cifar100(tmp_path)
    train = build_cifar100(tmp_path, verify_md5=False)
    test = build_cifar100(tmp_path, split='test', verify_md5=False)
    assert (len(train), len(test)) == (6, 4)
    assert train.get_gt_labels().tolist() == fine_labels('train', 6)
    assert test.get_gt_labels().tolist() == fine_labels('test', 4)
    image = train.get_data_info(5)['img']
    assert image.shape == (32, 32, 3) and image.dtype == np.uint8
    # row 5 of `data` is image 5, its C x H x W planes as H x W x C
    assert image[5, 9].tolist() == [5, 9, 5]
    assert image[31, 0].tolist() == [31, 0, 5]


def test_cifar100_classes_come_from_meta(tmp_path):
    write_fake_cifar100(tmp_path)
    dataset = build_cifar100(tmp_path, split='test', verify_md5=False)
    assert dataset.metainfo['classes'] == tuple(f'fine{i}' for i in range(100))
    names = tuple(f'n{i}' for i in range(100))
    dataset = build_cifar100(
        tmp_path, split='test', verify_md5=False, metainfo=dict(classes=names))
    assert dataset.metainfo['classes'] == names  # given names win


def test_cifar100_missing_file_says_what_to_put_where(tmp_path):
    with pytest.raises(FileNotFoundError, match='cifar-100-python.tar.gz'):
        build_cifar100(tmp_path)
    folder = write_fake_cifar100(tmp_path)
    (folder / 'meta').unlink()
    with pytest.raises(FileNotFoundError) as err:
        build_cifar100(tmp_path, split='test', verify_md5=False)
    message = str(err.value)
    assert message.startswith(f"CIFAR-100 is not in {folder}: missing "
                              "['meta'].")
    assert 'https://www.cs.toronto.edu/~kriz/cifar-100-python.tar.gz' in (
        message)
    assert 'holds train, test and meta' in message
    assert 'download=True' in message


def test_cifar100_files_that_are_not_official_are_reported(tmp_path):
    folder = write_fake_cifar100(tmp_path)
    with pytest.raises(ValueError) as err:
        build_cifar100(tmp_path)
    assert str(err.value).startswith(
        f'{folder / "train"} is not the official CIFAR-100 file (md5 '
        'mismatch)')
    assert 'verify_md5=False' in str(err.value)


@pytest.mark.parametrize('config, loader, split', [
    ('cifar100.py', 'val_dataloader', 'test'),
    ('cifar100.py', 'test_dataloader', 'test'),
    ('cifar100_train.py', 'train_dataloader', 'train'),
])
def test_cifar100_configs_build_their_dataset(tmp_path, repo_root, config,
                                              loader, split):
    write_fake_cifar100(tmp_path)
    cfg = Config.fromfile(
        osp.join(repo_root, 'configs', '_base_', 'datasets', config))
    assert cfg.data_preprocessor.num_classes == 100
    assert cfg.data_preprocessor.mean == [129.304, 124.070, 112.434]
    dataset_cfg = cfg[loader].dataset
    assert (dataset_cfg.type, dataset_cfg.split,
            dataset_cfg.data_root) == ('OfflineCIFAR100', split,
                                       'data/cifar100')
    assert 'download' not in dataset_cfg
    dataset_cfg.update(data_root=str(tmp_path), verify_md5=False)
    dataset = DATASETS.build(dataset_cfg)
    assert len(dataset) == {'train': 6, 'test': 4}[split]
    item = dataset[2]
    assert tuple(item['inputs'].shape) == (3, 32, 32)
    assert item['data_samples'].gt_label.tolist() == [fine_labels(split, 3)[2]]
