# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Jobs killed with SIGKILL and resumed end exactly where uninterrupted runs
end: ZSKT, DAFL, DFAD, DFQ, the inversion family, ZSKD's student training and
ZSKD's synthesis."""
import glob
import json
import os
import signal
import subprocess
import time

import pytest
import torch

from mmrazor_zs.storage import read_shard
from mmrazor_zs.utils import load_checkpoint_file
from ..conftest import PYTHON, REPO_ROOT, python_env
from ..fault_probe import FAULT_ENV

ZSKT_CONFIG = 'configs/zskt/zskt_logits_lenet5_lenet5-half_1xb128_digits.py'
ZSKD_CONFIG = 'configs/zskd/zskd_lenet5_lenet5-half_1xb64_digits.py'
ZSKT_SHORT = [
    'model.batch_size=16', 'model.student_steps=2',
    'model.generator.seed_channels=16', 'model.generator.hidden_channels=16,8',
    'default_hooks.checkpoint.interval=2', 'train_cfg.val_interval=2',
    'train_cfg.max_iters=8'
]
# 100 impressions, 7 iterations per epoch, a checkpoint and a validation
# after every epoch; augmentation draws random numbers throughout
ZSKD_SHORT = [
    'synthesis.per_class=10', 'synthesis.shard_size=10',
    'synthesis.iterations=3', 'train_dataloader.batch_size=16',
    'train_cfg.max_epochs=4', 'train_cfg.val_interval=1',
    'default_hooks.checkpoint.interval=1'
]
# the generator family's digits demos, 6 iterations with a checkpoint and a
# validation every 2: (extra options, fault, checkpoint resumed from)
FAMILY_SHORT = [
    'model.batch_size=16', 'model.generator.seed_channels=16',
    'model.generator.hidden_channels=16,8',
    'default_hooks.checkpoint.interval=2', 'train_cfg.val_interval=2',
    'train_cfg.max_iters=6'
]
FAMILY_CASES = dict(
    dafl=([], '5:after_train_iter', 4),
    dfad=(['model.student_steps=2'], '4:saving_checkpoint', 2),
    dfq=(['model.student_steps=2'], '3:after_train_iter', 2))
FAMILY_CONFIGS = [
    (os.path.relpath(path, REPO_ROOT), *FAMILY_CASES[family])
    for family in FAMILY_CASES
    for path in sorted(glob.glob(f'{REPO_ROOT}/configs/{family}/*_digits.py'))
]


def probed_config(tmp_path, config: str, hooks=()) -> str:
    """The config with the fault-injecting hook added (a no-op unless the
    environment asks for a fault), after ``hooks`` (names) if given."""
    path = tmp_path / f'probed_{os.path.basename(config)}'
    extra = ''.join(f"    dict(type='{hook}'),\n" for hook in hooks)
    path.write_text(f"""
_base_ = ['{REPO_ROOT}/{config}']
custom_imports = dict(imports=['tests.fault_probe'])
custom_hooks = [
{extra}    dict(type='DistillSummaryHook'),
    dict(type='FaultInjectionHook')
]
""")
    return str(path)


def start_training(config, work_dir, options, kill_at=None, resume=False):
    """tools/train.py in the background, killed at ``kill_at`` if set."""
    env = python_env()
    if kill_at:
        env[FAULT_ENV] = kill_at
    args = [PYTHON, 'tools/train.py', config, '--work-dir', str(work_dir)]
    args += ['--resume'] if resume else []
    return subprocess.Popen(
        args + ['--cfg-options', *options],
        cwd=REPO_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True)


def finish_training(process):
    """The exit status and output of a :func:`start_training` process."""
    log, _ = process.communicate(timeout=600)
    return process.returncode, log


def train(config, work_dir, options, kill_at=None, resume=False):
    returncode, log = finish_training(
        start_training(config, work_dir, options, kill_at, resume))
    expected = -signal.SIGKILL if kill_at else 0
    assert returncode == expected, log[-4000:]
    return log


