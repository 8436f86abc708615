# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""The SVHN configs hold the ZSKT authors' settings."""
import os.path as osp

import pytest
from mmengine.config import Config

from mmrazor_zs.registry import MODELS
from .conftest import REPO_ROOT

ZSKT_SVHN = ('configs/zskt/'
             'zskt_backbone_logits_wrn-40-2_wrn-16-1_1xb128_svhn.py')


def load(config: str) -> Config:
    return Config.fromfile(osp.join(REPO_ROOT, config))


@pytest.mark.parametrize('config, depth, widen_factor', [
    ('configs/teachers/wrn-40-2_1xb128_svhn.py', 40, 2),
    ('configs/teachers/wrn-16-1_1xb128_svhn.py', 16, 1),
])
def test_teacher_recipes_follow_the_authors(config, depth, widen_factor):
    cfg = load(config)
    assert (cfg.model.backbone.depth,
            cfg.model.backbone.widen_factor) == (depth, widen_factor)
    assert cfg.model.head.in_channels == 64 * widen_factor
    loader = cfg.train_dataloader
    assert (loader.batch_size, loader.dataset.type,
            loader.dataset.split) == (128, 'OfflineSVHN', 'train')
    # no augmentation on SVHN
    assert loader.dataset.pipeline == [dict(type='mmpretrain.PackInputs')]
    assert cfg.optim_wrapper.optimizer == dict(
        type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4)
    assert cfg.param_scheduler.milestones == [30, 60, 80]
    assert cfg.param_scheduler.gamma == 0.2
    assert cfg.train_cfg.max_epochs == 100
    # the authors' statistics, times 255
    preprocessor = cfg.data_preprocessor
    assert preprocessor.mean == pytest.approx(
        [255 * m for m in (0.4377, 0.4438, 0.4728)])
    assert preprocessor.std == pytest.approx(
        [255 * s for s in (0.1980, 0.2010, 0.1970)])


def test_zskt_svhn_differs_from_cifar10_in_data_and_length_only():
    svhn = load(ZSKT_SVHN)
    cifar = load(ZSKT_SVHN.replace('svhn', 'cifar10'))
    assert svhn.train_cfg.max_iters == 50000
    assert 'end' not in svhn.param_scheduler.student  # cosine spans the run
    assert svhn.val_dataloader.dataset.type == 'OfflineSVHN'
    assert svhn.val_dataloader.dataset.split == 'test'
    for key in ('teacher_ckpt', 'teacher', 'student'):
        svhn.model.pop(key)
        cifar.model.pop(key)
    assert svhn.model == cifar.model
    assert svhn.optim_wrapper == cifar.optim_wrapper
    assert svhn.param_scheduler == cifar.param_scheduler


def test_zskt_svhn_distils_wrn_40_2_into_wrn_16_1():
    cfg = load(ZSKT_SVHN)
    cfg.model.teacher_ckpt = None  # not in the repository
    model = MODELS.build(cfg.model)
    assert (model.teacher.backbone.depth,
            model.teacher.backbone.widen_factor) == (40, 2)
    assert (model.student.backbone.depth,
            model.student.backbone.widen_factor) == (16, 1)
