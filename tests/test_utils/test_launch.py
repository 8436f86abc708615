# Copyright (c) mmrazor_zs contributors. All rights reserved.
import pytest
import torch
from mmengine.config import Config

from mmrazor_zs.utils import enable_amp

ZSKT_CFG = 'configs/zskt/zskt_logits_lenet5_lenet5-half_1xb128_digits.py'
TEACHER_CFG = 'configs/teachers/lenet5_1xb64_digits.py'


def test_amp_switches_every_optimizer_of_a_two_optimizer_config(
        repo_root, monkeypatch):
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: True)
    cfg = Config.fromfile(f'{repo_root}/{ZSKT_CFG}')
    enable_amp(cfg)
    for name in ('generator', 'student'):
        assert cfg.optim_wrapper[name].type == 'AmpOptimWrapper'
        assert cfg.optim_wrapper[name].loss_scale == 'dynamic'
        assert cfg.optim_wrapper[name].clip_grad == dict(max_norm=5)
    assert cfg.optim_wrapper.constructor == 'SeparateOptimWrapperConstructor'


def test_amp_single_optimizer_config(repo_root, monkeypatch):
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: True)
    cfg = Config.fromfile(f'{repo_root}/{TEACHER_CFG}')
    enable_amp(cfg)
    assert cfg.optim_wrapper.type == 'AmpOptimWrapper'


def test_amp_without_gpu_says_so(repo_root, monkeypatch):
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: False)
    cfg = Config.fromfile(f'{repo_root}/{ZSKT_CFG}')
    with pytest.raises(RuntimeError, match='--amp needs a CUDA GPU'):
        enable_amp(cfg)
