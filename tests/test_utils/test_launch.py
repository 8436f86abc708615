# Copyright (c) mmrazor_zs contributors. All rights reserved.
import pytest
import torch
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope

from mmrazor_zs.utils import enable_amp, enable_auto_scale_lr

ZSKT_CFG = 'configs/zskt/zskt_logits_lenet5_lenet5-half_1xb128_digits.py'
TEACHER_CFG = 'configs/teachers/lenet5_1xb64_digits.py'


def test_amp_switches_every_optimizer_of_a_two_optimizer_config(
        repo_root, monkeypatch):
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: True)
    cfg = Config.fromfile(f'{repo_root}/{ZSKT_CFG}')
    enable_amp(cfg)
    for name in ('generator', 'student'):
        wrapper = cfg.optim_wrapper[name]
        assert wrapper.type == 'mmrazor_zs.AutocastOptimWrapper'
        assert wrapper.dtype == 'float16'  # the default with a GPU
        assert wrapper.clip_grad == dict(max_norm=5)
    assert cfg.optim_wrapper.constructor == 'SeparateOptimWrapperConstructor'


def test_amp_of_a_teacher_config_builds_in_its_own_scope(
        repo_root, monkeypatch):
    monkeypatch.setattr(torch.cuda, 'is_available', lambda: False)
    cfg = Config.fromfile(f'{repo_root}/{TEACHER_CFG}')
    enable_amp(cfg)
    assert cfg.optim_wrapper.dtype == 'bfloat16'  # the default on the CPU
    init_default_scope(cfg.default_scope)  # mmpretrain's
    wrapper = build_optim_wrapper(torch.nn.Linear(2, 2), cfg.optim_wrapper)
    assert type(wrapper).__name__ == 'AutocastOptimWrapper'
    assert wrapper.loss_scaler is None


R34_R18 = 'configs/zskt/zskt_logits_r34_r18_8xb256_cifar10.py'


def test_auto_scale_lr_of_a_data_free_config_uses_the_generated_batch(
        repo_root, monkeypatch):
    """8 processes x 256 generated images over the paper's 128: x16."""
    monkeypatch.setenv('WORLD_SIZE', '8')
    cfg = Config.fromfile(f'{repo_root}/{R34_R18}')
    cfg.launcher = 'pytorch'
    enable_auto_scale_lr(cfg)
    assert cfg.optim_wrapper.student.optimizer.lr == pytest.approx(2e-3 * 16)
    assert cfg.optim_wrapper.generator.optimizer.lr == pytest.approx(1e-3 * 16)
    assert cfg.auto_scale_lr.enable is False  # the Runner must not rescale


def test_auto_scale_lr_on_one_process(repo_root):
    cfg = Config.fromfile(
        f'{repo_root}/configs/zskt/'
        'zskt_backbone_logits_r34_r18_8xb16_cifar10_mmrazor.py')
    enable_auto_scale_lr(cfg)  # 1 x 16 over 8 x 16
    assert cfg.optim_wrapper.student.optimizer.lr == pytest.approx(0.1 / 8)


def test_auto_scale_lr_of_a_dataloader_config_is_left_to_the_runner(repo_root):
    cfg = Config.fromfile(f'{repo_root}/{TEACHER_CFG}')
    cfg.auto_scale_lr = dict(base_batch_size=64)
    lr = cfg.optim_wrapper.optimizer.lr
    enable_auto_scale_lr(cfg)
    assert cfg.auto_scale_lr.enable is True
    assert cfg.optim_wrapper.optimizer.lr == lr


def test_auto_scale_lr_without_a_base_batch_says_what_to_add(repo_root):
    cfg = Config.fromfile(f'{repo_root}/{ZSKT_CFG}')
    with pytest.raises(ValueError, match='base_batch_size=N'):
        enable_auto_scale_lr(cfg)
