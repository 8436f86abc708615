# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""tools/dist_train.sh with 2 CPU processes (gloo) on ZSKT, DFQ, DFAD with
MAD's averaged generator, CMI, Fast, NAYER and CPNet."""
import json
import socket
import subprocess

import pytest
import torch

from mmrazor_zs.utils import load_checkpoint_file
from ..conftest import PYTHON, REPO_ROOT, python_env

CONFIGS = dict(
    zskt='configs/zskt/zskt_logits_lenet5_lenet5-half_1xb128_digits.py',
    # a teacher with batch norm (the generator reads its statistics), the
    # student run in eval mode by the generator step, fresh student batches
    # sampled in eval mode
    dfq='configs/dfq/dfq_lenet5-bn_lenet5-half_1xb256_digits.py',
    # MAD (a generator-family setting): the averaged generator, which no
    # loss trains, follows the same generator on every rank
    mad='configs/dfad/dfad-mad_lenet5_lenet5-half_1xb256_digits.py',
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def train_two_processes(config, work_dir) -> str:
    """``tools/dist_train.sh CONFIG 2``; its output, after checking that it
    succeeded."""
    env = python_env()
    env.update(PORT=str(free_port()), PYTHON=PYTHON)
    result = subprocess.run([
        'bash', 'tools/dist_train.sh',
        str(config), '2', '--work-dir',
        str(work_dir)
    ],
                            cwd=REPO_ROOT,
                            env=env,
                            capture_output=True,
                            text=True,
                            timeout=600)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-4000:]
    return log


@pytest.mark.skipif(
    not torch.distributed.is_available(),
    reason='torch.distributed is not available')
@pytest.mark.parametrize('algorithm', list(CONFIGS))
def test_two_process_training(tmp_path, algorithm):
    config = CONFIGS[algorithm]
    probe_dir = tmp_path / 'probe'
    probe_dir.mkdir()
    cfg = tmp_path / 'ddp.py'
    cfg.write_text(f"""
_base_ = ['{REPO_ROOT}/{config}']
custom_imports = dict(imports=['tests.ddp_probe'])
custom_hooks = [
    dict(type='DistillSummaryHook'),
    dict(type='DDPProbeHook', out_dir='{probe_dir}'),
]
model = dict(
    batch_size=16,
    student_steps=2,
    generator=dict(seed_channels=16, hidden_channels=(16, 8)))
train_cfg = dict(max_iters=3, val_interval=3)
default_hooks = dict(logger=dict(interval=1), checkpoint=dict(interval=3))
""")
    log = train_two_processes(cfg, tmp_path / 'work')
    ranks = [json.load(open(probe_dir / f'rank{r}.json')) for r in (0, 1)]
    # each trained network in its own DDP wrapper
    assert all(r['wrapper'] == 'DataFreeDistributedDataParallel'
               for r in ranks)
    assert all(r['wrapped'] == 'MMDistributedDataParallel' for r in ranks)
    assert all(r['iters'] == 3 for r in ranks)
    # every rank draws its own noise ...
    assert ranks[0]['noise'] != ranks[1]['noise']
    # ... and DDP keeps the trained networks identical across ranks
    assert ranks[0]['student'] == pytest.approx(ranks[1]['student'], 1e-9)
    assert ranks[0]['generator'] == pytest.approx(ranks[1]['generator'], 1e-9)
    params = [torch.load(probe_dir / f'rank{r}_params.pth') for r in (0, 1)]
    assert params[0].keys() == params[1].keys()
    assert any(k.startswith('student.') for k in params[0])
    assert (algorithm == 'mad') == any(
        k.startswith('momentum_generator.') for k in params[0])
    for key in params[0]:
        assert torch.equal(params[0][key], params[1][key]), key
    checkpoint = load_checkpoint_file(str(tmp_path / 'work' / 'iter_3.pth'))
    assert any(k.startswith('student.') for k in checkpoint['state_dict'])
    assert 'Distillation summary' in log


