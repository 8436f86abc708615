# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Checkpoints from http(s) URLs: downloaded once into torch hub's cache
(``torch.hub.get_dir()/checkpoints``, which follows ``TORCH_HOME``) and checked
against the sha256 prefix in the file name, as OpenMMLab's model zoos name
their files (``name-fe2ed308.pth``)."""
import http.client
import os
import os.path as osp
import re
import shutil
import urllib.error
import urllib.parse
import urllib.request
import warnings
from typing import Optional

import torch
from mmengine.logging import print_log

from .checkpoint import CheckpointError
from .fileio import _write_then_rename, sha256_file

__all__ = ['CheckpointDownloadError', 'is_url', 'resolve_checkpoint']

#: the hex digits after the file name's last '-': a prefix of its sha256
HASH_IN_NAME = re.compile(r'-([0-9a-f]{8,64})\.[^-]*$')
DOWNLOAD_TIMEOUT_S = 60
BLOCK_SIZE = 1 << 20
#: the package's copy of configs, tools and checkpoints (see setup.py)
MIM_DIR = osp.join(osp.dirname(osp.dirname(osp.abspath(__file__))), '.mim')


class CheckpointDownloadError(CheckpointError):
    """A checkpoint URL cannot be downloaded, or the download does not match
    the sha256 prefix in its file name."""


def is_url(path: Optional[str]) -> bool:
    """Whether ``path`` is an http(s) URL."""
    return isinstance(path, str) and path.startswith(('http://', 'https://'))


def _hash_prefix(filename: str) -> Optional[str]:
    """The sha256 prefix a zoo file name carries, or None."""
    match = HASH_IN_NAME.search(filename)
    return match.group(1) if match else None


def _check_hash(path: str, url: str, prefix: str, fix: str) -> None:
    """Raise, ending with ``fix``, unless ``path``'s sha256 starts with
    ``prefix``."""
    digest = sha256_file(path)
    if not digest.startswith(prefix):
        raise CheckpointDownloadError(
            f'The checkpoint downloaded from {url} is corrupt or truncated: '
            f'its sha256 is {digest[:12]}..., but its file name expects a '
            f'sha256 starting with {prefix}. {fix}')


def _download(url: str, dst: str) -> None:
    """Copy ``url`` into the file ``dst``; raise when it is cut short."""
    try:
        with urllib.request.urlopen(url, timeout=DOWNLOAD_TIMEOUT_S) as resp:
            expected = resp.headers.get('Content-Length')
            with open(dst, 'wb') as file:
                shutil.copyfileobj(resp, file, BLOCK_SIZE)
                received = file.tell()
    except (urllib.error.URLError, http.client.HTTPException, OSError) as err:
        raise CheckpointDownloadError(
            f'Cannot download the checkpoint {url} ({err}). Check the URL '
            'and the network, or download the file elsewhere and pass its '
            'local path instead.') from None
    if expected is not None and received != int(expected):
        raise CheckpointDownloadError(
            f'The download of {url} stopped after {received} of {expected} '
            'bytes. Run again, or download the file elsewhere and pass its '
            'local path instead.')


def _shipped(path: str) -> str:
    """``path``, or the package's copy when it is relative and missing.

    Shipped checkpoints are named ``checkpoints/...`` relative to the source
    tree; an installed package carries them in ``MIM_DIR``, so the configs work
    from any working directory.
    """
    if osp.exists(path):
        return path
    shipped = osp.join(MIM_DIR, path)  # an absolute path stays itself
    return shipped if osp.exists(shipped) else path


def resolve_checkpoint(path_or_url: str) -> str:
    """The local path of a checkpoint given as a path or an http(s) URL.

    A local path is returned unchanged, except that a relative path missing
    from the working directory falls back to the installed package's copy
    (``mmrazor_zs/.mim/<path>``, e.g. the shipped ``checkpoints/``) when
    that exists. A URL is downloaded once into
    ``torch.hub.get_dir()/checkpoints`` (to a temporary file there,
    verified, then renamed into place) and its cached file returned. When
    the file name ends in ``-<8 or more hex digits>.<ext>`` as in the
    OpenMMLab model zoos, those digits must start the file's sha256, for a
    fresh download as for a cached file; a URL without them is used
    unchecked, with a warning.

    Args:
        path_or_url (str): A checkpoint path or an http(s) URL.

    Returns:
        str: The path of the file to load.

    Raises:
        CheckpointDownloadError: If the URL cannot be downloaded, or the
            file does not match the sha256 prefix of its name.
    """
    if not is_url(path_or_url):
        return _shipped(path_or_url)
    url = path_or_url
    filename = osp.basename(urllib.parse.urlparse(url).path)
    if not filename:
        raise CheckpointDownloadError(
            f'{url} names no file. Give the URL of the checkpoint file '
            '(ending in its file name, e.g. name-fe2ed308.pth).')
    cache_dir = osp.join(torch.hub.get_dir(), 'checkpoints')
    cached = osp.join(cache_dir, filename)
    prefix = _hash_prefix(filename)
    if prefix is None:
        warnings.warn(f'{url} carries no sha256 prefix in its file name '
                      '(name-<hash>.pth): it is used without a check.')
    if osp.isfile(cached):
        if prefix is not None:
            _check_hash(
                cached, url, prefix,
                f'Delete the cached file {cached} to download it '
                'again.')
        return cached
    os.makedirs(cache_dir, exist_ok=True)
    print_log(f'Downloading {url} to {cached}', logger='current')

    def download_and_verify(tmp: str) -> None:
        _download(url, tmp)
        if prefix is not None:
            _check_hash(
                tmp, url, prefix,
                'Nothing was kept; run again, or download the file '
                'elsewhere and pass its local path instead.')

    _write_then_rename(cached, download_and_verify)
    return cached