def trained_weights(path):
    state = load_checkpoint_file(str(path))['state_dict']
    return {
        k: v
        for k, v in state.items() if k.startswith(('student.', 'generator.'))
    }


def assert_same_weights(a, b):
    assert a.keys() == b.keys()
    for key in a:
        assert torch.equal(a[key], b[key]), key


def assert_same_state(a, b, where='checkpoint'):
    """Tensors bit-identical, everything else equal, recursively."""
    if isinstance(a, torch.Tensor):
        assert isinstance(b, torch.Tensor) and torch.equal(a, b), where
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), where
        for key in a:
            assert_same_state(a[key], b[key], f'{where}.{key}')
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), where
        for index, (x, y) in enumerate(zip(a, b)):
            assert_same_state(x, y, f'{where}[{index}]')
    else:
        assert a == b, where


def summary_of(work_dir):
    """The summary of the last run in ``work_dir``, without what is measured
    rather than computed (the wall times, the images per second, the peak
    memory of the process) and the command (its work dir and ``--resume``
    differ)."""
    found = sorted(work_dir.glob('*/summary.json'))
    summary = json.loads(found[-1].read_text())
    for key in ('train_wall_time_s', 'run_wall_time_s', 'command',
                'synthesized_images_per_s', 'peak_memory_mb'):
        summary.pop(key)
    summary.pop('generator_step_time_s', None)  # the generator family's
    return summary


