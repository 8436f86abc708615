# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""ZSKD stage 1 (models/synthesizers/impression_synthesis.py): shards,
manifest, resume, corruption, two processes."""
import json
import os
import os.path as osp
import socket
import subprocess

import pytest
import torch

from mmrazor_zs.models.synthesizers import ImpressionOptimizer
from mmrazor_zs.models.synthesizers import impression_synthesis as impressions
from mmrazor_zs.models.synthesizers.impression_synthesis import (
    synthesis_settings, synthesize_impressions, teacher_fingerprint)
from mmrazor_zs.registry import MODELS
from mmrazor_zs.storage import (ShardStoreError, read_manifest,
                                read_optimizer_state, read_shard,
                                write_optimizer_state)
from mmrazor_zs.testing import tiny_classifier_cfg
from mmrazor_zs.utils import PixelSpace, quantize_pixels
from tests.conftest import PYTHON, REPO_ROOT, python_env

SETTINGS = dict(
    input_shape=(1, 32, 32),
    per_class=2,
    shard_size=1,
    iterations=3,
    lr=0.05,
    seed=7)
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
        teacher,
        synthesis_settings(dict(SETTINGS, **overrides)),
        PixelSpace(MEAN, STD),
        str(out_dir),
        teacher_fingerprint(ckpt),
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


def test_resume_after_interruption_gives_the_same_set(teacher_ckpt, tmp_path):
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
    with pytest.raises(ShardStoreError, match='shard_00004.pth'):
        synthesize(teacher, folder, ckpt)
    os.remove(path)
    synthesize(teacher, folder, ckpt)  # redone after deletion
    # a rerun with other settings must not mix impressions made two ways
    with pytest.raises(
            ShardStoreError,
            match=r'other settings \(iterations: 3 then, 4 now; '
            r'seed: 7 then, 8 now\)'):
        synthesize(teacher, folder, ckpt, seed=8, iterations=4)
    os.remove(folder / 'synthesis_settings.json')
    with pytest.raises(ShardStoreError, match='current plan'):
        synthesize(teacher, folder, ckpt, seed=8)


def test_unknown_setting_fails():
    with pytest.raises(
            ValueError,
            match="Unknown `synthesis` settings "
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
    result = subprocess.run([
        PYTHON, '-m', 'torch.distributed.run', '--nproc_per_node', '2',
        '--master_port',
        str(free_port()), 'tools/synthesize_impressions.py',
        str(cfg), '--launcher', 'pytorch'
    ],
                            cwd=REPO_ROOT,
                            env=python_env(),
                            capture_output=True,
                            text=True,
                            timeout=600)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    manifest = json.load(open(out_dir / 'manifest.json'))
    assert manifest['world_size'] == 2 and manifest['total'] == 20
    shards = [read_shard(str(out_dir / name)) for name in shard_files(out_dir)]
    ranks = [shard['spec']['rank'] for shard in shards]
    assert len(ranks) == 20 and ranks.count(0) == ranks.count(1) == 10
    if warm_start:  # whole classes per rank: 0, 2, 4, ... on rank 0
        assert all(s['spec']['rank'] == s['spec']['label'] % 2 for s in shards)
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
    synthesize(
        teacher,
        folder,
        ckpt,
        iterations=0,
        warm_start=True,
        per_class=3,
        betas=(1.0, ),
        beta_fractions=(1.0, ))
    images = [
        read_shard(str(folder / name))['images']
        for name in shard_files(folder)
    ]
    assert torch.equal(images[0], images[1])  # class 0, shards 0 -> 1
    assert torch.equal(images[1], images[2])
    assert not torch.equal(images[2], images[3])  # class 1 starts afresh
    cold = tmp_path / 'cold'
    synthesize(
        teacher,
        cold,
        ckpt,
        iterations=0,
        per_class=3,
        betas=(1.0, ),
        beta_fractions=(1.0, ))
    assert not torch.equal(
        read_shard(str(cold / 'shard_00001.pth'))['images'], images[1])


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
    synthesize(
        teacher, tmp_path / 'sgd', ckpt, lr=0.0, optimizer=dict(type='SGD'))
    synthesize(teacher, tmp_path / 'adam', ckpt)
    start = read_shard(str(tmp_path / 'start' / 'shard_00000.pth'))
    sgd = read_shard(str(tmp_path / 'sgd' / 'shard_00000.pth'))
    adam = read_shard(str(tmp_path / 'adam' / 'shard_00000.pth'))
    assert torch.equal(sgd['images'], start['images'])
    assert not torch.equal(adam['images'], start['images'])


def hand_chain(teacher, folder, indices, **overrides):
    """The shards ``indices`` made by hand, one after the other with one
    optimiser (its state carried), from their stored targets and seeds."""
    settings = synthesis_settings(dict(SETTINGS, **overrides))
    synth = ImpressionOptimizer(
        teacher,
        settings['input_shape'],
        PixelSpace(MEAN, STD),
        iterations=settings['iterations'],
        lr=settings['lr'],
        tau=settings['tau'],
        range_mode=settings['range_mode'])
    made, state = [], None
    for index in indices:
        stored = read_shard(str(folder / f'shard_{index:05d}.pth'))
        out = synth(
            stored['targets'],
            seed=stored['spec']['seed'],
            optimizer_state=state)
        state = out['optimizer_state']
        images = quantize_pixels(out['images'])
        made.append((images.permute(0, 2, 3, 1), out['labels']))
    return made


def test_carried_state_goes_on_over_the_shards_of_a_process(
        teacher_ckpt, tmp_path, monkeypatch):
    teacher, ckpt = teacher_ckpt
    synthesize(teacher, tmp_path / 'carried', ckpt, carry_optimizer_state=True)
    synthesize(teacher, tmp_path / 'fresh', ckpt)
    carried = [
        read_shard(str(tmp_path / 'carried' / f'shard_0000{i}.pth'))
        for i in range(2)
    ]
    fresh = read_shard(str(tmp_path / 'fresh' / 'shard_00001.pth'))
    assert not torch.equal(carried[1]['images'], fresh['images'])
    for (images, labels), shard in zip(
            hand_chain(teacher, tmp_path / 'carried', [0, 1]), carried):
        assert torch.equal(images, shard['images'])
        assert torch.equal(labels, shard['labels'])
    # the states were needed only until the run finished
    assert not any(
        name.startswith('optimizer_state')
        for name in os.listdir(tmp_path / 'carried'))
    # two processes: each carries its own state over its own shards
    two = tmp_path / 'two'
    for rank in (1, 0):
        monkeypatch.setattr(impressions, 'get_rank', lambda: rank)
        monkeypatch.setattr(impressions, 'get_world_size', lambda: 2)
        synthesize(teacher, two, ckpt, carry_optimizer_state=True)
    shard_3 = read_shard(str(two / 'shard_00003.pth'))
    images, labels = hand_chain(teacher, two, [1, 3])[1]
    assert torch.equal(images, shard_3['images'])
    assert torch.equal(labels, shard_3['labels'])
    assert not torch.equal(
        shard_3['images'],
        read_shard(str(tmp_path / 'carried' / 'shard_00003.pth'))['images'])
    # so the number of processes is a setting of the folder
    monkeypatch.setattr(impressions, 'get_world_size', lambda: 1)
    with pytest.raises(ShardStoreError, match=r'world_size: 2 then, 1 now'):
        synthesize(teacher, two, ckpt, carry_optimizer_state=True)


class Killed(Exception):
    """The process dies here."""


@pytest.mark.parametrize('killed_in', ['write_optimizer_state', 'write_shard'])
def test_carried_state_run_resumes_to_the_same_bits(teacher_ckpt, tmp_path,
                                                    monkeypatch, killed_in):
    teacher, ckpt = teacher_ckpt
    settings = dict(
        carry_optimizer_state=True, warm_start=True, range_mode='batch_minmax')
    synthesize(teacher, tmp_path / 'straight', ckpt, **settings)
    # killed while writing the state of shard 5, or its images
    write = getattr(impressions, killed_in)

    def killed_at_shard_5(folder, spec, *args):
        if spec['index'] == 5:
            raise Killed
        return write(folder, spec, *args)

    folder = tmp_path / 'resumed'
    monkeypatch.setattr(impressions, killed_in, killed_at_shard_5)
    with pytest.raises(Killed):
        synthesize(teacher, folder, ckpt, **settings)
    assert len(shard_files(folder)) == 5
    monkeypatch.setattr(impressions, killed_in, write)
    synthesize(teacher, folder, ckpt, **settings)
    for name in shard_files(tmp_path / 'straight'):
        a = read_shard(str(tmp_path / 'straight' / name))
        b = read_shard(str(folder / name))
        assert torch.equal(a['images'], b['images']), name
        assert torch.equal(a['labels'], b['labels']), name
    # a shard lost after the run cannot be remade without its predecessor's
    # state, and the error says so
    os.remove(folder / 'shard_00007.pth')
    with pytest.raises(
            ShardStoreError,
            match=r'optimizer_state_00006.pth is missing.*'
            'delete the folder'):
        synthesize(teacher, folder, ckpt, **settings)


def test_carried_state_needs_shards_of_one_size(teacher_ckpt, tmp_path):
    teacher, ckpt = teacher_ckpt
    with pytest.raises(
            ValueError,
            match=r'needs shards of one size.*shard_size=2 give '
            r'shards of \[1, 2\] impressions'):
        synthesize(
            teacher,
            tmp_path / 'di',
            ckpt,
            per_class=3,
            shard_size=2,
            carry_optimizer_state=True)
    assert not osp.exists(tmp_path / 'di' / 'synthesis_settings.json')


def test_a_folder_of_the_old_format_is_refused(teacher_ckpt, tmp_path):
    teacher, ckpt = teacher_ckpt
    folder = tmp_path / 'di'
    synthesize(
        teacher,
        folder,
        ckpt,
        per_class=1,
        betas=(1.0, ),
        beta_fractions=(1.0, ))
    # format 1 stored the labels of the images before their rounding
    path = folder / 'synthesis_settings.json'
    path.write_text(
        json.dumps(dict(json.loads(path.read_text()), format_version=1)))
    with pytest.raises(
            ShardStoreError, match=r'format_version: 1 then, 2 now'):
        synthesize(
            teacher,
            folder,
            ckpt,
            per_class=1,
            betas=(1.0, ),
            beta_fractions=(1.0, ))


def test_optimizer_state_files_are_checked(tmp_path):
    spec = dict(index=4, label=2, beta=1.0, count=1, seed=11, rank=0)
    state = dict(state={0: dict(step=torch.tensor(3.))}, param_groups=[])
    path = write_optimizer_state(str(tmp_path), spec, state)
    assert read_optimizer_state(str(tmp_path), spec) == state
    with pytest.raises(
            ShardStoreError, match='is not the optimiser state after shard'):
        read_optimizer_state(str(tmp_path), dict(spec, seed=12))
    with open(path, 'r+b') as file:
        file.truncate(50)
    with pytest.raises(
            ShardStoreError,
            match=r'optimizer_state_00004.pth is truncated.*'
            'delete the folder'):
        read_optimizer_state(str(tmp_path), spec)
