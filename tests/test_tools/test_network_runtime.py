# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""``--channels-last`` and ``--compile`` (``model.runtime``): every convolution
of every loop reads channels-last activations, checkpoints load into plain
networks, and a compiled teacher and student compute what the plain ones do."""
import shutil

import pytest
import torch
import torch.nn as nn
from mmengine.config import Config

from mmrazor_zs.models.utils.network_runtime import (apply_runtime,
                                                     runtime_settings)
from mmrazor_zs.utils.launch import enable_runtime
from ..config_harness import (ONE_DEMO_PER_LOOP, all_finite, train_shrunk,
                              write_fake_datasets)


@pytest.fixture(scope='module')
def fake_data(tmp_path_factory):
    return write_fake_datasets(tmp_path_factory.mktemp('data'))


@pytest.mark.parametrize('config', ONE_DEMO_PER_LOOP)
def test_channels_last_end_to_end(config, fake_data, tmp_path, monkeypatch):
    probe = train_shrunk(monkeypatch, config, fake_data, tmp_path / 'work',
                         ('--channels-last', ))
    model = probe.runner.model
    assert model.runtime['channels_last'] is True
    assert {'teacher', 'student'} <= set(probe.layouts)
    assert probe.layouts == {
        name: {'channels_last'}
        for name in probe.layouts
    }, probe.layouts
    assert all(probe.log_vars) and all_finite(probe.log_vars)
    # the weights stay channels-last through training, and the state dict
    # loads into the plain (contiguous) networks
    weights = [p for p in model.student.parameters() if p.dim() == 4]
    assert weights and all(
        w.is_contiguous(memory_format=torch.channels_last) for w in weights)
    plain = {k: v.contiguous() for k, v in model.state_dict().items()}
    model.load_state_dict(plain)


def test_a_network_left_contiguous_is_caught(fake_data, tmp_path, monkeypatch):
    # the mutant converts the teacher only
    def teacher_only(model, networks, channels_last, compile):
        model.teacher.to(memory_format=torch.channels_last)

    monkeypatch.setattr('mmrazor_zs.models.algorithms.base.apply_runtime',
                        teacher_only)
    probe = train_shrunk(monkeypatch, ONE_DEMO_PER_LOOP[0], fake_data,
                         tmp_path / 'work', ('--channels-last', ))
    assert 'contiguous' in probe.layouts['student']


def test_runtime_settings_refused_by_name():
    assert runtime_settings(None, 'X') == dict(
        channels_last=False, compile=False)
    with pytest.raises(ValueError, match=r"not \['layout'\]"):
        runtime_settings(dict(layout='nhwc'), 'X')
    with pytest.raises(ValueError, match='channels_last` must be True or'):
        runtime_settings(dict(channels_last='yes'), 'X')
    with pytest.raises(ValueError, match='compile` must be True, False or'):
        runtime_settings(dict(compile='inductor'), 'X')


def test_flags_refused_for_a_classifier_config():
    cfg = Config(dict(model=dict(type='mmpretrain.ImageClassifier')))
    with pytest.raises(SystemExit, match='--channels-last and --compile'):
        enable_runtime(cfg, channels_last=True, compile=False)
    enable_runtime(cfg, channels_last=False, compile=False)  # nothing to do
    cfg = Config(
        dict(
            model=dict(
                type='ZSKT', runtime=dict(compile=dict(mode='default')))))
    enable_runtime(cfg, channels_last=True, compile=True)
    assert cfg.model.runtime == dict(
        channels_last=True, compile=dict(mode='default'))


def compiler_unavailable() -> str:
    """Why torch.compile's default backend cannot run here, or ''."""
    if shutil.which('g++') is None and shutil.which('gcc') is None:
        return 'no C++ compiler for the inductor backend'
    try:
        torch.compile(lambda x: x.sin() + 1)(torch.ones(2))
    except Exception as error:  # any failure of the toolchain
        return f'torch.compile failed on a two-element sine: {error}'
    return ''


def test_apply_runtime_compiles_in_place():
    reason = compiler_unavailable()
    if reason:
        pytest.skip(reason)
    net = nn.Sequential(nn.Conv2d(3, 4, 3), nn.ReLU())
    keys = list(net.state_dict())
    x = torch.randn(2, 3, 8, 8)
    expected = net(x)
    holder = nn.Module()
    holder.net = net
    apply_runtime(holder, dict(net=net), channels_last=True, compile=True)
    assert list(net.state_dict()) == keys  # no `_orig_mod.` prefixes
    assert net._compiled_call_impl is not None
    torch.testing.assert_close(net(x), expected, rtol=1e-4, atol=1e-5)


def test_compiled_run_computes_what_the_plain_run_does(fake_data, tmp_path,
                                                       monkeypatch):
    reason = compiler_unavailable()
    if reason:
        pytest.skip(reason)
    config = ONE_DEMO_PER_LOOP[0]
    plain = train_shrunk(monkeypatch, config, fake_data, tmp_path / 'plain',
                         ())
    torch._dynamo.reset()
    frames = torch._dynamo.utils.counters['stats']['unique_graphs']
    compiled = train_shrunk(monkeypatch, config, fake_data,
                            tmp_path / 'compiled', ('--compile', ))
    assert torch._dynamo.utils.counters['stats']['unique_graphs'] > frames
    assert compiled.runner.model.student._compiled_call_impl is not None
    assert len(compiled.log_vars) == len(plain.log_vars)
    for got, expected in zip(compiled.log_vars, plain.log_vars):
        assert got.keys() == expected.keys()
        for key in expected:
            assert got[key] == pytest.approx(
                expected[key], rel=1e-3, abs=1e-5), key
