# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""``--amp`` on the CPU: bfloat16 autocast reaches every forward pass of every
loop (the student's and generator's steps, the teacher's targets, every
synthesis round), float16 scales the loss per optimiser, and the wrappers save
and load their scalers."""
import pytest
import torch
import torch.nn as nn
from mmengine.config import Config
from mmengine.optim import OptimWrapper

from mmrazor_zs.engine.optimizers import AutocastOptimWrapper
from mmrazor_zs.models.synthesizers.inversion_synthesizer import round_backward
from mmrazor_zs.utils import enable_amp
from mmrazor_zs.utils.precision import (FLOAT16_SYNTHESIS_LOSS_SCALE, FLOAT32,
                                        Precision, precision_of)
from ..config_harness import (ONE_DEMO_PER_LOOP, all_finite, train_shrunk,
                              write_fake_datasets)


@pytest.fixture(scope='module')
def fake_data(tmp_path_factory):
    return write_fake_datasets(tmp_path_factory.mktemp('data'))


def train_with_amp(config, fake_data, tmp_path, monkeypatch):
    return train_shrunk(monkeypatch, config, fake_data, tmp_path / 'work',
                        ('--amp', '--amp-dtype', 'bfloat16'))


@pytest.mark.parametrize('config', ONE_DEMO_PER_LOOP)
def test_amp_reaches_every_forward(config, fake_data, tmp_path, monkeypatch):
    probe = train_with_amp(config, fake_data, tmp_path, monkeypatch)
    wrappers = probe.runner.optim_wrapper
    wrappers = getattr(wrappers, 'optim_wrappers', dict(only=wrappers))
    assert all(
        isinstance(w, AutocastOptimWrapper) and w.loss_scaler is None
        for w in wrappers.values())
    assert {'teacher', 'student'} <= set(probe.dtypes)
    assert probe.dtypes == {name: {torch.bfloat16}
                            for name in probe.dtypes}, probe.dtypes
    assert all(probe.log_vars) and all_finite(probe.log_vars)
    assert any(not torch.equal(v, probe.after[k])
               for k, v in probe.before.items())


@pytest.mark.parametrize('module, config',
                         [('inversion_distiller', ONE_DEMO_PER_LOOP[5]),
                          ('generator_distiller', ONE_DEMO_PER_LOOP[3])])
def test_a_loop_without_the_runs_precision_is_caught(module, config, fake_data,
                                                     tmp_path, monkeypatch):
    # the mutant: synthesis rounds (inversion) or the teacher's targets for
    # the student (generator family) ignore --amp
    monkeypatch.setattr(f'mmrazor_zs.models.algorithms.{module}.precision_of',
                        lambda optim_wrapper: FLOAT32)
    probe = train_with_amp(config, fake_data, tmp_path, monkeypatch)
    assert torch.float32 in probe.dtypes['teacher']


def tiny_wrapper(dtype, **kwargs):
    torch.manual_seed(0)
    model = nn.Linear(4, 3)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    return model, AutocastOptimWrapper(
        dtype=dtype, optimizer=optimizer, **kwargs)


def test_bfloat16_wrapper_autocasts_without_scaling():
    model, wrapper = tiny_wrapper('bfloat16')
    assert wrapper.loss_scaler is None
    assert wrapper.precision == Precision(torch.bfloat16, 1.0)
    assert precision_of(wrapper) is wrapper.precision
    x = torch.randn(5, 4)
    with wrapper.optim_context(model):
        out = model(x)
    assert out.dtype == torch.bfloat16
    expected = [p.detach().clone() for p in model.parameters()]
    loss = out.float().square().mean()
    grads = torch.autograd.grad(
        loss, list(model.parameters()), retain_graph=True)
    wrapper.update_params(loss)
    for param, before, grad in zip(model.parameters(), expected, grads):
        torch.testing.assert_close(param.detach(), before - 0.1 * grad)
    assert 'loss_scaler' not in wrapper.state_dict()


def test_float16_wrapper_scales_and_unscales():
    model, wrapper = tiny_wrapper('float16')
    assert wrapper.loss_scaler.get_scale() == 2.0**16
    assert wrapper.precision.loss_scale == FLOAT16_SYNTHESIS_LOSS_SCALE
    x = torch.randn(5, 4)
    with wrapper.optim_context(model):
        loss = model(x).float().square().mean()
    grads = torch.autograd.grad(
        loss, list(model.parameters()), retain_graph=True)
    before = [p.detach().clone() for p in model.parameters()]
    wrapper.update_params(loss)
    # the step used the unscaled gradients (a wrapper that forgot to unscale
    # moves the weights 65536 times as far)
    for param, start, grad in zip(model.parameters(), before, grads):
        torch.testing.assert_close(
            param.detach(), start - 0.1 * grad, rtol=1e-3, atol=1e-4)
    state = wrapper.state_dict()
    assert state['loss_scaler']['scale'] == 2.0**16
    _, reloaded = tiny_wrapper('float16')
    state['loss_scaler']['scale'] = 8.0
    reloaded.load_state_dict(state)
    assert reloaded.loss_scaler.get_scale() == 8.0


def test_wrapper_refuses_bad_settings():
    with pytest.raises(ValueError, match='`dtype` must be one of'):
        tiny_wrapper('float64')
    with pytest.raises(ValueError, match='`loss_scale` must be'):
        tiny_wrapper('float16', loss_scale='auto')


def test_plain_wrapper_is_float32():
    model = nn.Linear(2, 2)
    wrapper = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.1))
    assert precision_of(wrapper) == FLOAT32
    with FLOAT32.autocast(torch.device('cpu')):
        assert model(torch.randn(1, 2)).dtype == torch.float32


def test_enable_amp_switches_every_wrapper():
    cfg = Config(
        dict(
            optim_wrapper=dict(
                constructor='SeparateOptimWrapperConstructor',
                generator=dict(optimizer=dict(type='Adam', lr=1e-3)),
                student=dict(
                    type='AmpOptimWrapper',
                    loss_scale=512.,
                    optimizer=dict(type='Adam', lr=2e-3)))))
    enable_amp(cfg)
    for name in ('generator', 'student'):
        wrapper = cfg.optim_wrapper[name]
        assert wrapper['type'] == 'mmrazor_zs.AutocastOptimWrapper'
        # no CUDA here: bfloat16 by default
        assert wrapper['dtype'] == 'bfloat16'
        assert 'loss_scale' not in wrapper
    with pytest.raises(ValueError, match='--amp-dtype must be one of'):
        enable_amp(cfg, 'half')
    with pytest.raises(ValueError, match='no `optim_wrapper`'):
        enable_amp(Config(dict()))


@pytest.mark.parametrize('scale', [1.0, 1024.0])
def test_round_backward_unscales(scale):
    pixels = torch.randn(3, 4, requires_grad=True)
    weight = torch.randn(4, 2, requires_grad=True)
    loss = (pixels @ weight).square().sum()
    expected, = torch.autograd.grad(loss, pixels, retain_graph=True)
    round_backward(loss, [pixels], loss_scale=scale)
    torch.testing.assert_close(pixels.grad, expected)
    assert weight.grad is None
