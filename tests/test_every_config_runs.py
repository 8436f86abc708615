# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Every config under ``configs/`` trains through ``tools/train.py``: shrunk by
key names only (tests/config_harness.py), on fake datasets in the official
layouts, with a randomly initialised teacher, for two iterations (or one epoch)
on the CPU."""
import os.path as osp

import pytest
import torch
from mmengine.config import Config

from mmrazor_zs.utils import load_checkpoint_file
from .config_harness import (all_finite, parameters_of, shrink_options,
                             train_in_process, trained_network,
                             write_fake_datasets)
from .config_snapshot import discover_configs
from .conftest import REPO_ROOT

CONFIGS = discover_configs()
#: the most iterations a shrunk run may take (KD-AT's few-shot loop takes
#: 10: two epochs of five batches); more means a size escaped the harness
MAX_ITERATIONS = 12


@pytest.fixture(scope='module')
def fake_data(tmp_path_factory):
    return write_fake_datasets(tmp_path_factory.mktemp('data'))


def last_checkpoint(work_dir) -> str:
    """The checkpoint the run saved last (mmengine's ``last_checkpoint``)."""
    with open(osp.join(work_dir, 'last_checkpoint')) as file:
        return file.read().strip()


def test_every_folder_is_run():
    folders = {config.split('/')[1] for config in CONFIGS}
    assert folders >= {
        'zskt', 'zskd', 'kd_at', 'dafl', 'dfad', 'dfq', 'deepinversion', 'cmi',
        'fast', 'teachers'
    }


@pytest.mark.parametrize('config', CONFIGS)
def test_config_trains(config, fake_data, tmp_path, monkeypatch):
    # leave this process's allocator as it is (tools/train.py tunes it)
    monkeypatch.setenv('MMRAZOR_ZS_DEFAULT_MALLOC', '1')
    merged = Config.fromfile(osp.join(REPO_ROOT, config)).to_dict()
    options = shrink_options(merged, fake_data)
    work_dir = tmp_path / 'work'
    probe = train_in_process(monkeypatch, config, work_dir, options)
    runner = probe.runner
    try:
        iterations = runner.train_loop.max_iters
        assert 0 < iterations <= MAX_ITERATIONS, options
        assert runner.iter == iterations
        assert len(probe.log_vars) == iterations
        assert all(probe.log_vars), 'an iteration logged no loss'
        assert all_finite(probe.log_vars), probe.log_vars
        changed = [
            name for name, value in probe.before.items()
            if not torch.equal(value, probe.after[name])
        ]
        assert changed, 'training left every weight of the student as it was'
        checkpoint = load_checkpoint_file(last_checkpoint(work_dir))
        assert checkpoint['meta']['iter'] == iterations
        # the checkpoint loads whole into the model and holds the weights
        # training ended with
        runner.model.load_state_dict(checkpoint['state_dict'], strict=True)
        reloaded = parameters_of(trained_network(runner.model))
        assert reloaded.keys() == probe.after.keys()
        for name, value in probe.after.items():
            assert torch.equal(reloaded[name], value), name
    finally:
        for handler in list(runner.logger.handlers):
            handler.close()
            runner.logger.removeHandler(handler)
