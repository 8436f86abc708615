# Copyright (c) mmrazor_zs contributors. All rights reserved.
import subprocess

from ..conftest import PYTHON, REPO_ROOT, python_env

CONFIG = 'configs/zskt/zskt_logits_lenet5_lenet5-half_1xb128_digits.py'
SHORT = [
    'model.batch_size=16', 'model.student_steps=1',
    'model.generator.seed_channels=16', 'model.generator.hidden_channels=16,8',
    'train_cfg.max_iters=2', 'train_cfg.val_interval=2',
    'default_hooks.checkpoint.interval=2'
]


def multi_seed(work_dir):
    result = subprocess.run([
        PYTHON, 'tools/analysis_tools/multi_seed.py', CONFIG, '--seeds', '0',
        '1', '--work-dir',
        str(work_dir), '--cfg-options', *SHORT
    ],
                            cwd=REPO_ROOT,
                            env=python_env(),
                            capture_output=True,
                            text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_runs_each_seed_and_reports_mean_and_std(tmp_path):
    out = multi_seed(tmp_path)
    assert out.count('seed 0: ') == 1 and out.count('seed 1: ') == 1
    # the digits config leaves model.seed to follow the run's seed
    assert 'randomness.seed=1' in out and 'model.seed' not in out
    report = (tmp_path / 'multi_seed.md').read_text()
    rows = [line for line in report.splitlines() if line.startswith('|')]
    assert rows[0].startswith('| seed | student top-1 (final) |')
    assert [row.split('|')[1].strip()
            for row in rows[2:]] == ['0', '1', 'mean +- std']
    final = [float(row.split('|')[2]) for row in rows[2:4]]
    mean, std = rows[4].split('|')[2].split('+-')
    assert abs(float(mean) - sum(final) / 2) < 0.006
    assert abs(float(std) - abs(final[0] - final[1]) / 2**0.5) < 0.006
    # finished seeds are not run again
    assert 'seed 0: ' not in multi_seed(tmp_path)
