# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""tools/train.py, tools/test.py and the student converter, end to end on the
digits config with a short schedule."""
import json
import os
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config

from mmrazor_zs.registry import MODELS
from mmrazor_zs.utils import load_checkpoint_file
from ..conftest import REPO_ROOT, run_tool

CONFIG = 'configs/zskt/zskt_logits_lenet5_lenet5-half_1xb128_digits.py'
STUDENT_CONFIG = 'configs/_base_/models/lenet5-half_digits.py'
SHORT = [
    'model.batch_size=16', 'model.student_steps=2',
    'model.generator.seed_channels=16', 'model.generator.hidden_channels=16,8',
    'default_hooks.logger.interval=1', 'default_hooks.checkpoint.interval=2',
    'train_cfg.val_interval=2'
]


def train(work_dir, max_iters, *extra):
    return run_tool('tools/train.py', CONFIG, '--work-dir', str(work_dir),
                    *extra, '--cfg-options',
                    f'train_cfg.max_iters={max_iters}', *SHORT)


@pytest.fixture(scope='module')
def short_run(tmp_path_factory):
    work_dir = tmp_path_factory.mktemp('zskt_digits')
    result = train(work_dir, 4)
    return work_dir, result.stdout + result.stderr


def test_train_logs_progress_and_summary(short_run):
    work_dir, log = short_run
    assert 'Iter(train) [4/4]' in log
    for key in ('generator.lr', 'student.lr', 'eta:', 'loss_generator',
                'loss_kl', 'accuracy/top1', 'teacher/top1',
                'Distillation summary', 'grad_norm_generator',
                'grad_norm_student'):  # both clipped
        assert key in log, key
    summaries = [
        osp.join(work_dir, d, 'summary.json') for d in os.listdir(work_dir)
        if osp.isfile(osp.join(work_dir, d, 'summary.json'))
    ]
    summary = json.load(open(summaries[0]))
    # the stored teacher really was loaded: its recorded accuracy
    assert summary['teacher_top1'] == pytest.approx(97.3333, abs=1e-3)
    assert summary['iterations'] == 4
    assert 0 <= summary['student_top1'] <= 100


def test_summary_counts_the_generators_images_and_says_what_ran(short_run):
    work_dir, _ = short_run
    summary = json.loads(next(work_dir.glob('*/summary.json')).read_text())
    # 4 iterations x 16 images x (1 generator step + 2 student steps on
    # fresh batches)
    assert summary['synthesized_images'] == 4 * 16 * 3
    assert 0 <= summary['generator_step_time_s'] <= summary[
        'train_wall_time_s'] <= summary['run_wall_time_s']
    assert (summary['config'], summary['algorithm'], summary['dataset'],
            summary['seed']) == (CONFIG, 'ZSKT', 'Digits', 0)
    assert summary['command'][:2] == ['tools/train.py', CONFIG]


def test_extracted_student_loads_strictly_in_mmpretrain(short_run, tmp_path):
    work_dir, _ = short_run
    out = tmp_path / 'student.pth'
    run_tool('tools/model_converters/extract_student.py',
             str(work_dir / 'iter_4.pth'), str(out))
    student = MODELS.build(
        Config.fromfile(osp.join(REPO_ROOT, STUDENT_CONFIG)).model)
    state = load_checkpoint_file(str(out))['state_dict']
    result = student.load_state_dict(state, strict=False)
    assert result.missing_keys == [] and result.unexpected_keys == []
    full = load_checkpoint_file(str(work_dir / 'iter_4.pth'))['state_dict']
    assert torch.equal(state['head.layers.1.fc.weight'],
                       full['student.head.layers.1.fc.weight'])


def test_test_tool_evaluates_the_checkpoint(short_run):
    work_dir, _ = short_run
    # the config as trained (its smaller generator): the checkpoint must fit
    result = run_tool('tools/test.py', CONFIG,
                      str(work_dir / 'iter_4.pth'), '--work-dir',
                      str(work_dir / 'test'), '--cfg-options', *SHORT)
    assert 'accuracy/top1' in result.stdout + result.stderr


def test_belief_match_tool_and_hook(short_run, tmp_path):
    work_dir, _ = short_run
    extracted = tmp_path / 'student.pth'
    run_tool('tools/model_converters/extract_student.py',
             str(work_dir / 'iter_4.pth'), str(extracted))
    results = []
    for ckpt, out in ((work_dir / 'iter_4.pth', tmp_path / 'full'),
                      (extracted, tmp_path / 'extracted')):
        log = run_tool('tools/analysis_tools/belief_match.py', CONFIG,
                       str(ckpt), '--num-images', '12', '--steps', '4',
                       '--out', str(out)).stdout
        assert 'K=4, xi=1.0' in log
        results.append(json.load(open(out / 'belief_match.json')))
        assert (out / 'belief_match.png').stat().st_size > 1000
        curves = np.load(out / 'belief_match.npz')
        assert curves['student'].shape == (12, 9, 4)
    # the student alone and inside the distillation checkpoint agree
    assert results[0]['mte'] == results[1]['mte']
    assert 0 < results[0]['mte'] < 1 and results[0]['num_images'] == 12
    # the hook puts the same quantity into a test run's metrics
    cfg = tmp_path / 'with_hook.py'
    cfg.write_text(f"""