@pytest.fixture(scope='module')
def zskt_straight(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp('zskt')
    config = probed_config(tmp_path, ZSKT_CONFIG)
    train(config, tmp_path / 'straight', ZSKT_SHORT)
    return (config, trained_weights(tmp_path / 'straight' / 'iter_8.pth'),
            summary_of(tmp_path / 'straight'))


@pytest.mark.parametrize('kill_at',
                         ['5:after_train_iter', '6:saving_checkpoint'])
def test_zskt_killed_and_resumed_ends_bit_identical(zskt_straight, tmp_path,
                                                    kill_at):
    config, expected, summary = zskt_straight
    work_dir = tmp_path / 'killed'
    train(config, work_dir, ZSKT_SHORT, kill_at=kill_at)
    assert not (work_dir / 'iter_6.pth').exists()
    log = train(config, work_dir, ZSKT_SHORT, resume=True)
    assert 'resumed epoch: 0, iter: 4' in log
    assert_same_weights(trained_weights(work_dir / 'iter_8.pth'), expected)
    # the best-so-far record includes the validation run before the kill
    assert summary_of(work_dir) == summary


def test_zskt_resume_from_a_named_checkpoint(zskt_straight, tmp_path):
    config, expected, _ = zskt_straight
    first = tmp_path / 'first'
    train(config, first, ZSKT_SHORT, kill_at='3:after_train_iter')
    second = tmp_path / 'second'
    log = subprocess.run([
        PYTHON, 'tools/train.py', config, '--work-dir',
        str(second), '--resume',
        str(first / 'iter_2.pth'), '--cfg-options', *ZSKT_SHORT
    ],
                         cwd=REPO_ROOT,
                         env=python_env(),
                         capture_output=True,
                         text=True,
                         timeout=600)
    assert log.returncode == 0, log.stderr[-3000:]
    assert 'resumed epoch: 0, iter: 2' in log.stdout + log.stderr
    assert_same_weights(trained_weights(second / 'iter_8.pth'), expected)


def straight_killed_resumed(tmp_path_factory, cases, short, hooks=()):
    """For every (config, extra options, kill point, _) of ``cases`` an
    uninterrupted run and a killed run, all side by side, each killed run
    resumed as soon as it is dead: the runs are mostly start-up (imports), so
    this keeps both cores busy.

    Records what the kill left: the checkpoints and, for the inversion family,
    the pool shards.
    """
    runs = {}
    for config, extra, kill_at, _ in cases:
        tmp_path = tmp_path_factory.mktemp(os.path.basename(config)[:-3])
        probed = probed_config(tmp_path, config, hooks=hooks)
        options = short + extra
        runs[config] = dict(
            dir=tmp_path,
            restart=(probed, tmp_path / 'killed', options),
            straight=start_training(probed, tmp_path / 'straight', options),
            killed=start_training(
                probed, tmp_path / 'killed', options, kill_at=kill_at))
    for run in runs.values():  # each resumes as soon as it is killed
        run['killed'] = finish_training(run['killed'])
        killed = run['dir'] / 'killed'
        run['left'] = sorted(p.name for p in killed.glob('iter_*.pth'))
        pool = killed / 'image_pool'
        run['shards_left'] = sorted(p.name for p in pool.glob('round_*.pth'))
        run['resumed'] = start_training(*run['restart'], resume=True)
    for run in runs.values():
        for stage in ('straight', 'resumed'):
            run[stage] = finish_training(run[stage])
    return runs


@pytest.fixture(scope='module')
def family_runs(tmp_path_factory):
    """Straight, killed and resumed runs of each generator-family demo."""
    return straight_killed_resumed(tmp_path_factory, FAMILY_CONFIGS,
                                   FAMILY_SHORT)


@pytest.mark.parametrize(
    'config,extra,kill_at,resumed_from',
    FAMILY_CONFIGS,
    ids=[c[0].split('/')[1] for c in FAMILY_CONFIGS])
def test_generator_family_killed_and_resumed_ends_bit_identical(
        family_runs, config, extra, kill_at, resumed_from):
    """Weights, the generator's Adam and the student's optimizer state, the
    schedulers and the noise position (``_extra_state``) all resume exactly."""
    run = family_runs[config]
    for stage, expected in (('straight', 0), ('killed', -signal.SIGKILL),
                            ('resumed', 0)):
        returncode, log = run[stage]
        assert returncode == expected, f'{stage} run:\n{log[-4000:]}'
    # the kill left no checkpoint after the one resumed from
    assert run['left'] == [
        f'iter_{i}.pth' for i in range(2, resumed_from + 1, 2)
    ]
    assert f'resumed epoch: 0, iter: {resumed_from}' in run['resumed'][1]
    straight = load_checkpoint_file(
        str(run['dir'] / 'straight' / 'iter_6.pth'))
    resumed = load_checkpoint_file(str(run['dir'] / 'killed' / 'iter_6.pth'))
    assert '_extra_state' in straight['state_dict']
    assert straight['param_schedulers'].keys(
    ) == resumed['param_schedulers'].keys() == {'generator', 'student'}
    for key in ('state_dict', 'optimizer', 'param_schedulers'):
        assert_same_state(straight[key], resumed[key], key)
    assert straight['meta']['iter'] == resumed['meta']['iter'] == 6
    assert summary_of(run['dir'] / 'killed') == summary_of(run['dir'] /
                                                           'straight')


# the inversion family's digits demos, 6 iterations with a checkpoint and
# a validation every 2, a synthesis round every 2 (or all rounds first)
INVERSION_SHORT = [
    'model.batch_size=16', 'model.synthesizer.batch_size=16',
    'model.synthesizer.steps=3', 'default_hooks.checkpoint.interval=2',
    'train_cfg.val_interval=2', 'train_cfg.max_iters=6'
]
INVERSION_CASES = {
    'adi_lenet5-bn_lenet5-half_1xb256_digits.py':
    (['model.round_interval=2'], '5:after_train_iter', 4),
    'deepinversion_lenet5-bn_lenet5-half_1xb256_digits.py':
    (['model.warmup_rounds=2'], '4:saving_checkpoint', 2),
    # the bank wraps, the head's Adam carries over
    'cmi_lenet5-bn_lenet5-half_1xb128_digits.py':
    (['model.round_interval=2',
      'model.synthesizer.bank_size=48'], '5:after_train_iter', 4),
    # the adversarial term starts in the warm-up's last round, the BN
    # averages and the meta-Adam carry over
    'fast-2_lenet5-bn_lenet5-half_1xb256_digits.py':
    (['model.round_interval=2',
      'model.warmup_rounds=2'], '5:after_train_iter', 4),
    # the generator, rebuilt every epoch from the round's stream, its BN
    # and the BN averages carry over; the noisy layers are re-drawn
    # NAYER's carry-over, and the batch-norm averages the coupling targets
    # blend in; CutMix and the alignment from the first loop after warm-up
    'cpnet_lenet5-bn_lenet5-half_1xb256_digits.py': ([
        'model.round_interval=2', 'model.warmup_epochs=1',
        'model.warmup_loops=2', 'model.generator_life=1'
    ], '5:after_train_iter', 4),
    'nayer_lenet5-bn_lenet5-half_1xb256_digits.py': ([
        'model.round_interval=2', 'model.warmup_epochs=1',
        'model.warmup_loops=2', 'model.generator_life=1'
    ], '5:after_train_iter', 4),
}
INVERSION_CONFIGS = [
    (os.path.relpath(path,
                     REPO_ROOT), *INVERSION_CASES[os.path.basename(path)])
    for path in sorted(glob.glob(f'{REPO_ROOT}/configs/*/*_digits.py'))
    if os.path.basename(path) in INVERSION_CASES
]


@pytest.fixture(scope='module')
def inversion_runs(tmp_path_factory):
    """Straight, killed and resumed runs of each inversion demo."""
    return straight_killed_resumed(
        tmp_path_factory,
        INVERSION_CONFIGS,
        INVERSION_SHORT,
        hooks=['ImagePoolHook'])


def test_inversion_demos_are_all_resume_tested():
    assert len(INVERSION_CONFIGS) == len(INVERSION_CASES)


@pytest.mark.parametrize(
    'config,extra,kill_at,resumed_from',
    INVERSION_CONFIGS,
    ids=[os.path.basename(c[0]).split('_')[0] for c in INVERSION_CONFIGS])
def test_inversion_family_killed_and_resumed_ends_bit_identical(
        inversion_runs, config, extra, kill_at, resumed_from):
    """The student, its optimizer and scheduler, the synthesizer's state, the
    round counter and every pool shard end as in the uninterrupted run,
    although the killed run had written shards past its checkpoint (rewritten
    on resume)."""
    run = inversion_runs[config]
    for stage, expected in (('straight', 0), ('killed', -signal.SIGKILL),
                            ('resumed', 0)):
        returncode, log = run[stage]
        assert returncode == expected, f'{stage} run:\n{log[-4000:]}'
    assert f'resumed epoch: 0, iter: {resumed_from}' in run['resumed'][1]
    straight_dir, killed_dir = run['dir'] / 'straight', run['dir'] / 'killed'
    straight = load_checkpoint_file(str(straight_dir / 'iter_6.pth'))
    resumed = load_checkpoint_file(str(killed_dir / 'iter_6.pth'))
    assert '_extra_state' in straight['state_dict']
    for key in ('state_dict', 'optimizer', 'param_schedulers'):
        assert_same_state(straight[key], resumed[key], key)
    shards = sorted(
        p.name for p in (straight_dir / 'image_pool').glob('round_*.pth'))
    assert shards == sorted(
        p.name for p in (killed_dir / 'image_pool').glob('round_*.pth'))
    assert set(run['shards_left']) <= set(shards)
    for name in shards:
        assert_same_state(
            load_checkpoint_file(str(straight_dir / 'image_pool' / name)),
            load_checkpoint_file(str(killed_dir / 'image_pool' / name)), name)
    summary = summary_of(killed_dir)
    assert summary.pop('synthesis_time_s') > 0
    straight_summary = summary_of(straight_dir)
    straight_summary.pop('synthesis_time_s')
    assert summary == straight_summary


def test_zskd_student_killed_and_resumed_ends_bit_identical(tmp_path):
    config = probed_config(tmp_path, ZSKD_CONFIG)
    train(config, tmp_path / 'straight', ZSKD_SHORT)
    expected = trained_weights(tmp_path / 'straight' / 'epoch_4.pth')
    work_dir = tmp_path / 'killed'
    # in epoch 3, after epoch 2's checkpoint and validation
    train(config, work_dir, ZSKD_SHORT, kill_at='17:after_train_iter')
    assert (work_dir / 'epoch_2.pth').exists()
    log = train(config, work_dir, ZSKD_SHORT, resume=True)
    assert 'resumed epoch: 2' in log
    assert_same_weights(trained_weights(work_dir / 'epoch_4.pth'), expected)


def synthesize(config, work_dir, options):
    return subprocess.Popen([
        PYTHON, 'tools/synthesize_impressions.py', config, '--work-dir',
        str(work_dir), '--cfg-options', *options
    ],
                            cwd=REPO_ROOT,
                            env=python_env(),
                            stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE,
                            text=True)


def test_nan_loss_stops_before_a_poisoned_checkpoint(zskt_straight, tmp_path):
    config, _, _ = zskt_straight
    work_dir = tmp_path / 'nan'
    # the weights break at iteration 6, whose checkpoint is due: it must
    # not be written
    env = dict(python_env(), **{FAULT_ENV: '6:nan_weights'})
    result = subprocess.run([
        PYTHON, 'tools/train.py', config, '--work-dir',
        str(work_dir), '--cfg-options', *ZSKT_SHORT
    ],
                            cwd=REPO_ROOT,
                            env=env,
                            capture_output=True,
                            text=True,
                            timeout=600)
    assert result.returncode == 1
    message = result.stderr.strip().splitlines()[-1]
    assert message.startswith('mmrazor_zs.engine.hooks.finite_loss_hook.'
                              'NonFiniteLossError: Training stopped at '
                              'iteration 6: ')
    assert 'loss_kl = nan' in message
    assert f'the last good checkpoint is {work_dir}/iter_4.pth' in message
    assert sorted(p.name for p in work_dir.glob('*.pth')) == [
        'iter_2.pth', 'iter_4.pth'
    ]
    weights = trained_weights(work_dir / 'iter_4.pth')
    assert all(torch.isfinite(w).all() for w in weights.values())


def test_synthesis_killed_and_rerun_makes_the_same_set(tmp_path):
    options = [
        'synthesis.per_class=2', 'synthesis.shard_size=1',
        'synthesis.iterations=100'
    ]
    straight = synthesize(ZSKD_CONFIG, tmp_path / 'straight', options)
    assert straight.wait(timeout=600) == 0, straight.stderr.read()[-3000:]
    killed_dir = tmp_path / 'killed'
    killed = synthesize(ZSKD_CONFIG, killed_dir, options)
    shards = killed_dir / 'impressions'
    deadline = time.time() + 300
    while len(list(shards.glob('shard_*.pth'))) < 3:
        assert killed.poll() is None and time.time() < deadline
        time.sleep(0.02)
    killed.send_signal(signal.SIGKILL)
    assert killed.wait(timeout=60) == -signal.SIGKILL
    assert not (shards / 'manifest.json').exists()
    rerun = synthesize(ZSKD_CONFIG, killed_dir, options)
    assert rerun.wait(timeout=600) == 0, rerun.stderr.read()[-3000:]
    assert not list(shards.glob('*.tmp-*'))
    names = sorted(
        p.name
        for p in (tmp_path / 'straight' / 'impressions').glob('shard_*'))
    assert len(names) == 20
    for name in names:
        a = read_shard(str(tmp_path / 'straight' / 'impressions' / name))
        b = read_shard(str(shards / name))
        assert torch.equal(a['images'], b['images']), name
        assert torch.equal(a['labels'], b['labels']), name
