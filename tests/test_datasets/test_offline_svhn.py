# Copyright (c) mmrazor_zs contributors. All rights reserved.
import numpy as np
import pytest
from scipy.io import savemat

from mmrazor_zs.registry import DATASETS


def official_arrays(count):
    """X uint8 (32, 32, 3, N) and y (N, 1) with labels 1..10 (10 = 0);
    image i has the value of its row in channel 0, of its column in
    channel 1 and i in channel 2, so its orientation can be checked."""
    rows, cols = np.meshgrid(np.arange(32), np.arange(32), indexing='ij')
    images = np.zeros((32, 32, 3, count), dtype=np.uint8)
    for i in range(count):
        images[:, :, 0, i] = rows
        images[:, :, 1, i] = cols
        images[:, :, 2, i] = i
    labels = (np.arange(count) % 10 + 1).astype(np.uint8)[:, None]
    return images, labels


def write_svhn(root, train=12, test=5):
    for name, count in (('train_32x32.mat', train), ('test_32x32.mat', test)):
        images, labels = official_arrays(count)
        savemat(root / name, {'X': images, 'y': labels})


def build(root, split='train'):
    return DATASETS.build(
        dict(type='OfflineSVHN', data_root=str(root), split=split))


def test_reads_the_official_layout(tmp_path):
    write_svhn(tmp_path)
    train, test = build(tmp_path), build(tmp_path, 'test')
    assert (len(train), len(test)) == (12, 5)
    assert train.metainfo['classes'] == tuple('0123456789')
    # y = 1..10, 1..2: label 10 is the digit 0
    labels = [train.get_data_info(i)['gt_label'] for i in range(12)]
    assert labels == [1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2]
    image = train.get_data_info(7)['img']
    assert image.shape == (32, 32, 3) and image.dtype == np.uint8
    # X[:, :, :, 7] is image 7, as H x W x C
    assert image[5, 9].tolist() == [5, 9, 7]
    assert image[31, 0].tolist() == [31, 0, 7]


def test_items_go_through_an_mmpretrain_pipeline(tmp_path):
    write_svhn(tmp_path)
    dataset = DATASETS.build(
        dict(
            type='OfflineSVHN',
            data_root=str(tmp_path),
            split='test',
            pipeline=[dict(type='mmpretrain.PackInputs')]))
    item = dataset[3]
    assert tuple(item['inputs'].shape) == (3, 32, 32)  # C x H x W
    assert int(item['inputs'][0, 4, 6]) == 4  # row
    assert int(item['inputs'][1, 4, 6]) == 6  # column
    assert item['data_samples'].gt_label.tolist() == [4]


def test_a_missing_file_says_what_to_put_where(tmp_path):
    write_svhn(tmp_path)
    (tmp_path / 'test_32x32.mat').unlink()
    assert len(build(tmp_path)) == 12  # the train split needs only its file
    with pytest.raises(FileNotFoundError) as err:
        build(tmp_path, 'test')
    message = str(err.value)
    assert str(tmp_path / 'test_32x32.mat') in message
    assert 'ufldl.stanford.edu/housenumbers' in message
    assert 'Nothing is downloaded' in message


def test_unknown_split_is_refused(tmp_path):
    with pytest.raises(
            ValueError,
            match="`split` of OfflineSVHN must be one of 'train' or "
            "'test', but got 'extra'"):
        build(tmp_path, 'extra')


def test_a_file_that_is_not_matlab_is_named(tmp_path):
    (tmp_path / 'train_32x32.mat').write_bytes(b'<html>not found</html>')
    with pytest.raises(ValueError) as err:
        build(tmp_path)
    assert str(tmp_path / 'train_32x32.mat') in str(err.value)
    assert 'not a MATLAB v5 file' in str(err.value)


@pytest.mark.parametrize('content, problem', [
    ({
        'Z': np.zeros(3)
    }, 'lacks the variable X or y'),
    ({
        'X': official_arrays(4)[0],
        'y': np.ones((3, 1), np.uint8)
    }, 'holds X uint8 (32, 32, 3, 4) and 3 labels'),
    ({
        'X': official_arrays(2)[0].transpose(3, 2, 0, 1),
        'y': np.ones((2, 1))
    }, 'holds X uint8 (2, 3, 32, 32)'),
    ({
        'X': official_arrays(2)[0],
        'y': np.array([[0], [3]])
    }, 'labels in 0..3'),
])
def test_a_file_with_another_layout_is_named(tmp_path, content, problem):
    savemat(tmp_path / 'train_32x32.mat', content)
    with pytest.raises(ValueError) as err:
        build(tmp_path)
    assert str(tmp_path / 'train_32x32.mat') in str(err.value)
    assert problem in str(err.value)
    assert 'official layout' in str(err.value)
