# Copyright (c) mmrazor_zs contributors. All rights reserved.
import pytest

from mmrazor_zs.registry import DATASETS, HOOKS, MODELS
from mmrazor_zs.testing import tiny_zskt_cfg


def test_misspelt_algorithm_argument_names_the_right_one():
    with pytest.raises(TypeError) as err:
        MODELS.build(tiny_zskt_cfg(student_stpes=3))
    assert str(err.value).startswith(
        "ZSKT has no argument 'student_stpes'. Did you mean "
        "'student_steps'")
    assert 'Its arguments: teacher, student, generator,' in str(err.value)


def test_misspelt_nested_argument_is_reported_for_its_own_class():
    cfg = tiny_zskt_cfg()
    cfg['generator'] = dict(cfg['generator'], seed_chanels=8)
    with pytest.raises(
            TypeError,
            match="^ZSKTGenerator has no argument "
            "'seed_chanels'. Did you mean 'seed_channels'"):
        MODELS.build(cfg)


def test_inherited_arguments_are_listed():
    with pytest.raises(TypeError) as err:
        DATASETS.build(dict(type='Digits', pipline=[]))
    assert "Did you mean 'pipeline'?" in str(err.value)
    with pytest.raises(TypeError, match="Did you mean 'student_key'"):
        HOOKS.build(dict(type='DistillSummaryHook', studnet_key='x'))
