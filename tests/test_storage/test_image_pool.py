# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""The image pool: atomic, hash-checked shards per (round, rank), on the shard-
store core."""
import os

import pytest
import torch

from mmrazor_zs.storage import ImagePool, ShardStoreError
from mmrazor_zs.utils import fileio


def _batch(seed: int, n: int = 3) -> torch.Tensor:
    return torch.rand(
        n, 1, 4, 4, generator=torch.Generator().manual_seed(seed))


def _truncated(images: torch.Tensor) -> torch.Tensor:
    """What the zju-vipa zoos' ``(imgs * 255).astype('uint8')`` stores."""
    return (images.clamp(0, 1).numpy() * 255).astype('uint8')


def test_round_trip_quantises_to_uint8_as_the_zju_pngs(tmp_path):
    pool = ImagePool(str(tmp_path))
    images = _batch(0)
    images[0, 0, 0, 0] = 1.7  # clamped
    images[0, 0, 0, 1] = 0.999  # 254.7: truncated to 254
    pool.add(images, round_index=0)
    pixels = pool.load(before_round=1)
    assert pixels.dtype == torch.uint8 and pixels.shape == (3, 1, 4, 4)
    assert (pixels.numpy() == _truncated(images)).all()
    assert pixels[0, 0, 0, 1] == 254
    assert os.listdir(tmp_path) == ['round_000000_rank_000.pth']


def test_rounding_to_the_nearest_level_is_a_setting(tmp_path):
    pool = ImagePool(str(tmp_path), rounding='round')
    images = _batch(0)
    images[0, 0, 0, 1] = 0.999
    pool.add(images, round_index=0)
    pixels = pool.load(before_round=1)
    assert torch.equal(pixels,
                       (images.clamp(0, 1) * 255).round().to(torch.uint8))
    assert pixels[0, 0, 0, 1] == 255
    with pytest.raises(
            ValueError,
            match="`rounding` of ImagePool must be "
            "one of 'round' or 'truncate', but got 'floor'"):
        ImagePool(str(tmp_path), rounding='floor')


def test_every_ranks_shards_are_read_in_round_then_rank_order(tmp_path):
    pools = [ImagePool(str(tmp_path), rank=r, world_size=2) for r in (0, 1)]
    for round_index in (0, 1):
        for rank, pool in enumerate(pools):
            pool.add(_batch(10 * round_index + rank), round_index)
    pixels = pools[1].load(before_round=2)
    order = [_batch(0), _batch(1), _batch(10), _batch(11)]
    expected = torch.cat([(b * 255).to(torch.uint8) for b in order])
    assert torch.equal(pixels, expected)
    assert torch.equal(pools[0].load(before_round=2), pixels)


def test_shards_after_the_restored_round_are_ignored_then_rewritten(tmp_path):
    """A run killed after writing round 2 but checkpointed after round 1
    resumes with the round counter at 2: round 2's shard is not read, and
    redoing the round replaces it whole."""
    pool = ImagePool(str(tmp_path))
    for round_index in range(3):
        pool.add(_batch(round_index), round_index)
    resumed = ImagePool(str(tmp_path))
    assert resumed.load(before_round=2).shape[0] == 6
    resumed.add(_batch(2), 2)
    assert torch.equal(
        resumed.load(before_round=3)[6:], (_batch(2) * 255).to(torch.uint8))


def test_only_new_shards_are_read(tmp_path, monkeypatch):
    pool = ImagePool(str(tmp_path))
    reads = []
    original = pool._read
    monkeypatch.setattr(
        pool,
        '_read',
        lambda r, k, mmap=False: reads.append(r) or original(r, k, mmap))
    for round_index in range(3):
        pool.add(_batch(round_index), round_index)
        pool.load(before_round=round_index + 1)
    assert reads == [0, 1, 2]


def test_damaged_and_missing_shards_are_refused_by_name(tmp_path):
    pool = ImagePool(str(tmp_path), rank=0, world_size=2)
    path = pool.add(_batch(0), 0)
    with pytest.raises(
            ShardStoreError,
            match=r'round 0 \(finished\), rank 1: .*round_000000_rank_001.pth '
            'is missing. Delete the pool'):
        pool.load(before_round=1)

    single = ImagePool(str(tmp_path / 'one'))
    path = single.add(_batch(0), 0)
    shard = torch.load(path, weights_only=True)
    shard['pixels'][0, 0, 0, 0] += 1  # a flipped pixel, file still loads
    torch.save(shard, path)
    with pytest.raises(ShardStoreError, match='damaged.*sha256'):
        ImagePool(str(tmp_path / 'one')).load(before_round=1)

    with open(path, 'r+b') as file:
        file.truncate(os.path.getsize(path) // 2)
    with pytest.raises(
            ShardStoreError,
            match='round_000000_rank_000.pth is truncated: .*Delete the pool'):
        ImagePool(str(tmp_path / 'one')).load(before_round=1)
    open(path, 'wb').close()
    with pytest.raises(
            ShardStoreError,
            match='round_000000_rank_000.pth is empty .*Delete the pool'):
        ImagePool(str(tmp_path / 'one')).load(before_round=1)
    with open(path, 'w') as file:
        file.write('round 0')
    with pytest.raises(
            ShardStoreError,
            match='round_000000_rank_000.pth is not a PyTorch checkpoint.*'
            'Delete the pool'):
        ImagePool(str(tmp_path / 'one')).load(before_round=1)


def test_a_kill_mid_write_leaves_the_old_shard_whole(tmp_path, monkeypatch):
    pool = ImagePool(str(tmp_path))
    pool.add(_batch(0), 0)

    def dies(obj, path):
        with open(path, 'wb') as file:
            file.write(b'half')
        raise KeyboardInterrupt  # the process is gone mid-write

    monkeypatch.setattr(fileio.torch, 'save', dies)
    with pytest.raises(KeyboardInterrupt):
        pool.add(_batch(1), 0)
    monkeypatch.undo()
    assert torch.equal(
        ImagePool(str(tmp_path)).load(before_round=1),
        (_batch(0) * 255).to(torch.uint8))
    assert os.listdir(tmp_path) == ['round_000000_rank_000.pth']


def test_bad_arguments_say_what_is_wrong(tmp_path):
    with pytest.raises(ValueError, match='rank'):
        ImagePool(str(tmp_path), rank=2, world_size=2)
    with pytest.raises(ValueError, match=r'\(N, C, H, W\)'):
        ImagePool(str(tmp_path)).add(torch.rand(3, 4, 4), 0)
