# Copyright (c) mmrazor_zs contributors. All rights reserved.
import ctypes
import ctypes.util
import os

M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3
KEEP_BYTES = 1 << 30


def keep_freed_memory_in_heap() -> bool:
    """Stop glibc from returning every large freed block to the OS.

    On the CPU, PyTorch allocates each activation with ``malloc``; glibc
    serves blocks above its mmap threshold with a fresh ``mmap`` and unmaps
    them on free, so every step page-faults its activations in again.
    Raising the mmap and trim thresholds to 1 GiB keeps freed blocks for
    reuse; memory is returned to the OS when the process ends. On the digits
    ZSKT iteration with 10 student steps on one batch this took the step
    from 279 to 229 ms (2 CPU threads,
    tools/analysis_tools/benchmark_generator.py on the digits config with
    ``--cfg-options model.student_steps=10 model.student_batch=same``, with
    and without
    ``MMRAZOR_ZS_DEFAULT_MALLOC=1``). Set ``MMRAZOR_ZS_DEFAULT_MALLOC=1`` to
    leave glibc's defaults alone.

    Returns:
        bool: Whether the thresholds were changed (False off glibc).
    """
    if os.environ.get('MMRAZOR_ZS_DEFAULT_MALLOC') == '1':
        return False
    name = ctypes.util.find_library('c')
    if name is None:
        return False
    try:
        libc = ctypes.CDLL(name)
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    return bool(
        mallopt(M_MMAP_THRESHOLD, KEEP_BYTES)
        and mallopt(M_TRIM_THRESHOLD, KEEP_BYTES))
