# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Loading checkpoints with torch's ``weights_only`` unpickler.

mmengine writes its ``HistoryBuffer`` and numpy arrays into checkpoints; with
torch >= 2.6 ``torch.load`` refuses them by default. Instead of turning the
safe unpickler off, we allow exactly the types mmengine writes.
"""
import argparse
import codecs
import contextlib
import os
import pickle
import zipfile
from typing import Any, Callable, Iterator, List, Optional, Tuple, Union

import numpy as np
import torch

__all__ = [
    'CheckpointError', 'checkpoint_safe_globals', 'allowed_checkpoint_types',
    'check_checkpoint_file', 'load_checkpoint_file', 'trust_all_checkpoints',
    'add_trust_checkpoint_argument'
]

#: torch's switch that makes ``torch.load`` unpickle without ``weights_only``
UNSAFE_LOAD_ENV = 'TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD'


def trust_all_checkpoints() -> None:
    """Let every checkpoint load of this process unpickle anything (the
    tools' ``--trust-checkpoint``): mmengine's loads through torch's
    ``TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD``, ours through
    :func:`load_checkpoint_file`. Only for checkpoints from a source you
    trust: unpickling can run arbitrary code."""
    os.environ[UNSAFE_LOAD_ENV] = '1'


def add_trust_checkpoint_argument(parser: argparse.ArgumentParser,
                                  what: str = 'the checkpoint') -> None:
    """The tools' ``--trust-checkpoint`` switch (see
    :func:`trust_all_checkpoints`); ``what`` names what it loads."""
    parser.add_argument(
        '--trust-checkpoint',
        action='store_true',
        help=f'load {what} with full unpickling instead of torch\'s '
        'weights_only allow-list: arbitrary code in the file can run, so '
        'only for checkpoints from a source you trust')


class CheckpointError(RuntimeError):
    """A checkpoint file is missing, empty, truncated, corrupt, not a
    checkpoint or not allowed.

    The message is ``problem`` (naming the file and what is wrong) followed
    by ``fix`` (what to do). A caller that knows a better fix for its kind
    of file (a shard to delete and remake, a config setting to change)
    raises its own error from ``problem`` and that fix.

    Args:
        problem (str): The file and what is wrong with it.
        fix (str): What to do about it. Defaults to ''.
    """

    def __init__(self, problem: str, fix: str = '') -> None:
        super().__init__(f'{problem} {fix}'.strip())
        self.problem = problem
        self.fix = fix


HISTORY_BUFFER_METHODS = ('min', 'max', 'current', 'mean')


def history_buffer_getattr(obj: Any, name: str) -> Any:
    """``getattr`` restricted to what mmengine's pickled HistoryBuffer needs.

    A HistoryBuffer pickles its statistics methods as ``getattr(HistoryBuffer,
    'min')`` and so on. Allowing the builtin ``getattr`` would let a file reach
    any attribute; this stand-in, registered under the name
    ``builtins.getattr``, only returns those methods.
    """
    from mmengine.logging.history_buffer import HistoryBuffer
    is_buffer = obj is HistoryBuffer or isinstance(obj, HistoryBuffer)
    if not (is_buffer and name in HISTORY_BUFFER_METHODS):
        raise pickle.UnpicklingError(
            f'getattr({obj!r}, {name!r}) is not allowed when '
            'loading a checkpoint safely.')
    return getattr(obj, name)


def allowed_checkpoint_types() -> List[Any]:
    """The non-tensor types that mmengine and mmrazor_zs put in checkpoints."""
    from mmengine.logging.history_buffer import HistoryBuffer
    numpy_types: List[Any] = [np.ndarray, np.dtype]
    # numpy >= 1.25 has one dtype class per scalar type (np.dtypes.*).
    dtypes = getattr(np, 'dtypes', None)
    if dtypes is not None:
        numpy_types += [
            getattr(dtypes, name) for name in dir(dtypes)
            if name.endswith('DType')
        ]
    numpy_types += [
        np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16,
        np.uint32, np.uint64, np.float16, np.float32, np.float64
    ]
    core = getattr(np, '_core', None) or np.core
    reconstruct = [core.multiarray._reconstruct, core.multiarray.scalar]
    restricted_getattr = [(history_buffer_getattr, 'builtins.getattr'),
                          (history_buffer_getattr, '__builtin__.getattr')]
    return [
        HistoryBuffer, *numpy_types, *reconstruct, *restricted_getattr,
        codecs.encode
    ]


@contextlib.contextmanager
def checkpoint_safe_globals() -> Iterator[None]:
    """Let ``torch.load(weights_only=True)`` read mmengine's checkpoints.

    mmengine's own ``load_checkpoint`` and ``Runner.resume`` call
    ``torch.load`` with torch's default, which is ``weights_only=True``
    since torch 2.6; inside this context they accept the types listed by
    :func:`allowed_checkpoint_types` and nothing else. Nesting is safe: an
    inner context removes only what it added.
    """
    present = torch.serialization.get_safe_globals()
    missing = [t for t in allowed_checkpoint_types() if t not in present]
    with torch.serialization.safe_globals(missing):
        yield


def _unpickler_reason(err: Exception) -> str:
    """The part of torch's long weights-only error that names the cause (the
    global it refused, where it says)."""
    text = str(err)
    marker = 'WeightsUnpickler error:'
    if marker in text:
        text = text.split(marker, 1)[1]
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    named = [line for line in lines if 'GLOBAL' in line or 'global' in line]
    if named:
        return named[0]
    return lines[0].split('. Please use')[0] if lines else type(err).__name__


#: how the files torch.save writes begin: a zip archive, or (before torch
#: 1.6) a pickle, whose first opcode is PROTO
ZIP_MAGIC = b'PK\x03\x04'
CHECKPOINT_MAGIC = (ZIP_MAGIC, b'\x80')
#: the fix for a file that was cut short or damaged on its way
REMAKE = ('Download or copy it again, or save it again from the run that '
          'made it (or point at the right file).')
#: the fix for a path that names something other than a checkpoint
RIGHT_FILE = 'Pass the .pth file that training or torch.save wrote.'


def _zip_problem(filename: str, size: int) -> Optional[Tuple[str, str]]:
    """What is wrong with a file that begins as a zip archive and what to do,
    or None when it is a whole zip holding a pickled checkpoint
    (``data.pkl``)."""
    try:
        with zipfile.ZipFile(filename) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return (f'{filename} is truncated: it begins as a zip archive (what '
                'torch.save writes) but its end, the zip directory, is '
                f'missing ({size} bytes); the copy, download or save that '
                'wrote it stopped early.', REMAKE)
    if not any(n == 'data.pkl' or n.endswith('/data.pkl') for n in names):
        shown = ', '.join(names[:5]) + (', ...' if len(names) > 5 else '')
        return (f'{filename} is a zip archive but not a PyTorch checkpoint: '
                f'it holds no data.pkl (it holds {shown or "nothing"}).',
                RIGHT_FILE)
    return None


def check_checkpoint_file(filename: str) -> None:
    """Refuse, before any unpickler reads it, a file that cannot be a whole
    checkpoint: missing, a folder, empty, neither of ``torch.save``'s two
    formats, a zip archive cut short, or a zip of something else.

    Args:
        filename (str): A local path.

    Raises:
        CheckpointError: Naming the file, what is wrong and what to do.
    """
    if os.path.isdir(filename):
        raise CheckpointError(
            f'{filename} is a folder, not a checkpoint file.',
            'Point at a .pth file in it (training writes epoch_N.pth or '
            'iter_N.pth).')
    if not os.path.isfile(filename):
        raise CheckpointError(f'Checkpoint file not found: {filename}.',
                              'Check the path, or point at the right file.')
    size = os.path.getsize(filename)
    if size == 0:
        raise CheckpointError(
            f'{filename} is empty (0 bytes): the copy, download or save that '
            'wrote it stopped before writing anything.', REMAKE)
    with open(filename, 'rb') as file:
        head = file.read(8)
    if not head.startswith(CHECKPOINT_MAGIC):
        raise CheckpointError(
            f'{filename} is not a PyTorch checkpoint: it is neither a zip '
            'archive (what torch.save writes) nor a pickle (it begins with '
            f'{head!r}).', RIGHT_FILE)
    if head.startswith(ZIP_MAGIC):
        found = _zip_problem(filename, size)
        if found is not None:
            raise CheckpointError(*found)


def load_checkpoint_file(filename: str,
                         map_location: Union[str, torch.device,
                                             Callable] = 'cpu',
                         trust_checkpoint: bool = False,
                         mmap: bool = False) -> Any:
    """Read a checkpoint file and turn every failure into a clear error.

    Args:
        filename (str): Path of the checkpoint, or an http(s) URL
            (downloaded, cached and hash-checked by
            :func:`~mmrazor_zs.utils.resolve_checkpoint`).
        map_location (str | torch.device | Callable): Where tensors are
            loaded, as ``torch.load`` takes it. Defaults to 'cpu'.
        trust_checkpoint (bool): Unpickle anything the file contains. Only
            for checkpoints from a source you trust: unpickling can run
            arbitrary code. Also on after :func:`trust_all_checkpoints`.
            Defaults to False.
        mmap (bool): Map the tensors' storage from the file instead of
            reading it into memory (``torch.load(mmap=True)``): processes on
            one machine reading the same file share the operating system's
            page cache. Defaults to False.

    Raises:
        CheckpointError: If the file is missing, empty, truncated, corrupt,
            not a checkpoint (see :func:`check_checkpoint_file`) or holds a
            type outside the allow-list; the message names the file, what
            is wrong and what to do.
    """
    # imported here: the download module builds on this one's errors
    from .download import resolve_checkpoint
    filename = resolve_checkpoint(filename)
    check_checkpoint_file(filename)
    trust_checkpoint = trust_checkpoint or os.environ.get(
        UNSAFE_LOAD_ENV) == '1'
    try:
        if trust_checkpoint:
            return torch.load(
                filename,
                map_location=map_location,
                weights_only=False,
                mmap=mmap)
        with checkpoint_safe_globals():
            return torch.load(
                filename,
                map_location=map_location,
                weights_only=True,
                mmap=mmap)
    except pickle.UnpicklingError as err:
        reason = _unpickler_reason(err)
        if any(word in reason for word in ('GLOBAL', 'global', 'allowed')):
            raise CheckpointError(
                f'{filename} holds a type that safe loading does not allow '
                f'({reason}).',
                'If you trust the file, pass --trust-checkpoint to the tool '
                '(model.trust_teacher_ckpt=True for a teacher checkpoint).'
            ) from None
        raise CheckpointError(
            f'{filename} is corrupt: it cannot be unpickled ({reason}).',
            REMAKE) from None
    except (EOFError, zipfile.BadZipFile, RuntimeError, OSError) as err:
        raise CheckpointError(
            f'{filename} is truncated or corrupt and cannot be read as a '
            f'PyTorch checkpoint ({type(err).__name__}: {err}).',
            REMAKE) from None
