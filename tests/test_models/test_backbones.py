# Copyright (c) mmrazor_zs contributors. All rights reserved.
import pytest
import torch
from mmengine.config import Config

from mmrazor_zs.models import WideResNetCIFAR
from mmrazor_zs.registry import MODELS


def _num_params(module):
    return sum(p.numel() for p in module.parameters())


@pytest.mark.parametrize('cfg_file,params', [
    ('configs/_base_/models/lenet5_digits.py', 61706),
    ('configs/_base_/models/lenet5-half_digits.py', 35820),
])
def test_lenet5_parameter_counts_match_zskd_paper(repo_root, cfg_file, params):
    model = MODELS.build(Config.fromfile(f'{repo_root}/{cfg_file}').model)
    assert _num_params(model) == params
    assert model(torch.randn(2, 1, 32, 32), mode='tensor').shape == (2, 10)


@pytest.mark.parametrize('depth,width', [(16, 1), (16, 2), (40, 1), (40, 2)])
def test_wide_resnet_cifar_groups(depth, width):
    backbone = WideResNetCIFAR(depth, width, out_indices=(0, 1, 2, 3))
    outs = backbone(torch.randn(2, 3, 32, 32))
    assert [tuple(o.shape[1:]) for o in outs] == [(16 * width, 32, 32),
                                                  (32 * width, 16, 16),
                                                  (64 * width, 8, 8),
                                                  (64 * width, 8, 8)]
    assert len(backbone.group1) == (depth - 4) // 6


def test_wide_resnet_cifar_parameter_count():
    # WRN-40-2 has 2.2M parameters (Zagoruyko & Komodakis, Table 1).
    backbone = WideResNetCIFAR(40, 2)
    assert 2.2e6 < _num_params(backbone) + 128 * 10 + 10 < 2.25e6


def test_wide_resnet_cifar_rejects_bad_depth():
    with pytest.raises(ValueError, match='6n \\+ 4'):
        WideResNetCIFAR(depth=18)
