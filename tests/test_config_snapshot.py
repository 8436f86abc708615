# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Every config in ``tests/data/merged_configs.json`` still merges to the
stored dict, so that reshaping the ``_base_`` pieces changes no recipe.

A config that is not in the snapshot yet (a new one) is not compared; ``python
-m tests.config_snapshot --update`` adds it. A config in the snapshot that no
longer exists fails, and so does every key whose merged value differs.
"""
import pytest

from . import config_snapshot
from .config_snapshot import UPDATE_COMMAND, canonical, differences

STORED = config_snapshot.load_snapshot()
PRESENT = set(config_snapshot.discover_configs())


def test_the_snapshot_covers_the_configs():
    assert STORED, f'the snapshot is empty; run {UPDATE_COMMAND}'
    assert 'configs/fast/fast-5_r34_r18_1xb256_cifar10.py' in STORED
    assert not any(c.startswith('configs/_base_/') for c in STORED)


@pytest.mark.parametrize('config', sorted(STORED))
def test_config_merges_as_in_the_snapshot(config):
    assert config in PRESENT, (
        f'{config} is in the snapshot but no longer exists; if it was '
        f'removed or renamed on purpose, run {UPDATE_COMMAND}')
    lines = differences(STORED[config], config_snapshot.merge(config))
    assert not lines, '\n'.join([
        f'{config} merges differently from the snapshot '
        f'(snapshot -> now); if the change is meant, run {UPDATE_COMMAND}:'
    ] + lines)


def test_canonical_form_keeps_tuples_and_hides_the_clone():
    value = canonical(
        dict(topk=(1, ), cfg_path='/clone/configs/fast/../teachers/t.py'),
        root='/clone')
    assert value == dict(
        topk={'<tuple>': [1]}, cfg_path='<repo>/configs/teachers/t.py')


def test_canonical_form_refuses_what_json_cannot_hold():
    with pytest.raises(TypeError, match='must be a string'):
        canonical({1: 'a'})
    with pytest.raises(TypeError, match='must be plain data.*set'):
        canonical(dict(classes={1, 2}))


def test_differences_name_each_key():
    old = dict(model=dict(batch_size=256, losses=[1.0, 2.0]), lr=0.1)
    new = dict(model=dict(batch_size=128, losses=[1.0, 3.0]), wd=1e-4)
    assert differences(old, new) == [
        'lr: removed (was 0.1)',
        'model.batch_size: 256 -> 128',
        'model.losses[1]: 2.0 -> 3.0',
        'wd: added (0.0001)',
    ]
    assert differences(dict(a=1), dict(a=1.0)) == ['a: 1 -> 1.0']
    assert differences(old, old) == []
