# Copyright (c) mmrazor_zs contributors. All rights reserved.
import pytest
import torch
import torch.nn as nn
from mmengine.optim import OptimWrapper, OptimWrapperDict, build_optim_wrapper

from mmrazor_zs.engine.optimizers import (DeviceOptimWrapper,
                                          SeparateOptimWrapperConstructor)
from mmrazor_zs.registry import MODELS
from mmrazor_zs.testing import HostReads, tiny_zskt_cfg

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


def _clipped_step(wrapper_type):
    torch.manual_seed(0)
    model = nn.Linear(4, 3)
    wrapper = wrapper_type(
        optimizer=torch.optim.SGD(model.parameters(), lr=0.1),
        clip_grad=dict(max_norm=0.01))
    loss = model(torch.randn(8, 4)).square().sum()
    with HostReads() as reads:
        wrapper.update_params(loss)
    return model, wrapper, reads.count


def test_device_wrapper_clips_as_mmengine_without_reading_the_norm():
    model, wrapper, reads = _clipped_step(DeviceOptimWrapper)
    reference, mmengine_wrapper, mmengine_reads = _clipped_step(OptimWrapper)
    assert reads == 0
    assert mmengine_reads > 0  # float(grad) into the message hub per step
    for got, expected in zip(model.parameters(), reference.parameters()):
        assert torch.equal(got, expected)
    assert wrapper.grad_norm.item() == pytest.approx(
        mmengine_wrapper.message_hub.get_scalar('train/grad_norm').current())


def test_separate_constructor_defaults_to_the_device_wrapper():
    wrappers = SeparateOptimWrapperConstructor(
        dict(
            generator=dict(optimizer=dict(type='Adam', lr=1e-3)),
            student=dict(
                type='OptimWrapper', optimizer=dict(type='SGD', lr=0.1))))(
                    MODELS.build(tiny_zskt_cfg()))
    assert type(wrappers['generator']) is DeviceOptimWrapper
    assert type(wrappers['student']) is OptimWrapper  # as configured


def test_device_wrapper_scales_the_loss_only_to_accumulate():
    model = nn.Linear(2, 1)
    loss = model(torch.ones(1, 2)).sum()
    single = DeviceOptimWrapper(torch.optim.SGD(model.parameters(), lr=0.1))
    assert single.scale_loss(loss) is loss  # mmengine's: loss / 1
    accumulating = DeviceOptimWrapper(
        torch.optim.SGD(model.parameters(), lr=0.1), accumulative_counts=4)
    accumulating.initialize_count_status(model, 0, 8)
    assert torch.equal(accumulating.scale_loss(loss), loss / 4)
