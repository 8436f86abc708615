# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Writing files so that a reader never sees half of one, and hashing them."""
import hashlib
import json
import os
import os.path as osp
from pathlib import Path
from typing import Any, Callable, Union

import torch
from mmengine.fileio.backends import LocalBackend, register_backend


def sha256_file(path: str) -> str:
    """The sha256 hex digest of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, 'rb') as file:
        for block in iter(lambda: file.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def _write_then_rename(path: Union[str, Path], write: Callable[[str],
                                                               None]) -> None:
    """Write to a temporary file next to ``path``, flush it to disk, then
    rename it into place: ``path`` is always absent, old or whole."""
    path = str(path)
    tmp = f'{path}.tmp-{os.getpid()}'
    try:
        write(tmp)
        with open(tmp, 'rb+') as file:
            os.fsync(file.fileno())
        os.replace(tmp, path)
    finally:
        if osp.exists(tmp):
            os.remove(tmp)


def atomic_torch_save(obj: Any, path: str) -> None:
    """``torch.save`` to a temporary file, then rename it into place."""
    _write_then_rename(path, lambda tmp: torch.save(obj, tmp))


def atomic_json_dump(obj: Any, path: str) -> None:
    """``json.dump`` to a temporary file, then rename it into place."""

    def write(tmp: str) -> None:
        with open(tmp, 'w') as file:
            json.dump(obj, file, indent=2)

    _write_then_rename(path, write)


@register_backend('local_atomic')
class AtomicLocalBackend(LocalBackend):
    """mmengine's local file backend, writing through a temporary file and a
    rename.

    Give it to ``CheckpointHook`` as
    ``backend_args=dict(backend='local_atomic')``: a checkpoint file then
    never exists half-written, whenever the job is killed.
    """

    def put(self, obj: bytes, filepath: Union[str, Path]) -> None:
        os.makedirs(osp.dirname(osp.abspath(filepath)), exist_ok=True)

        def write(tmp: str) -> None:
            with open(tmp, 'wb') as file:
                file.write(obj)

        _write_then_rename(filepath, write)

    def put_text(self,
                 obj: str,
                 filepath: Union[str, Path],
                 encoding: str = 'utf-8') -> None:
        self.put(obj.encode(encoding), filepath)
