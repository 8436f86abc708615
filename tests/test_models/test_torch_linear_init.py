# Copyright (c) mmrazor_zs contributors. All rights reserved.
import logging
import math
import os.path as osp

import pytest
import torch
import torch.nn as nn
from mmengine.config import Config
from mmengine.logging import MMLogger

from mmrazor_zs.models.heads import TorchLinearInit
from mmrazor_zs.registry import MODELS

WRN_RECIPE = osp.join(
    osp.dirname(__file__), '..', '..', 'configs', 'teachers',
    'wrn-16-1_1xb128_cifar10.py')


def initialised_head(cfg_options: dict) -> nn.Linear:
    cfg = Config.fromfile(WRN_RECIPE)
    cfg.merge_from_dict(cfg_options)
    model = MODELS.build(cfg.model)
    logger = MMLogger.get_current_instance()
    level = logger.level
    logger.setLevel(logging.WARNING)  # init_weights logs every tensor
    try:
        model.init_weights()
    finally:
        logger.setLevel(level)
    return model.head.fc


def test_initialises_as_nn_linear_with_a_constant_bias():
    torch.manual_seed(3)
    reference = nn.Linear(64, 10)  # draws its weight first
    layer = nn.Linear(64, 10)
    torch.manual_seed(3)
    TorchLinearInit()(layer)
    assert torch.equal(layer.weight, reference.weight)
    assert torch.equal(layer.bias, torch.zeros(10))
    TorchLinearInit(bias=0.5)(layer)
    assert torch.equal(layer.bias, torch.full((10, ), 0.5))


@pytest.mark.parametrize('init_type',
                         ['TorchLinearInit', 'mmrazor_zs.TorchLinearInit'])
def test_one_option_gives_the_original_wrn_classifier(init_type):
    fc = initialised_head({'model.head.init_cfg.type': init_type})
    bound = 1 / math.sqrt(64)  # nn.Linear: U(-1/sqrt(fan_in), +)
    weight = fc.weight.detach()
    assert weight.abs().max() <= bound
    # 640 uniform draws: the extremes reach the bound, std = bound / sqrt 3
    assert weight.abs().max() > 0.95 * bound
    assert weight.std() == pytest.approx(bound / math.sqrt(3), rel=0.1)
    assert torch.equal(fc.bias.detach(), torch.zeros(10))


def test_the_default_head_init_is_unchanged():
    fc = initialised_head({})
    weight = fc.weight.detach()
    # mmpretrain's LinearClsHead: Normal(0, 0.01), zero bias
    assert weight.std() == pytest.approx(0.01, rel=0.1)
    assert weight.abs().max() < 0.05
    assert torch.equal(fc.bias.detach(), torch.zeros(10))
