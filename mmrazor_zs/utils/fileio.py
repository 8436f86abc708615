# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Writing files so that a reader never sees half of one, and hashing them."""
import hashlib
import json
import os
from typing import Any

import torch


def sha256_file(path: str) -> str:
    """The sha256 hex digest of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with open(path, 'rb') as file:
        for block in iter(lambda: file.read(1 << 20), b''):
            digest.update(block)
    return digest.hexdigest()


def atomic_torch_save(obj: Any, path: str) -> None:
    """``torch.save`` to a temporary file, then rename it into place."""
    tmp = f'{path}.tmp-{os.getpid()}'
    torch.save(obj, tmp)
    os.replace(tmp, path)


def atomic_json_dump(obj: Any, path: str) -> None:
    """``json.dump`` to a temporary file, then rename it into place."""
    tmp = f'{path}.tmp-{os.getpid()}'
    with open(tmp, 'w') as file:
        json.dump(obj, file, indent=2)
    os.replace(tmp, path)
