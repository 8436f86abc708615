# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""DeepInversion's ImageNet synthesis on 2 ranks (tools/dist_train.sh, gloo on
the CPU) with torchvision's ResNet-50 at random weights as the teacher
(converted by torchvision_to_mmpretrain.py), killed after some of its shards
are written, then run again with the same command: every (round, rank) shard is
there once, those written before the kill are kept as they were, no image is
duplicated, and the student trains on the whole pool."""
import os
import signal
import subprocess
import time

import pytest
import torch
import torchvision

from mmrazor_zs.storage import ImagePool
from ..conftest import PYTHON, REPO_ROOT, python_env
from ..test_datasets.test_imagenet_layout import write_fake_imagenet
from .test_distributed import free_port

CONFIG = ('configs/deepinversion/'
          'deepinversion-set0_r50_r18_8xb152_imagenet.py')
ROUNDS = 6  # per rank


def start(work_dir, data_root, teacher_ckpt):
    env = python_env()
    env.update(PORT=str(free_port()), PYTHON=PYTHON)
    options = [
        f'model.teacher_ckpt={teacher_ckpt}', f'model.warmup_rounds={ROUNDS}',
        'model.synthesizer.batch_size=2', 'model.synthesizer.pooled_steps=1',
        'model.synthesizer.steps=1', 'model.batch_size=2',
        'train_cfg.max_iters=2', 'train_cfg.val_interval=2',
        'default_hooks.checkpoint.interval=2',
        'default_hooks.logger.interval=1', 'val_dataloader.batch_size=2',
        'val_dataloader.num_workers=0',
        f'val_dataloader.dataset.data_root={data_root}',
        'val_dataloader.dataset.indices=2'
    ]
    return subprocess.Popen([
        'bash', 'tools/dist_train.sh', CONFIG, '2', '--work-dir',
        str(work_dir), '--cfg-options', *options
    ],
                            cwd=REPO_ROOT,
                            env=env,
                            stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT,
                            text=True,
                            start_new_session=True)


def shards(pool):
    return sorted(pool.glob('round_*.pth'))


@pytest.mark.skipif(
    not torch.distributed.is_available(),
    reason='torch.distributed is not available')
def test_a_killed_two_rank_synthesis_continues_without_loss_or_repeat(
        tmp_path):
    torch.manual_seed(0)
    teacher = tmp_path / 'torchvision_resnet50.pth'
    torch.save(
        torchvision.models.resnet50(weights=None).state_dict(),
        tmp_path / 'resnet50.pth')
    converted = subprocess.run([
        PYTHON, 'tools/model_converters/torchvision_to_mmpretrain.py',
        str(tmp_path / 'resnet50.pth'),
        str(teacher)
    ],
                               cwd=REPO_ROOT,
                               env=python_env(),
                               capture_output=True,
                               text=True,
                               timeout=300)
    assert converted.returncode == 0, converted.stderr[-3000:]
    data_root = write_fake_imagenet(tmp_path / 'imagenet')
    work_dir = tmp_path / 'work'
    pool = work_dir / 'image_pool'

    killed = start(work_dir, data_root, teacher)
    deadline = time.time() + 400
    while not pool.is_dir() or len(shards(pool)) < 3:
        assert killed.poll() is None, killed.communicate()[0][-4000:]
        assert time.time() < deadline, 'no shard was written'
        time.sleep(0.02)
    os.killpg(killed.pid, signal.SIGKILL)
    killed.wait(timeout=60)
    left = {path.name: path.stat().st_mtime_ns for path in shards(pool)}
    assert 3 <= len(left) < 2 * ROUNDS
    assert not list(work_dir.glob('iter_*.pth'))  # killed in the synthesis

    rerun = start(work_dir, data_root, teacher)
    log, _ = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, log[-4000:]
    names = [path.name for path in shards(pool)]
    assert names == [
        f'round_{r:06d}_rank_{k:03d}.pth' for r in range(ROUNDS)
        for k in (0, 1)
    ]
    # the shards the kill left were kept, not made again
    for name, mtime in left.items():
        assert (pool / name).stat().st_mtime_ns == mtime, name
    images = ImagePool(str(pool), 0, 2).load(before_round=ROUNDS)
    assert images.shape == (2 * ROUNDS * 2, 3, 224, 224)
    flat = images.flatten(1)
    assert torch.unique(flat, dim=0).shape[0] == len(flat)  # no repeat
    assert (work_dir / 'iter_2.pth').is_file()
