# Copyright (c) mmrazor_zs contributors. All rights reserved.
import struct

import numpy as np
import pytest

from mmrazor_zs.registry import DATASETS

FILES = {
    'train': ('train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 6),
    'test': ('t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte', 4),
}


def write_idx(root):
    """The official idx layout: big-endian magic and sizes, then uint8."""
    rng = np.random.default_rng(0)
    for images_name, labels_name, count in FILES.values():
        images = rng.integers(0, 256, (count, 28, 28), dtype=np.uint8)
        labels = rng.integers(0, 10, count, dtype=np.uint8)
        with open(root / images_name, 'wb') as file:
            file.write(struct.pack('>IIII', 0x803, count, 28, 28))
            file.write(images.tobytes())
        with open(root / labels_name, 'wb') as file:
            file.write(struct.pack('>II', 0x801, count))
            file.write(labels.tobytes())


@pytest.mark.parametrize('kind', ['OfflineMNIST', 'OfflineFashionMNIST'])
def test_reads_idx_files(tmp_path, kind):
    write_idx(tmp_path)
    train = DATASETS.build(dict(type=kind, data_root=str(tmp_path)))
    test = DATASETS.build(
        dict(type=kind, data_root=str(tmp_path), split='test'))
    assert (len(train), len(test)) == (6, 4)
    item = test.get_data_info(0)
    assert item['img'].shape == (28, 28) and item['img'].dtype == np.uint8
    assert 0 <= int(item['gt_label']) < 10


def test_missing_files_are_named(tmp_path):
    with pytest.raises(FileNotFoundError) as err:
        DATASETS.build(dict(type='OfflineMNIST', data_root=str(tmp_path)))
    assert 't10k-labels-idx1-ubyte' in str(err.value)
    assert 'download=True' in str(err.value)
    assert 'tools/dataset_converters/prepare_mnist.py' in str(err.value)


def test_malformed_files_are_reported(tmp_path):
    write_idx(tmp_path)
    (tmp_path / 'train-images-idx3-ubyte').write_bytes(b'not an idx file')
    with pytest.raises(ValueError, match='not valid idx files'):
        DATASETS.build(dict(type='OfflineMNIST', data_root=str(tmp_path)))


@pytest.mark.parametrize('kind', ['OfflineMNIST', 'OfflineFashionMNIST'])
def test_unknown_split_is_refused(tmp_path, kind):
    write_idx(tmp_path)
    with pytest.raises(
            ValueError,
            match=f"`split` of {kind} must be one of 'train' or 'test', "
            "but got 'val'"):
        DATASETS.build(dict(type=kind, data_root=str(tmp_path), split='val'))
