# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""The MMRazor recipe config is MMRazor 1.0's ZSKT setting by setting."""
import os.path as osp

import torch
from mmengine.config import Config

from mmrazor_zs.models.utils import FeatureTaps, build_submodel

MMRAZOR = 'configs/zskt/zskt_backbone_logits_r34_r18_8xb16_cifar10_mmrazor.py'


def _cfg(repo_root):
    cfg = Config.fromfile(osp.join(repo_root, MMRAZOR))
    cfg.model.teacher_ckpt = None  # not in the repository
    return cfg


def test_mmrazor_recipe_values(repo_root):
    cfg = _cfg(repo_root)
    model = cfg.model
    assert model.generator.latent_dim == 256
    assert model.student_batch == 'fresh' and model.student_steps == 10
    assert (model.student_loss.loss_weight, model.generator_loss.loss_weight,
            model.student_loss.reduction) == (2.0, -2.0, 'mean')
    assert model.at_loss.loss_weight == 250.0 and len(model.at_pairs) == 4
    assert model.batch_size == 16
    student = cfg.optim_wrapper.student
    assert student.optimizer == dict(
        type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4)
    assert 'clip_grad' not in student
    assert cfg.optim_wrapper.generator.optimizer == dict(type='Adam', lr=1e-3)
    for name in ('student', 'generator'):
        assert cfg.param_scheduler[name].milestones == [5000, 10000]
    assert cfg.train_cfg.max_iters == 25000


def test_stage_outputs_are_what_mmrazor_records(repo_root):
    """MMRazor records ``layerN.<last block>.relu`` at its second call (the
    block output after the residual sum); our pairs tap ``layerN``."""
    cfg = _cfg(repo_root)
    student = build_submodel(cfg.model.student, 'student').eval()
    taps = FeatureTaps(student, [s for s, _ in cfg.model.at_pairs], 'student')
    last_relu_calls = {}
    for stage in range(1, 5):
        relu = student.backbone.get_submodule(f'layer{stage}.1.relu')
        relu.register_forward_hook(
            lambda m, i, o, s=stage: last_relu_calls.setdefault(s, []).append(
                o.detach().clone()))
    with taps.record(), torch.no_grad():
        student(torch.randn(2, 3, 32, 32), mode='tensor')
    for stage, tapped in enumerate(taps.features(), start=1):
        assert len(last_relu_calls[stage]) == 2
        assert torch.equal(last_relu_calls[stage][1], tapped)
