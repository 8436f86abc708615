# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""tools/dist_train.sh with 2 CPU processes (gloo) on ZSKT and DFQ."""
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
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


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
    env = python_env()
    env.update(PORT=str(free_port()), PYTHON=PYTHON)
    result = subprocess.run([
        'bash', 'tools/dist_train.sh',
        str(cfg), '2', '--work-dir',
        str(tmp_path / 'work')
    ],
                            cwd=REPO_ROOT,
                            env=env,
                            capture_output=True,
                            text=True,
                            timeout=600)
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-4000:]
    ranks = [json.load(open(probe_dir / f'rank{r}.json')) for r in (0, 1)]
    # each trained network in its own DDP wrapper
    assert all(r['wrapper'] == 'MMSeparateDistributedDataParallel'
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
    for key in params[0]:
        assert torch.equal(params[0][key], params[1][key]), key
    checkpoint = load_checkpoint_file(str(tmp_path / 'work' / 'iter_3.pth'))
    assert any(k.startswith('student.') for k in checkpoint['state_dict'])
    assert 'Distillation summary' in log
