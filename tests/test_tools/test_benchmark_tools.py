# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""The benchmark tools run end to end on small settings and report what their
pages quote: times per side, ratios, shares of the bare rate, and the peak
memory per side."""
import json
import sys

import pytest
import torch

from mmrazor_zs.testing import build_benchmark_algorithm, process_repeats
from ..conftest import REPO_ROOT, load_module_from_file, run_tool

DI_DIGITS = ('configs/deepinversion/'
             'deepinversion_lenet5-bn_lenet5-half_1xb256_digits.py')


def run_benchmark(tool, tmp_path, *args):
    out = tmp_path / 'result.json'
    run_tool(f'tools/analysis_tools/{tool}', *args, '--out', str(out))
    return json.loads(out.read_text())


def test_benchmark_inversion_reports_times_ratio_and_peaks(tmp_path):
    result = run_benchmark('benchmark_inversion.py', tmp_path, DI_DIGITS,
                           '--rounds', '1', '--repeats', '1', '--cfg-options',
                           'model.synthesizer.steps=2',
                           'model.synthesizer.batch_size=8')
    assert result['steps'] == 2 and result['batch_size'] == 8
    for side in ('framework', 'plain', 'bare'):
        # a round of 8 images of 32 x 32 holds at least the batch
        assert result[f'{side}_peak_mb'] > 8 * 32 * 32 * 4 / 2**20
    assert result['ratio'] > 0 and result['bare_rate'] > 0


def test_benchmark_generator_reports_ratio_and_peaks(tmp_path):
    result = run_benchmark(
        'benchmark_generator.py', tmp_path,
        'configs/zskt/zskt_logits_lenet5_lenet5-half_1xb128_digits.py',
        '--iters', '1', '--warmup', '1', '--rounds', '1', '--cfg-options',
        'model.batch_size=8', 'model.student_steps=1')
    assert result['batch_size'] == 8
    assert result['framework_peak_mb'] > 0
    assert result['plain_pytorch_peak_mb'] > 0
    assert result['ratio'] > 0


def test_benchmark_bn_statistics_reports_the_terms_cost(tmp_path):
    result = run_benchmark('benchmark_bn_statistics.py', tmp_path, DI_DIGITS,
                           '--iters', '2', '--repeats', '1', '--batch', '8')
    assert result['batch'] == 8
    assert result['bn_layers'] == 3  # LeNet-5-BN
    # from the unrounded medians
    assert abs(result['ceiling'] -
               result['bare_ms'] / result['channel_mean_var_ms']) < 0.02
    for key in ('bare_ms', 'var_mean_ms', 'channel_mean_var_ms'):
        assert result[key] > 0


def test_benchmark_generator_against_itself(tmp_path):
    result = run_benchmark(
        'benchmark_generator.py', tmp_path,
        'configs/dfad/dfad_lenet5_lenet5-half_1xb256_digits.py',
        '--against-itself', '--iters', '1', '--warmup', '1', '--rounds', '1',
        '--cfg-options', 'model.batch_size=8', 'model.student_steps=1')
    assert 'plain_pytorch_ms' not in result
    assert result['framework_again_ms'] > 0
    assert result['framework_again_peak_mb'] > 0
    assert result['ratio'] > 0


@pytest.mark.parametrize('config', [
    'configs/dfq/dfq_lenet5-bn_lenet5-half_1xb256_digits.py',
    'configs/dafl/dafl_lenet5_lenet5-half_1xb256_digits.py',
])
def test_plain_loops_hook_the_shared_networks_only_while_they_step(config):
    """The plain side steps the algorithm's own networks: its forward hooks are
    there during its iteration and gone after it, so the framework's iterations
    never run them."""
    tool = load_module_from_file(
        'benchmark_generator',
        f'{REPO_ROOT}/tools/analysis_tools/benchmark_generator.py')
    cfg, algorithm = build_benchmark_algorithm(f'{REPO_ROOT}/{config}', {
        'model.batch_size': 4,
        'model.student_steps': 1
    }, torch.device('cpu'))
    algorithm.train()

    def hook_counts():
        return {
            name: len(module._forward_hooks)
            for name, module in algorithm.named_modules()
        }

    before = hook_counts()
    plain = tool.PLAIN_LOOPS[cfg.model.type](algorithm, cfg, 10)
    assert plain.teacher is algorithm.teacher
    assert plain.student is algorithm.student
    assert plain.hooks
    seen_during = []
    plain.iteration = lambda: seen_during.append(hook_counts())
    plain.step()
    assert hook_counts() == before
    hooked = {id(module) for module, _ in plain.hooks}
    extra = sum(seen_during[0][name] - before[name]
                for name, module in algorithm.named_modules()
                if id(module) in hooked)
    assert extra == len(plain.hooks)


@pytest.mark.parametrize('tool',
                         ['benchmark_generator', 'benchmark_inversion'])
def test_processes_report_the_medians_over_fresh_runs(tool, tmp_path,
                                                      monkeypatch):
    module = load_module_from_file(
        tool, f'{REPO_ROOT}/tools/analysis_tools/{tool}.py')
    calls = []

    def three_runs(argv, processes):
        calls.append((list(argv), processes))
        return [dict(ratio=value) for value in (1.03, 0.99, 1.01)]

    monkeypatch.setattr(process_repeats, 'results_of_processes', three_runs)
    out = tmp_path / 'result.json'
    argv = [f'{tool}.py', 'config.py', '--processes', '3', '--out', str(out)]
    monkeypatch.setattr(sys, 'argv', argv)
    module.main()
    assert calls == [(argv, 3)]  # the whole command, run again per process
    assert json.loads(out.read_text()) == dict(
        processes=3, ratio=1.01, ratio_per_process=[1.03, 0.99, 1.01])