INVERSION_CONFIGS = dict(
    cmi=('configs/cmi/cmi_lenet5-bn_lenet5-half_1xb128_digits.py',
         'bank_size=64, negatives=8', 'warmup_rounds=1'),
    fast=('configs/fast/fast-2_lenet5-bn_lenet5-half_1xb256_digits.py',
          'bn_momentum=0.9', 'warmup_rounds=1'),
    nayer=('configs/nayer/nayer_lenet5-bn_lenet5-half_1xb256_digits.py',
           'bn_momentum=0.9',
           'warmup_epochs=1, warmup_loops=1, loops=1, generator_life=1'),
    cpnet=('configs/cpnet/cpnet_lenet5-bn_lenet5-half_1xb256_digits.py',
           'bn_momentum=0.9',
           'warmup_epochs=1, warmup_loops=1, loops=1, generator_life=1'),
)
#: what each synthesizer re-draws per rank at the start of every round, and
#: so carries nothing to the next: CMI's generator, NAYER's noisy layers
PER_ROUND = dict(
    cmi='synthesizer.generator.',
    nayer='synthesizer.generator.noisy_layers.',
    cpnet='synthesizer.generator.noisy_layers.')


@pytest.mark.skipif(
    not torch.distributed.is_available(),
    reason='torch.distributed is not available')
@pytest.mark.parametrize('algorithm', list(INVERSION_CONFIGS))
def test_two_process_inversion(tmp_path, algorithm):
    """Each rank writes its own shards and samples from both ranks'; the
    synthesizer's state (CMI: head, its Adam and the bank; Fast: the meta-
    generator, its Adam and the BN averages; NAYER and CPNet: the generator,
    rebuilt every epoch here, and the BN averages) and the student stay bit-
    identical across ranks, so the rank-0 checkpoint resumes both."""
    config, synthesizer, rounds = INVERSION_CONFIGS[algorithm]
    probe_dir = tmp_path / 'probe'
    probe_dir.mkdir()
    cfg = tmp_path / 'ddp.py'
    cfg.write_text(f"""
_base_ = ['{REPO_ROOT}/{config}']
custom_imports = dict(imports=['tests.ddp_probe'])
custom_hooks = [
    dict(type='ImagePoolHook'),
    dict(type='DistillSummaryHook'),
    dict(type='InversionDDPProbeHook', out_dir='{probe_dir}'),
]
model = dict(
    batch_size=8,
    round_interval=2,
    {rounds},
    synthesizer=dict(batch_size=8, steps=2, {synthesizer}))
train_cfg = dict(max_iters=4, val_interval=4)
default_hooks = dict(logger=dict(interval=1), checkpoint=dict(interval=4))
""")
    train_two_processes(cfg, tmp_path / 'work')
    ranks = [json.load(open(probe_dir / f'rank{r}.json')) for r in (0, 1)]
    assert all(r['wrapper'] == 'DataFreeDistributedDataParallel'
               for r in ranks)
    # the student is wrapped, the synthesizer is not
    assert all(r['student'] == 'MMDistributedDataParallel' for r in ranks)
    assert all(r['synthesizer'].endswith('Synthesizer') for r in ranks)
    assert ranks[0]['rounds'] == ranks[1]['rounds'] == 3
    states = [
        torch.load(probe_dir / f'rank{r}_inversion.pth', weights_only=False)
        for r in (0, 1)
    ]
    # both ranks read the same pool: 3 rounds x 2 ranks x 8 images
    assert states[0]['pool'].shape[0] == 48
    assert torch.equal(states[0]['pool'], states[1]['pool'])
    shards = sorted(
        p.name for p in (tmp_path / 'work' / 'image_pool').glob('round_*.pth'))
    assert len(shards) == 6 and shards[1] == 'round_000000_rank_001.pth'
    # ... made differently on each rank
    assert not torch.equal(states[0]['pool'][:8], states[0]['pool'][8:16])
    assert states[0].keys() == states[1].keys()
    assert any(k.startswith('synthesizer.') for k in states[0])
    per_round = PER_ROUND.get(algorithm)
    for key in states[0]:  # the optimiser states (extra) included
        if key != 'pool' and not (per_round and key.startswith(per_round)):
            assert torch.equal(states[0][key], states[1][key]), key
