# Copyright (c) mmrazor_zs contributors. All rights reserved.
import os
import pickle
import re

import numpy as np
import pytest
import torch
from mmengine.logging import HistoryBuffer

from mmrazor_zs.utils import (CheckpointError, load_checkpoint_file,
                              trust_all_checkpoints)
from mmrazor_zs.utils.checkpoint import UNSAFE_LOAD_ENV
from ..unreadable import UNREADABLE, make_unreadable


def test_reads_what_mmengine_writes(tmp_path):
    buffer = HistoryBuffer()
    buffer.update(1.5)
    checkpoint = {
        'state_dict': {
            'w': torch.ones(2)
        },
        'message_hub': {
            'log_scalars': {
                'train/loss': buffer
            }
        },
        'meta': {
            'seed': np.int64(3),
            'array': np.arange(3)
        },
    }
    path = tmp_path / 'ckpt.pth'
    torch.save(checkpoint, path)
    loaded = load_checkpoint_file(str(path))
    assert loaded['message_hub']['log_scalars']['train/loss'].current() == 1.5
    assert loaded['meta']['array'].tolist() == [0, 1, 2]


class Exploit:

    def __reduce__(self):
        return (os.system, ('echo unsafe', ))


def test_arbitrary_objects_are_refused(tmp_path):
    path = tmp_path / 'evil.pth'
    torch.save({'payload': Exploit()}, path)
    with pytest.raises(CheckpointError, match='--trust-checkpoint'):
        load_checkpoint_file(str(path))


def test_trust_checkpoint_unpickles_everything(tmp_path, monkeypatch):
    path = tmp_path / 'pickled.pth'
    torch.save({'meta': {'type': pickle.Pickler}}, path)
    with pytest.raises(CheckpointError, match='--trust-checkpoint'):
        load_checkpoint_file(str(path))
    assert load_checkpoint_file(
        str(path), trust_checkpoint=True)['meta']['type'] is pickle.Pickler
    monkeypatch.setenv(UNSAFE_LOAD_ENV, '0')  # undone after the test
    trust_all_checkpoints()  # what the tools' --trust-checkpoint does
    assert os.environ[UNSAFE_LOAD_ENV] == '1'
    assert load_checkpoint_file(str(path))['meta']['type'] is pickle.Pickler
    # mmengine's loads go through torch.load without weights_only
    assert torch.load(path)['meta']['type'] is pickle.Pickler


def test_getattr_is_only_allowed_for_history_buffers(tmp_path):

    class Reach:

        def __init__(self, target, name):
            self.target, self.name = target, name

        def __reduce__(self):
            return (getattr, (self.target, self.name))

    for target, name in ((np.arange(3), 'tofile'), (HistoryBuffer(),
                                                    '__init__')):
        path = tmp_path / 'reach.pth'
        torch.save({'x': Reach(target, name)}, path)
        with pytest.raises(CheckpointError, match='not (an )?allowed'):
            load_checkpoint_file(str(path))


def test_missing_truncated_and_garbage_files(tmp_path):
    with pytest.raises(
            CheckpointError,
            match=r'not found: .*none.pth. Check the path, or point at'):
        load_checkpoint_file(str(tmp_path / 'none.pth'))
    with pytest.raises(CheckpointError, match='is a folder, not a checkpoint'):
        load_checkpoint_file(str(tmp_path))
    garbage = tmp_path / 'garbage.pth'
    garbage.write_bytes(pickle.dumps([1, 2]) + b'junk')
    with pytest.raises(
            CheckpointError,
            match=f'{garbage} is corrupt: it cannot be unpickled .*Download '
            'or copy it again'):
        load_checkpoint_file(str(garbage))
    legacy = tmp_path / 'legacy.pth'  # torch.save's format before 1.6
    torch.save({'w': torch.ones(3)},
               legacy,
               _use_new_zipfile_serialization=False)
    legacy.write_bytes(legacy.read_bytes()[:100])
    with pytest.raises(
            CheckpointError,
            match=f'{legacy} is truncated or corrupt .*EOFError.*Download '
            'or copy it again'):
        load_checkpoint_file(str(legacy))


@pytest.mark.parametrize('kind', sorted(UNREADABLE))
def test_every_unreadable_kind_names_the_file_the_problem_and_the_fix(
        tmp_path, kind):
    """The first 20 kB of a real checkpoint (torch's own reader fails on it
    with ``OSError: [Errno 22] Invalid argument``), an empty file, a text file
    and a zip of something else."""
    path = make_unreadable(str(tmp_path / 'bad.pth'), kind)
    problem, fix = UNREADABLE[kind]
    with pytest.raises(CheckpointError) as err:
        load_checkpoint_file(path)
    assert str(err.value).startswith(path)
    assert re.search(problem, err.value.problem)
    assert err.value.fix.startswith(fix)
    assert str(err.value) == f'{err.value.problem} {err.value.fix}'


def test_nested_safe_globals_keep_the_outer_allow_list(tmp_path):
    from mmrazor_zs.utils import checkpoint_safe_globals
    buffer = HistoryBuffer()
    buffer.update(2.0)
    path = tmp_path / 'hub.pth'
    torch.save({'hub': buffer}, path)
    with checkpoint_safe_globals():
        with checkpoint_safe_globals():
            pass
        # mmengine's own torch.load, with torch's weights_only default
        assert torch.load(path)['hub'].current() == 2.0
    assert HistoryBuffer not in torch.serialization.get_safe_globals()
