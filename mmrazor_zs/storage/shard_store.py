# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""The core of the on-disk shard stores (the inversion family's image pool,
ZSKD's data impressions): file names, atomic writes, verified reads and one
error class.

A shard is a dict saved with ``torch.save``. It is written to a temporary file
next to its final name, flushed to disk and renamed into place, so a file under
its final name is always whole; a process killed mid-write leaves only a
``*.tmp-<pid>`` file, which :func:`remove_unfinished` clears. A store that
wants its shards hash-checked names the tensor to hash: its sha256 is saved
beside it (key ``sha256``) and compared on reading. Every problem on reading is
a :class:`ShardStoreError` naming the file, what is wrong and what to do.
"""
import glob
import hashlib
import json
import os
import os.path as osp
from typing import Any, Dict, Optional, Sequence, Tuple

import torch

from mmrazor_zs.utils import (CheckpointError, atomic_json_dump,
                              atomic_torch_save, load_checkpoint_file)

__all__ = [
    'ShardStoreError', 'claim_folder', 'read_shard_file', 'remove_unfinished',
    'shard_name', 'tensor_sha256', 'write_shard_file'
]

#: the file of a store folder's run settings (:func:`claim_folder`)
RUN_SETTINGS = 'synthesis_settings.json'

#: the key of a shard's checksum
SHA256 = 'sha256'


class ShardStoreError(RuntimeError):
    """A shard, manifest or store folder is missing, unreadable, damaged, or
    made by another run; the message names the file and what to do."""


def shard_name(*parts: Tuple[str, int, int]) -> str:
    """The file name of a shard: each ``(label, index, digits)`` as
    ``label_<index with digits zero-padded>``, joined by ``_``, then ``.pth``.

    ``shard_name(('round', 3, 6), ('rank', 1, 3))`` is
    ``'round_000003_rank_001.pth'``.
    """
    return '_'.join(f'{label}_{index:0{digits}d}'
                    for label, index, digits in parts) + '.pth'


def tensor_sha256(tensor: torch.Tensor) -> str:
    """The sha256 hex digest of a CPU tensor's bytes."""
    return hashlib.sha256(tensor.contiguous().numpy().tobytes()).hexdigest()


def write_shard_file(path: str,
                     record: Dict[str, Any],
                     checksum_of: Optional[str] = None) -> str:
    """Save ``record`` to ``path`` atomically.

    Args:
        path (str): The shard's file.
        record (dict): What the shard holds.
        checksum_of (str, optional): The key of a CPU tensor of ``record``
            whose sha256 is saved with it under ``'sha256'``. Defaults to
            None (no checksum).

    Returns:
        str: ``path``.
    """
    if checksum_of is not None:
        record = dict(record, **{SHA256: tensor_sha256(record[checksum_of])})
    atomic_torch_save(record, path)
    return path


def read_shard_file(path: str,
                    what: str,
                    fix: str,
                    keys: Sequence[str] = (),
                    checksum_of: Optional[str] = None,
                    mmap: bool = False) -> Dict[str, Any]:
    """Read a shard and check that it is whole.

    Args:
        path (str): The shard's file.
        what (str): What the shard is, beginning every error (e.g.
            ``'Image pool shard (round 3, rank 0)'``).
        fix (str): What to do, ending every error.
        keys (Sequence[str]): The keys the shard must hold. Defaults to ().
        checksum_of (str, optional): The key of the tensor whose sha256 is
            stored with it (see :func:`write_shard_file`). Defaults to None.
        mmap (bool): Map the shard's tensors from the file rather than read
            them into memory (see
            :func:`~mmrazor_zs.utils.load_checkpoint_file`). Defaults to
            False.

    Returns:
        dict: The shard.

    Raises:
        ShardStoreError: If the file is missing, cannot be read as a
            checkpoint (empty, truncated, corrupt, foreign), lacks ``keys``,
            or its tensor does not match its sha256.
    """
    if not osp.isfile(path):
        raise ShardStoreError(f'{what}: {path} is missing. {fix}')
    try:
        shard = load_checkpoint_file(path, mmap=mmap)
    except CheckpointError as err:
        raise ShardStoreError(f'{what}: {err.problem} {fix}') from None
    required = list(keys) + ([checksum_of, SHA256] if checksum_of else [])
    if not isinstance(shard, dict) or any(k not in shard for k in required):
        raise ShardStoreError(
            f'{what}: {path} is not a whole shard: it lacks some of the '
            f'keys {required}. {fix}')
    if checksum_of is not None and shard[SHA256] != tensor_sha256(
            shard[checksum_of]):
        raise ShardStoreError(
            f'{what}: {path} is damaged: its {checksum_of} do not match the '
            f'sha256 stored with them. {fix}')
    return shard


def remove_unfinished(folder: str) -> None:
    """Delete the temporary files of a writer killed mid-write (never
    whole)."""
    for stale in glob.glob(osp.join(folder, '*.tmp-*')):
        os.remove(stale)


def claim_folder(folder: str,
                 run: dict,
                 holds: str,
                 moved_by: str = '--work-dir') -> None:
    """Record the settings a run makes a folder's shards with
    (``synthesis_settings.json``), or check that a folder already holding them
    was started with the same ones, so that a rerun never mixes shards made two
    ways.

    Args:
        folder (str): The store folder (it exists).
        run (dict): The settings, JSON-serialisable.
        holds (str): What the shards are, for the message (e.g.
            'impressions').
        moved_by (str): The settings that put the folder elsewhere, for
            the message. Defaults to '--work-dir'.

    Raises:
        ShardStoreError: Listing what differs and what to do.
    """
    path = osp.join(folder, RUN_SETTINGS)
    run = json.loads(json.dumps(run))  # as it reads back
    if not osp.isfile(path):
        atomic_json_dump(run, path)
        return
    with open(path) as file:
        before = json.load(file)
    changed = sorted(
        k for k in set(before) | set(run) if before.get(k) != run.get(k))
    if changed:
        details = '; '.join(f'{k}: {before.get(k)!r} then, {run.get(k)!r} '
                            'now' for k in changed)
        raise ShardStoreError(
            f'{folder} holds {holds} of a run with other settings '
            f'({details}). Delete the folder, or choose another {moved_by}, '
            'to synthesise with the new settings; restore the old settings '
            'to continue that run.')
