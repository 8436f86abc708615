# Copyright (c) mmrazor_zs contributors. All rights reserved.
import pickle

import numpy as np
import pytest

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
        dict(type='OfflineCIFAR10', data_root=str(tmp_path),
             verify_md5=False))
    test = DATASETS.build(
        dict(type='OfflineCIFAR10', data_root=str(tmp_path), split='test',
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
