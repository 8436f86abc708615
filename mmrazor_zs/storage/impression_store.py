# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Shards and manifest of ZSKD's data impressions on disk.

Shards are written atomically by the shard-store core
(:mod:`~mmrazor_zs.storage.shard_store`), so a file under its final name is
always complete; the manifest is written last, once every shard exists and
has been verified. A run that carries its optimiser state from shard to
shard writes the state after each shard to a side file just before the
shard, so a finished shard always has its state.

Format 2: the labels are the teacher's softmax at tau on the stored uint8
images (format 1, now refused, held the labels of the float images before
their rounding).
"""
import json
import os.path as osp
from typing import Dict, Optional

import torch

from .shard_store import (ShardStoreError, read_shard_file, shard_name,
                          write_shard_file)

FORMAT_VERSION = 2
MANIFEST = 'manifest.json'
SHARD_KEYS = ('images', 'labels', 'targets', 'spec', 'format_version')
STATE_PATTERN = 'optimizer_state_*.pth'
#: what to do about a missing or unusable shard
REDO_SHARD = 'Delete it and run the synthesis again to redo this shard.'


def shard_path(folder: str, index: int) -> str:
    """The file of impression shard ``index``."""
    return osp.join(folder, shard_name(('shard', index, 5)))


def state_path(folder: str, index: int) -> str:
    """The optimiser state after shard ``index`` (a carried-state run)."""
    return osp.join(folder, shard_name(('optimizer_state', index, 5)))


def write_optimizer_state(folder: str, spec: dict, state: dict) -> str:
    """Write the optimiser state after the shard ``spec`` atomically."""
    return write_shard_file(
        state_path(folder, spec['index']),
        dict(
            optimizer_state=state,
            spec=dict(spec),
            format_version=FORMAT_VERSION))


def _is_state_after(saved: dict, spec: dict) -> bool:
    """Whether ``saved`` is the state written after the shard ``spec``."""
    if saved.get('format_version') != FORMAT_VERSION:
        return False
    made_after = saved.get('spec', {})
    return {k: made_after.get(k) for k in spec} == dict(spec)


def read_optimizer_state(folder: str, spec: dict) -> dict:
    """The optimiser state after the shard ``spec``, checked to be the one
    written after that shard.

    Raises:
        ShardStoreError: Naming the file, what is wrong and what to do.
    """
    path = state_path(folder, spec['index'])
    redo = ('The next shard continues from this state, so it cannot be '
            'made without it: delete the folder and run the synthesis '
            'again.')
    saved = read_shard_file(
        path, f'Optimiser state after impression shard {spec["index"]} (a run '
        'keeps these files until it finishes)',
        redo,
        keys=('optimizer_state', 'spec', 'format_version'))
    if not _is_state_after(saved, spec):
        raise ShardStoreError(
            f'{path} is not the optimiser state after shard {dict(spec)} '
            'of this run. ' + redo)
    return saved['optimizer_state']


def write_shard(folder: str, spec: dict, images: torch.Tensor,
                labels: torch.Tensor, targets: torch.Tensor) -> str:
    """Write one shard atomically.

    Args:
        folder (str): The impressions folder.
        spec (dict): The shard's plan entry (index, label, beta, count,
            seed).
        images (Tensor): uint8 images (N, H, W, C).
        labels (Tensor): The teacher's softmax at tau on the uint8 images
            as stored (N, K).
        targets (Tensor): The Dirichlet targets the images were made for.

    Returns:
        str: The shard's path.
    """
    return write_shard_file(
        shard_path(folder, spec['index']),
        dict(
            images=images.cpu(),
            labels=labels.float().cpu(),
            targets=targets.float().cpu(),
            spec=dict(spec),
            format_version=FORMAT_VERSION))


def _problem(shard: dict, spec: Optional[dict]) -> Optional[str]:
    """What makes a whole shard unusable for ``spec``, or None."""
    if shard['format_version'] != FORMAT_VERSION:
        return f'format version {shard["format_version"]}'
    count = shard['images'].shape[0]
    if not (shard['labels'].shape[0] == shard['targets'].shape[0] == count ==
            shard['spec']['count']):
        return 'its images, labels and plan disagree on the count'
    if spec is not None and {k: shard['spec'].get(k)
                             for k in spec} != dict(spec):
        return (f'it was made for {shard["spec"]}, not for the current plan '
                f'{dict(spec)}')
    if not torch.isfinite(shard['labels']).all():
        return 'its labels are not finite'
    return None


def read_shard(path: str, spec: Optional[dict] = None) -> Dict:
    """Load a shard and check it is whole (and matches ``spec``).

    Raises:
        ShardStoreError: Naming the file and what is wrong.
    """
    shard = read_shard_file(
        path, 'Impression shard', REDO_SHARD, keys=SHARD_KEYS)
    problem = _problem(shard, spec)
    if problem:
        raise ShardStoreError(f'Impression shard {path} is not usable: '
                              f'{problem}. {REDO_SHARD}')
    return shard


def read_manifest(folder: str) -> Dict:
    """The manifest of a finished synthesis.

    Raises:
        ShardStoreError: If the folder or manifest is missing or
            unreadable.
    """
    path = osp.join(folder, MANIFEST)
    if not osp.isfile(path):
        raise ShardStoreError(
            f'No finished data impressions in {folder}: {MANIFEST} is '
            'missing. Run tools/synthesize_impressions.py with the config '
            '(an interrupted run continues where it stopped).')
    try:
        with open(path) as file:
            return json.load(file)
    except (OSError, ValueError) as err:
        raise ShardStoreError(
            f'{path} is corrupt ({err}); run the synthesis again to rewrite '
            'it.') from None
