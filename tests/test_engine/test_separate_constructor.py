# Copyright (c) mmrazor_zs contributors. All rights reserved.
import pytest
from mmengine.optim import OptimWrapperDict, build_optim_wrapper

from mmrazor_zs.registry import MODELS
from mmrazor_zs.testing import tiny_zskt_cfg

OPTIM = dict(
    constructor='SeparateOptimWrapperConstructor',
    generator=dict(optimizer=dict(type='Adam', lr=1e-3)),
    student=dict(
        optimizer=dict(type='SGD', lr=0.1, momentum=0.9),
        clip_grad=dict(max_norm=5)),
)


def test_one_wrapper_per_submodule():
    model = MODELS.build(tiny_zskt_cfg())
    wrappers = build_optim_wrapper(model, OPTIM)
    assert isinstance(wrappers, OptimWrapperDict)
    assert set(wrappers.keys()) == {'generator', 'student'}
    generator_params = {id(p) for p in model.generator.parameters()}
    student_opt = wrappers['student'].optimizer
    assert type(student_opt).__name__ == 'SGD'
    assert all(
        id(p) not in generator_params for group in student_opt.param_groups
        for p in group['params'])
    assert wrappers['student'].clip_grad_kwargs == dict(max_norm=5)


def test_missing_or_unknown_submodules_are_named():
    model = MODELS.build(tiny_zskt_cfg())
    only_student = dict(
        constructor='SeparateOptimWrapperConstructor',
        student=OPTIM['student'])
    with pytest.raises(ValueError, match=r"\['generator'\] .* no optimizer"):
        build_optim_wrapper(model, only_student)
    typo = dict(OPTIM, studnet=OPTIM['student'])
    with pytest.raises(ValueError, match=r"\['studnet'\], which are not"):
        build_optim_wrapper(model, typo)