_base_ = ['{REPO_ROOT}/{CONFIG}']
custom_hooks = [dict(type='BeliefMatchHook', num_images=12, steps=4)]
""")
    result = run_tool('tools/test.py', str(cfg),
                      str(work_dir / 'iter_4.pth'), '--work-dir',
                      str(tmp_path / 'test'), '--cfg-options', *SHORT)
    line = next(
        line for line in (result.stdout + result.stderr).splitlines()
        if 'belief/mte' in line)
    logged = float(line.split('belief/mte: ')[1].split()[0])
    assert logged == pytest.approx(results[0]['mte'], abs=1e-4)


def test_amp_trains_on_the_cpu_in_bfloat16(tmp_path):
    if torch.cuda.is_available():
        pytest.skip('this machine has a GPU (float16 by default)')
    result = train(tmp_path, 2, '--amp')
    assert result.returncode == 0, result.stderr
    log = result.stdout + result.stderr
    assert "type='mmrazor_zs.AutocastOptimWrapper'" in log  # the config
    assert "dtype='bfloat16'" in log
    assert 'Iter(train) [2/2]' in log


def test_amp_dtype_without_amp_is_refused(tmp_path):
    result = run_tool(
        'tools/train.py',
        CONFIG,
        '--amp-dtype',
        'float16',
        '--work-dir',
        str(tmp_path),
        check=False)
    assert result.returncode != 0
    assert '--amp-dtype is the dtype of --amp; add --amp.' in result.stderr


def test_profile_traces_the_first_iterations(tmp_path):
    """--profile N: mmengine's ProfilerHook over the first N iterations, a
    table of operators in the log and a Chrome trace of the synthesis and
    student steps in the work dir."""
    result = train(tmp_path, 3, '--profile', '2')
    trace = json.loads((tmp_path / 'profile_trace.json').read_text())
    names = {event.get('name', '') for event in trace['traceEvents']}
    assert any('conv' in name for name in names)  # the networks ran in it
    assert any('memory' in name.lower() for name in names)  # memory events
    assert 'Self CPU time total' in result.stdout + result.stderr


def test_profile_refuses_a_bad_count(tmp_path):
    from mmrazor_zs.utils import enable_profiler
    cfg = Config(dict(work_dir=str(tmp_path)))
    with pytest.raises(ValueError, match='--profile takes the number'):
        enable_profiler(cfg, 0)
    assert enable_profiler(cfg, 2) == str(tmp_path / 'profile_trace.json')
    assert cfg.custom_hooks[-1]['profile_times'] == 2
