# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""The shard-store core, and every unreadable shard of both stores (the image
pool and the impression store) refused by name with the store's fix."""
import os
import re
import zipfile

import pytest
import torch

from mmrazor_zs.storage import (ImagePool, ShardStoreError, read_shard,
                                read_shard_file, remove_unfinished, shard_name,
                                tensor_sha256, write_shard, write_shard_file)
from tests.unreadable import UNREADABLE, make_unreadable

SPEC = dict(index=3, label=1, beta=1.0, count=2, seed=5, rank=0)


def test_shard_names_are_zero_padded_labels():
    assert shard_name(('round', 3, 6), ('rank', 1, 3)) == \
        'round_000003_rank_001.pth'
    assert shard_name(('shard', 42, 5)) == 'shard_00042.pth'


def test_checksum_is_written_and_verified(tmp_path):
    path = str(tmp_path / 'a.pth')
    pixels = torch.arange(6, dtype=torch.uint8)
    write_shard_file(path, dict(pixels=pixels, round=0), checksum_of='pixels')
    shard = read_shard_file(path, 'Shard', 'Redo it.', checksum_of='pixels')
    assert shard['sha256'] == tensor_sha256(pixels)
    assert torch.equal(shard['pixels'], pixels)
    torch.save(dict(shard, pixels=pixels + 1), path)
    with pytest.raises(
            ShardStoreError,
            match=r'^Shard: .*a.pth is damaged: its pixels do not match the '
            r'sha256 stored with them. Redo it.$'):
        read_shard_file(path, 'Shard', 'Redo it.', checksum_of='pixels')
    torch.save(dict(round=0), path)
    with pytest.raises(
            ShardStoreError,
            match=r"a.pth is not a whole shard: it lacks some of the keys "
            r"\['pixels', 'sha256'\]. Redo it."):
        read_shard_file(path, 'Shard', 'Redo it.', checksum_of='pixels')
    with pytest.raises(ShardStoreError, match=r'b.pth is missing. Redo it.'):
        read_shard_file(str(tmp_path / 'b.pth'), 'Shard', 'Redo it.')


def test_unfinished_writes_are_removed(tmp_path):
    (tmp_path / 'shard_00001.pth.tmp-77').write_bytes(b'half')
    (tmp_path / 'shard_00000.pth').write_bytes(b'whole')
    remove_unfinished(str(tmp_path))
    assert os.listdir(tmp_path) == ['shard_00000.pth']


def test_shards_written_by_the_earlier_code_still_load(tmp_path):
    """The formats are unchanged: a pool shard and an impression shard saved as
    the code before the shard-store core saved them."""
    pixels = torch.randint(0, 256, (2, 1, 4, 4), dtype=torch.uint8)
    torch.save(
        dict(pixels=pixels, sha256=tensor_sha256(pixels), round=0, rank=0),
        tmp_path / 'round_000000_rank_000.pth')
    assert torch.equal(ImagePool(str(tmp_path)).load(before_round=1), pixels)
    torch.save(
        dict(
            images=torch.zeros(2, 4, 4, 1, dtype=torch.uint8),
            labels=torch.full((2, 10), 0.1),
            targets=torch.full((2, 10), 0.1),
            spec=dict(SPEC),
            format_version=2), tmp_path / 'shard_00003.pth')
    assert read_shard(str(tmp_path / 'shard_00003.pth'), SPEC)['spec'] == SPEC


def pool_shard(folder) -> str:
    return ImagePool(str(folder)).add(torch.rand(2, 1, 4, 4), 0)


def impression_shard(folder) -> str:
    return write_shard(
        str(folder), SPEC, torch.zeros(2, 4, 4, 1, dtype=torch.uint8),
        torch.full((2, 10), 0.1), torch.full((2, 10), 0.1))


STORES = dict(
    pool=(pool_shard,
          lambda folder: ImagePool(str(folder)).load(before_round=1),
          'Image pool shard of round 0', 'Delete the pool folder'),
    impressions=(impression_shard,
                 lambda folder: read_shard(str(folder / 'shard_00003.pth')),
                 'Impression shard', 'Delete it and run the synthesis again'))


@pytest.mark.parametrize('kind', sorted(UNREADABLE))
@pytest.mark.parametrize('store', sorted(STORES))
def test_every_unreadable_shard_is_named_with_the_stores_fix(
        tmp_path, store, kind):
    write, read, what, fix = STORES[store]
    path = write(tmp_path)
    make_unreadable(path, kind, source=path)
    problem, _ = UNREADABLE[kind]
    with pytest.raises(ShardStoreError) as err:
        read(tmp_path)
    message = str(err.value)
    assert message.startswith(f'{what}') and path in message
    assert re.search(problem, message), message
    assert fix in message


def test_a_zip_that_is_not_a_shard_is_not_read_as_one(tmp_path):
    path = impression_shard(tmp_path)
    with zipfile.ZipFile(path, 'w') as archive:
        archive.writestr('shard/data.txt', 'x')
    with pytest.raises(ShardStoreError, match='holds no data.pkl'):
        read_shard(path)
