# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""tools/train.py, tools/test.py and the student converter, end to end on
the digits config with a short schedule."""
import json
import os
import os.path as osp
import subprocess

import pytest
import torch
from mmengine.config import Config

from mmrazor_zs.registry import MODELS
from mmrazor_zs.utils import load_checkpoint_file
from ..conftest import PYTHON, REPO_ROOT, python_env

CONFIG = 'configs/zskt/zskt_logits_lenet5_lenet5-half_1xb128_digits.py'
STUDENT_CONFIG = 'configs/_base_/models/lenet5-half_digits.py'
SHORT = [
    'model.batch_size=16', 'model.student_steps=2',
    'model.generator.seed_channels=16', 'model.generator.hidden_channels=16,8',
    'default_hooks.logger.interval=1', 'default_hooks.checkpoint.interval=2',
    'train_cfg.val_interval=2'
]


def run_tool(*args, check=True):
    result = subprocess.run([PYTHON, *args],
                            cwd=REPO_ROOT,
                            env=python_env(),
                            capture_output=True,
                            text=True,
                            timeout=600)
    if check and result.returncode != 0:
        raise AssertionError(f'{args} failed:\n{result.stdout[-3000:]}\n'
                             f'{result.stderr[-3000:]}')
    return result


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
                'Distillation summary'):
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
    result = run_tool('tools/test.py', CONFIG, str(work_dir / 'iter_4.pth'),
                      '--work-dir', str(work_dir / 'test'))
    assert 'accuracy/top1' in result.stdout + result.stderr


def test_resume_finishes_like_an_uninterrupted_run(tmp_path):
    straight = tmp_path / 'straight'
    train(straight, 6)
    # iter_4.pth is what a run killed between iterations 4 and 6 leaves
    resumed = tmp_path / 'resumed'
    result = train(resumed, 6, '--resume', str(straight / 'iter_4.pth'))
    assert 'resumed epoch: 0, iter: 4' in result.stdout + result.stderr
    a = load_checkpoint_file(str(straight / 'iter_6.pth'))['state_dict']
    b = load_checkpoint_file(str(resumed / 'iter_6.pth'))['state_dict']
    for key in a:
        if key.startswith(('student.', 'generator.')):
            assert torch.equal(a[key], b[key]), key


def test_amp_on_cpu_fails_with_a_clear_message(tmp_path):
    if torch.cuda.is_available():
        pytest.skip('this machine has a GPU')
    result = run_tool('tools/train.py', CONFIG, '--amp', '--work-dir',
                      str(tmp_path), check=False)
    assert result.returncode != 0
    assert '--amp needs a CUDA GPU' in result.stderr
