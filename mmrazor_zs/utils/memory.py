# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Peak memory of a run, as the summaries and benchmark tools report it."""
import json
import os.path as osp
import resource
import sys
import tempfile
from typing import Callable, Optional, Tuple

import torch
from torch.profiler import ProfilerActivity, profile

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


def peak_allocated_mb(run: Callable[[], None],
                      device: Optional[torch.device] = None) -> float:
    """The most memory the tensors that ``run()`` allocates hold at once, in
    MiB, above what was allocated before it (the networks' weights and the
    optimisers' states already there are not counted).

    On a CUDA device: ``torch.cuda.max_memory_allocated`` after resetting
    the peak, minus the memory allocated before. On the CPU, which keeps no
    such counter: ``run()`` under the torch profiler with
    ``profile_memory=True``, and the largest "Total Allocated" of its CPU
    memory events (the allocator's running total since the profiler
    started), so the same shapes give the number a GPU would hold for them,
    up to the caching allocator's rounding. The profiler slows ``run()``:
    call it outside timed code.

    Args:
        run (callable): The work to measure, e.g. one synthesis round.
        device (torch.device, optional): Where it runs. Defaults to None
            (the CPU).
    """
    if device is not None and torch.device(device).type == 'cuda':
        torch.cuda.synchronize(device)
        before = torch.cuda.memory_allocated(device)
        torch.cuda.reset_peak_memory_stats(device)
        run()
        torch.cuda.synchronize(device)
        return (torch.cuda.max_memory_allocated(device) - before) / 2**20
    with profile(
            activities=[ProfilerActivity.CPU],
            profile_memory=True) as profiler:
        run()
    with tempfile.TemporaryDirectory() as folder:
        trace = osp.join(folder, 'trace.json')
        profiler.export_chrome_trace(trace)
        with open(trace) as file:
            events = json.load(file)['traceEvents']
    totals = [
        event['args']['Total Allocated'] for event in events
        if event.get('name') == '[memory]'
        and event['args'].get('Device Type') == 0  # the CPU
    ]
    return max(totals, default=0) / 2**20
