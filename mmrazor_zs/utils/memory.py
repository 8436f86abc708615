# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Peak memory of a run, as the summaries and benchmark tools report it."""
import resource
import sys
from typing import Optional, Tuple

import torch

#: what ``peak_memory`` measured, by device type
KINDS = dict(cuda='cuda_max_allocated', cpu='cpu_max_rss')


def peak_memory(device: Optional[torch.device] = None) -> Tuple[float, str]:
    """The peak memory of this process so far, in MiB, and what it is.

    On a CUDA device: the most its tensors held at once
    (``torch.cuda.max_memory_allocated``; the caching allocator may reserve
    more). Otherwise: the process's maximum resident set size
    (``getrusage``; kibibytes on Linux, bytes on macOS), which counts
    everything the process holds (Python, libraries, the data loaders in
    its own threads), not tensors alone.

    Args:
        device (torch.device, optional): Where the run's networks are.
            Defaults to None (the CPU).

    Returns:
        tuple[float, str]: MiB, and ``'cuda_max_allocated'`` or
        ``'cpu_max_rss'``.
    """
    if device is not None and torch.device(device).type == 'cuda':
        return torch.cuda.max_memory_allocated(device) / 2**20, KINDS['cuda']
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    scale = 2**20 if sys.platform == 'darwin' else 2**10
    return rss / scale, KINDS['cpu']
