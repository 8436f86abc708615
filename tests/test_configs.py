# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Every config parses and builds its model (no training, no data)."""
import glob
import os.path as osp

import pytest
from mmengine.config import Config

from mmrazor_zs.registry import MODELS
from .conftest import REPO_ROOT

CONFIGS = sorted(
    osp.relpath(path, REPO_ROOT)
    for folder in ('zskt', 'zskd', 'kd_at', 'teachers')
    for path in glob.glob(osp.join(REPO_ROOT, 'configs', folder, '*.py')))


def build_model_of(config: str):
    cfg = Config.fromfile(osp.join(REPO_ROOT, config))
    model_cfg = cfg.model
    if 'teacher_ckpt' in model_cfg:
        # checkpoints of CIFAR teachers are not in the repository
        if not osp.isfile(osp.join(REPO_ROOT, model_cfg.teacher_ckpt)):
            model_cfg.teacher_ckpt = None
    return cfg, MODELS.build(model_cfg)


def test_configs_were_found():
    assert len(CONFIGS) >= 17


@pytest.mark.parametrize('config', CONFIGS)
def test_config_builds(config):
    cfg, model = build_model_of(config)
    assert cfg.default_scope in ('mmrazor_zs', 'mmpretrain')
    if cfg.model.type == 'ZSKT':
        assert cfg.train_cfg.type == 'DataFreeTrainLoop'
        assert cfg.train_dataloader == {}  # data-free for real
        assert set(cfg.optim_wrapper) >= {'generator', 'student'}
    elif cfg.model.type == 'ZSKD':
        assert cfg.train_dataloader.dataset.type == 'DataImpressions'
        assert cfg.synthesis.input_shape is not None
    elif cfg.model.type == 'KDAT':
        assert cfg.train_cfg.type == 'FewShotTrainLoop'
        assert cfg.train_dataloader.dataset.type == 'ClassBalancedSubset'
        assert cfg.param_scheduler.type == 'FractionalMultiStepLR'
    else:
        assert cfg.train_dataloader.dataset.type.endswith(
            ('Digits', 'OfflineCIFAR10', 'MNIST', 'OfflineSVHN'))


@pytest.mark.parametrize('config', CONFIGS)
def test_pipelines_build(config):
    from mmengine.dataset import Compose
    from mmengine.registry import DefaultScope
    cfg = Config.fromfile(osp.join(REPO_ROOT, config))
    with DefaultScope.overwrite_default_scope(cfg.default_scope):
        for key in ('train_dataloader', 'val_dataloader'):
            dataset = (cfg.get(key) or {}).get('dataset', {})
            if dataset.get('pipeline'):
                assert len(Compose(dataset.pipeline).transforms) == len(
                    dataset.pipeline)


def test_cifar_configs_never_download():
    for config in CONFIGS:
        cfg = Config.fromfile(osp.join(REPO_ROOT, config))
        for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
            loader = cfg.get(key) or {}
            dataset = loader.get('dataset', {})
            assert dataset.get('download', False) is False, (config, key)
            if 'CIFAR' in dataset.get('type', ''):
                assert dataset.type.endswith('OfflineCIFAR10'), config


def test_wrn_pairs_follow_the_paper():
    cfg, model = build_model_of('configs/zskt/zskt_backbone_logits_'
                                'wrn-40-2_wrn-16-1_1xb128_cifar10.py')
    assert model.teacher.backbone.depth == 40
    assert model.teacher.backbone.widen_factor == 2
    assert model.student.backbone.depth == 16
    assert (model.batch_size, model.student_steps) == (128, 10)
    assert model.at_loss.loss_weight == 250
    assert len(model.at_pairs) == 3
    assert cfg.train_cfg.max_iters == 80000
    assert cfg.optim_wrapper.generator.optimizer.lr == 1e-3
    assert cfg.optim_wrapper.student.optimizer.lr == 2e-3


@pytest.mark.parametrize('config', CONFIGS)
def test_runs_get_the_reliability_hooks(config):
    hooks = Config.fromfile(osp.join(REPO_ROOT, config)).default_hooks
    assert hooks.checkpoint.backend_args == dict(backend='local_atomic')
    assert hooks.reseed.type.endswith('ReseedHook')
    assert hooks.finite_loss.type.endswith('FiniteLossHook')
