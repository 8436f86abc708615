# Copyright (c) mmrazor_zs contributors. All rights reserved.
import os

import pytest
import torch
from mmengine.fileio import get_file_backend

from mmrazor_zs.utils import atomic_torch_save
from mmrazor_zs.utils.fileio import AtomicLocalBackend


def test_checkpoint_backend_is_registered_and_writes_whole_files(tmp_path):
    backend = get_file_backend(
        str(tmp_path), backend_args=dict(backend='local_atomic'))
    assert isinstance(backend, AtomicLocalBackend)
    path = tmp_path / 'sub' / 'iter_2.pth'
    backend.put(b'new checkpoint', str(path))
    assert path.read_bytes() == b'new checkpoint'
    backend.put_text('iter_2.pth', str(tmp_path / 'last_checkpoint'))
    assert (tmp_path / 'last_checkpoint').read_text() == 'iter_2.pth'
    assert sorted(os.listdir(tmp_path / 'sub')) == ['iter_2.pth']


class Unsaveable:

    def __reduce__(self):
        raise RuntimeError('disk full')


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    path = tmp_path / 'shard.pth'
    atomic_torch_save({'v': torch.ones(1)}, str(path))
    with pytest.raises(RuntimeError, match='disk full'):
        atomic_torch_save({'v': Unsaveable()}, str(path))
    assert torch.load(path)['v'].item() == 1
    assert os.listdir(tmp_path) == ['shard.pth']
