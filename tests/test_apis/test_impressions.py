# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""ZSKD stage 1: shards, manifest, resume, corruption, two processes."""
import json
import os
import os.path as osp
import socket
import subprocess

import pytest
import torch

from mmrazor_zs.apis import (synthesis_settings, synthesize_impressions,
                             teacher_fingerprint)
from mmrazor_zs.datasets import ImpressionStoreError, read_manifest, read_shard
from mmrazor_zs.registry import MODELS
from mmrazor_zs.testing import tiny_classifier_cfg
from ..conftest import PYTHON, REPO_ROOT, python_env

SETTINGS = dict(
    input_shape=(1, 32, 32), per_class=2, shard_size=1, iterations=3,
    lr=0.05, seed=7)
MEAN, STD = [77.8], [82.5]


@pytest.fixture
def teacher_ckpt(tmp_path):
    torch.manual_seed(0)
    teacher = MODELS.build(tiny_classifier_cfg((6, 12, 24)))
    path = tmp_path / 'teacher.pth'
    torch.save({'state_dict': teacher.state_dict()}, path)
    return teacher.eval(), str(path)


def synthesize(teacher, out_dir, ckpt, **overrides):
    return synthesize_impressions(
        teacher, synthesis_settings(dict(SETTINGS, **overrides)), MEAN, STD,
        str(out_dir), teacher_fingerprint(ckpt),
        show_progress=False)


def shard_files(folder):
    return sorted(f for f in os.listdir(folder) if f.startswith('shard_'))


def test_shards_and_manifest(teacher_ckpt, tmp_path):
    teacher, ckpt = teacher_ckpt
    manifest = synthesize(teacher, tmp_path / 'di', ckpt)
    assert manifest == read_manifest(str(tmp_path / 'di'))
    assert manifest['total'] == 20 and len(shard_files(tmp_path / 'di')) == 20
    assert manifest['counts']['3'] == {'1.0': 1, '0.1': 1}
    assert manifest['teacher_sha256'] == teacher_fingerprint(ckpt)
    assert manifest['settings']['tau'] == 20.0
    assert osp.isfile(tmp_path / 'di' / 'impressions_grid.png')
    shard = read_shard(str(tmp_path / 'di' / 'shard_00000.pth'))
    assert shard['images'].dtype == torch.uint8
    assert shard['images'].shape == (1, 32, 32, 1)
    assert torch.allclose(shard['labels'].sum(1), torch.ones(1))
    assert torch.allclose(shard['targets'].sum(1), torch.ones(1))


def test_resume_after_interruption_gives_the_same_set(teacher_ckpt,
                                                      tmp_path):
    teacher, ckpt = teacher_ckpt
    synthesize(teacher, tmp_path / 'straight', ckpt)
    synthesize(teacher, tmp_path / 'resumed', ckpt)
    # an interruption: later shards and the manifest never got written,
    # and a half-written temporary file was left behind
    folder = tmp_path / 'resumed'
    for name in shard_files(folder)[5:]:
        os.remove(folder / name)
    os.remove(folder / 'manifest.json')
    (folder / 'shard_00007.pth.tmp-123').write_bytes(b'partial')
    synthesize(teacher, folder, ckpt)
    assert not any('.tmp-' in name for name in os.listdir(folder))
    for name in shard_files(tmp_path / 'straight'):
        a = read_shard(str(tmp_path / 'straight' / name))
        b = read_shard(str(folder / name))
        assert torch.equal(a['images'], b['images']), name
        assert torch.equal(a['labels'], b['labels']), name


def test_corrupt_or_foreign_shard_is_reported(teacher_ckpt, tmp_path):
    teacher, ckpt = teacher_ckpt
    folder = tmp_path / 'di'
    synthesize(teacher, folder, ckpt)
    path = folder / 'shard_00004.pth'
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(ImpressionStoreError, match='shard_00004.pth'):
        synthesize(teacher, folder, ckpt)
    os.remove(path)
    synthesize(teacher, folder, ckpt)  # redone after deletion
    # a rerun with other settings must not mix impressions made two ways
    with pytest.raises(ImpressionStoreError,
                       match=r'other settings \(iterations: 3 then, 4 now; '
                       r'seed: 7 then, 8 now\)'):
        synthesize(teacher, folder, ckpt, seed=8, iterations=4)
    os.remove(folder / 'synthesis_settings.json')
    with pytest.raises(ImpressionStoreError, match='current plan'):
        synthesize(teacher, folder, ckpt, seed=8)


def test_unknown_setting_fails():
    with pytest.raises(ValueError, match="Unknown `synthesis` settings "
                       r"\['iteratons'\]; valid: .*'out_dir'"):
        synthesis_settings(dict(iteratons=5))
    # where the impressions go is not a setting of the impressions
    assert 'out_dir' not in synthesis_settings(
        dict(input_shape=(1, 8, 8), out_dir='/x'))
    with pytest.raises(ValueError, match='`synthesis.input_shape` must be'):
        synthesis_settings(dict(per_class=3))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


