# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""An ``input_shape`` whose channels the networks do not take fails at build
time with the first layer named, not inside conv2d."""
import pytest
import torch.nn as nn

from mmrazor_zs.models.utils.pair_checks import first_conv
from mmrazor_zs.registry import MODELS
from mmrazor_zs.testing import tiny_classifier_cfg, tiny_zskt_cfg

TEACHER_SAYS_ONE = ("The teacher's first layer (backbone.stages.0.0) takes 1 "
                    'channel but `input_shape=(3, 32, 32)` says 3; set '
                    '`model.input_shape` to the images the teacher was '
                    'trained on, e.g. (1, 32, 32).')


def kdat_cfg(**overrides):
    cfg = dict(
        type='KDAT',
        teacher=tiny_classifier_cfg((6, 12, 24)),
        student=tiny_classifier_cfg((3, 6, 24)),
        at_pairs=[('backbone.stages.0', 'backbone.stages.0')],
        input_shape=(1, 32, 32))
    cfg.update(overrides)
    return cfg


@pytest.mark.parametrize(
    'cfg', [
        tiny_zskt_cfg(input_shape=(3, 32, 32)),
        kdat_cfg(input_shape=(3, 32, 32)),
    ],
    ids=['ZSKT', 'KDAT'])
def test_input_shape_channels_the_teacher_does_not_take(cfg):
    with pytest.raises(ValueError) as info:
        MODELS.build(cfg)
    assert str(info.value) == TEACHER_SAYS_ONE


def test_student_of_other_channels_is_named():
    cfg = kdat_cfg(student=tiny_classifier_cfg((3, 6, 24), in_channels=3))
    with pytest.raises(ValueError) as info:
        MODELS.build(cfg)
    assert str(info.value).startswith(
        "The student's first layer (backbone.stages.0.0) takes 3 channels "
        'but `input_shape=(1, 32, 32)` says 1;')


def test_first_conv_skips_other_layers_and_allows_none():
    model = nn.Sequential(nn.Identity(), nn.Conv2d(2, 4, 3),
                          nn.Conv2d(4, 4, 3))
    name, conv = first_conv(model)
    assert (name, conv.in_channels) == ('1', 2)
    assert first_conv(nn.Linear(2, 2)) is None
