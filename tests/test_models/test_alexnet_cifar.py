# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""The CIFAR-10 AlexNet / AlexNet-half of ZSKD (Nayak et al., ICML 2019)."""
import pytest
import torch
import torch.nn as nn
from mmengine.config import Config

from mmrazor_zs.models import AlexNetCIFAR, AlexNetCIFARClsHead
from mmrazor_zs.registry import MODELS

TEACHER = 'configs/_base_/models/alexnet_cifar10.py'
HALF = 'configs/_base_/models/alexnet-half_cifar10.py'


def _num_params(module):
    return sum(p.numel() for p in module.parameters())


def _build(repo_root, cfg_file):
    return MODELS.build(Config.fromfile(f'{repo_root}/{cfg_file}').model)


def _head(**kwargs):
    # built outside the config's mmpretrain scope: name the loss's scope
    return AlexNetCIFARClsHead(
        num_classes=10,
        loss=dict(type='mmpretrain.CrossEntropyLoss'),
        **kwargs)


@pytest.mark.parametrize('cfg_file,params,paper', [
    (TEACHER, 1659178, 1.66e6),
    (HALF, 417434, 0.42e6),
])
def test_parameter_counts_match_zskd_paper(repo_root, cfg_file, params, paper):
    model = _build(repo_root, cfg_file)
    assert _num_params(model) == params
    assert abs(params - paper) / paper < 0.02


@pytest.mark.parametrize('cfg_file', [TEACHER, HALF])
def test_classifier_from_config_runs_forward(repo_root, cfg_file):
    model = _build(repo_root, cfg_file)
    assert model.neck is None  # the head flattens; no global pooling
    for train in (True, False):
        model.train(train)
        logits = model(torch.rand(2, 3, 32, 32), mode='tensor')
        assert logits.shape == (2, 10)


@pytest.mark.parametrize('widths', [(48, 128, 192, 192, 128),
                                    (24, 64, 96, 96, 64)])
def test_backbone_out_indices_shapes(widths):
    backbone = AlexNetCIFAR(widths, out_indices=(0, 1, 2, 3, 4))
    outs = backbone(torch.rand(2, 3, 32, 32))
    c1, c2, c3, c4, c5 = widths
    # 3x3 stride-2 max-pools without padding: 32 -> 15 -> 7 -> 3
    assert [tuple(o.shape[1:]) for o in outs] == [(c1, 15, 15), (c2, 7, 7),
                                                  (c3, 7, 7), (c4, 7, 7),
                                                  (c5, 3, 3)]
    default = AlexNetCIFAR(widths)(torch.rand(2, 3, 32, 32))
    assert isinstance(default, tuple) and len(default) == 1
    assert default[0].shape == (2, c5, 3, 3)
    picked = AlexNetCIFAR(widths, out_indices=(1, 3))(torch.rand(1, 3, 32, 32))
    assert [o.shape[1] for o in picked] == [c2, c4]


def test_layer_order_follows_released_code():
    backbone = AlexNetCIFAR()
    kinds = [[type(m).__name__ for m in stage.modules()][1:]
             for stage in backbone.stages]
    conv = ['Sequential', 'Conv2d', 'ReLU']
    assert kinds[0] == conv + ['LocalResponseNorm', 'MaxPool2d', 'BatchNorm2d']
    assert kinds[1] == kinds[0]
    assert kinds[2] == kinds[3] == conv + ['BatchNorm2d']
    assert kinds[4] == conv + ['MaxPool2d', 'BatchNorm2d']

    head = _head(
        in_channels=1152,
        mid_channels=[512, 256],
        dropout_rate=0.5,
        norm_cfg=dict(type='BN1d'))
    # fc -> ReLU -> dropout -> BN, as the paper (not fc -> BN -> ReLU)
    calls = []
    for name, module in head.layers[0].named_children():
        module.register_forward_hook(
            lambda m, i, o, name=name: calls.append(name))
    head.train()
    head((torch.rand(4, 128, 3, 3), ))
    assert calls == ['fc', 'act', 'dropout', 'norm']
    # state-dict keys as mmpretrain's StackedLinearClsHead
    assert {
        'layers.0.fc.weight', 'layers.0.norm.weight', 'layers.2.fc.weight'
    } <= set(head.state_dict())


def _tf_lrn(x, depth_radius=2, alpha=1e-4, beta=0.75, bias=1.0):
    """tf.nn.local_response_normalization on NCHW: the sum of squares over.

    the channels [c - r, c + r], alpha *not* divided by the window.
    """
    channels = x.shape[1]
    out = torch.empty_like(x)
    for c in range(channels):
        lo, hi = max(0, c - depth_radius), min(channels, c + depth_radius + 1)
        sqr_sum = (x[:, lo:hi]**2).sum(1)
        out[:, c] = x[:, c] / (bias + alpha * sqr_sum)**beta
    return out


def test_lrn_default_has_tensorflow_semantics():
    backbone = AlexNetCIFAR()
    lrn = backbone.stages[0][1]
    assert isinstance(lrn, nn.LocalResponseNorm)
    assert (lrn.size, lrn.beta, lrn.k) == (5, 0.75, 1.0)
    assert lrn.alpha == pytest.approx(5e-4)
    # large activations so that the alpha term matters
    x = torch.randn(2, 7, 3, 3, dtype=torch.float64) * 30
    expected = _tf_lrn(x)
    torch.testing.assert_close(lrn.double()(x), expected)
    # torch's own alpha=1e-4 would be 5x weaker: not TensorFlow's LRN
    naive = nn.LocalResponseNorm(5, alpha=1e-4, beta=0.75, k=1.0)(x)
    assert not torch.allclose(naive, expected)


def test_lrn_parameters_are_configurable():
    backbone = AlexNetCIFAR(
        lrn_size=3, lrn_alpha=1e-3, lrn_beta=0.5, lrn_bias=2.0)
    for index in (0, 1):
        lrn = backbone.stages[index][1]
        assert (lrn.size, lrn.alpha, lrn.beta, lrn.k) == (3, 1e-3, 0.5, 2.0)


@pytest.mark.parametrize('kwargs,match', [
    (dict(widths=(48, 128, 192, 128)), '5 positive channel counts'),
    (dict(widths=(48, 128, 0, 192, 128)), '5 positive channel counts'),
    (dict(in_channels=0),
     '`in_channels` of AlexNetCIFAR must be an integer >= 1, but got 0'),
    (dict(out_indices=(5, )), r'stage indices in \[0, 4\]'),
    (dict(out_indices=(-1, )), r'stage indices in \[0, 4\]'),
    (dict(out_indices=()), 'non-empty'),
    (dict(lrn_size=4), 'positive odd integer'),
    (dict(lrn_beta=0), '`lrn_beta` > 0'),
    (dict(lrn_alpha=-1e-4), '`lrn_alpha` >= 0'),
])
def test_bad_arguments_raise(kwargs, match):
    with pytest.raises(ValueError, match=match):
        AlexNetCIFAR(**kwargs)


def test_head_rejects_wrong_flatten_size():
    head = _head(in_channels=2048, mid_channels=[512, 256])
    with pytest.raises(ValueError, match='1152 features after flattening'):
        head((torch.rand(2, 128, 3, 3), ))