@pytest.mark.parametrize('warm_start', [False, True])
def test_two_processes_write_disjoint_shards_that_are_complete(
        teacher_ckpt, tmp_path, warm_start):
    teacher, ckpt = teacher_ckpt
    out_dir = tmp_path / 'di'
    cfg = tmp_path / 'synth.py'
    settings = dict(SETTINGS, warm_start=warm_start)
    cfg.write_text(f"""
default_scope = 'mmrazor_zs'
data_preprocessor = dict(mean={MEAN}, std={STD})
model = dict(
    teacher={tiny_classifier_cfg((6, 12, 24))!r},
    teacher_ckpt='{ckpt}')
synthesis = dict(out_dir='{out_dir}', **{settings!r})
""")
    result = subprocess.run(
        [PYTHON, '-m', 'torch.distributed.run', '--nproc_per_node', '2',
         '--master_port', str(free_port()), 'tools/synthesize_impressions.py',
         str(cfg), '--launcher', 'pytorch'],
        cwd=REPO_ROOT, env=python_env(), capture_output=True, text=True,
        timeout=600)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    manifest = json.load(open(out_dir / 'manifest.json'))
    assert manifest['world_size'] == 2 and manifest['total'] == 20
    shards = [read_shard(str(out_dir / name)) for name in shard_files(out_dir)]
    ranks = [shard['spec']['rank'] for shard in shards]
    assert len(ranks) == 20 and ranks.count(0) == ranks.count(1) == 10
    if warm_start:  # whole classes per rank: 0, 2, 4, ... on rank 0
        assert all(s['spec']['rank'] == s['spec']['label'] % 2
                   for s in shards)
    # the same set as one process makes
    synthesize(teacher, tmp_path / 'one', ckpt, warm_start=warm_start)
    for name, shard in zip(shard_files(out_dir), shards):
        alone = read_shard(str(tmp_path / 'one' / name))
        assert torch.equal(shard['images'], alone['images']), name


def test_warm_start_continues_from_the_previous_shard_of_the_class(
        teacher_ckpt, tmp_path):
    teacher, ckpt = teacher_ckpt
    # without optimisation steps a warm-started shard is its predecessor
    folder = tmp_path / 'frozen'
    synthesize(teacher, folder, ckpt, iterations=0, warm_start=True,
               per_class=3, betas=(1.0, ), beta_fractions=(1.0, ))
    images = [read_shard(str(folder / name))['images']
              for name in shard_files(folder)]
    assert torch.equal(images[0], images[1])  # class 0, shards 0 -> 1
    assert torch.equal(images[1], images[2])
    assert not torch.equal(images[2], images[3])  # class 1 starts afresh
    cold = tmp_path / 'cold'
    synthesize(teacher, cold, ckpt, iterations=0, per_class=3,
               betas=(1.0, ), beta_fractions=(1.0, ))
    assert not torch.equal(read_shard(str(cold / 'shard_00001.pth'))['images'],
                           images[1])


def test_warm_started_run_resumes_to_the_same_set(teacher_ckpt, tmp_path):
    teacher, ckpt = teacher_ckpt
    synthesize(teacher, tmp_path / 'straight', ckpt, warm_start=True)
    folder = tmp_path / 'resumed'
    synthesize(teacher, folder, ckpt, warm_start=True)
    for name in shard_files(folder)[5:]:  # class 2's second shard onwards
        os.remove(folder / name)
    os.remove(folder / 'manifest.json')
    synthesize(teacher, folder, ckpt, warm_start=True)
    for name in shard_files(tmp_path / 'straight'):
        a = read_shard(str(tmp_path / 'straight' / name))
        b = read_shard(str(folder / name))
        assert torch.equal(a['images'], b['images']), name


def test_the_configured_optimiser_is_used(teacher_ckpt, tmp_path):
    teacher, ckpt = teacher_ckpt
    synthesize(teacher, tmp_path / 'start', ckpt, iterations=0)
    # SGD with a zero learning rate leaves the starting images as they are
    synthesize(teacher, tmp_path / 'sgd', ckpt, lr=0.0,
               optimizer=dict(type='SGD'))
    synthesize(teacher, tmp_path / 'adam', ckpt)
    start = read_shard(str(tmp_path / 'start' / 'shard_00000.pth'))
    sgd = read_shard(str(tmp_path / 'sgd' / 'shard_00000.pth'))
    adam = read_shard(str(tmp_path / 'adam' / 'shard_00000.pth'))
    assert torch.equal(sgd['images'], start['images'])
    assert not torch.equal(adam['images'], start['images'])
