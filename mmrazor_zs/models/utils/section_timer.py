# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Time a section of the training step without synchronising the host."""
import collections
import contextlib
import time
from typing import Deque, Iterator, Tuple

import torch

EventPair = Tuple[torch.cuda.Event, torch.cuda.Event]


class SectionTimer:
    """Accumulated wall time of a section run many times in the hot loop.

    On the CPU the section runs synchronously and is timed with
    ``time.perf_counter``. On CUDA, where the host only queues kernels, a
    pair of timing events is recorded around the section on the current
    stream (CUDA's ``cudaEventRecord``, asynchronous); finished pairs are
    read with the non-blocking ``Event.query`` each time the section runs,
    so the loop never waits for the device. Reading :attr:`seconds` waits
    for the pairs still queued: do that outside the hot loop (a checkpoint,
    the end of the run).

    The CUDA time is the device's time from the first to the last kernel
    of the section, gaps included where the device waited for the host.
    """

    def __init__(self) -> None:
        self._seconds = 0.
        self._pending: Deque[EventPair] = collections.deque()

    @contextlib.contextmanager
    def section(self, device: torch.device) -> Iterator[None]:
        """Time the block, which runs its work on ``device``.

        Args:
            device (torch.device): Where the block's kernels run.
        """
        if device.type != 'cuda':
            start = time.perf_counter()
            yield
            self._seconds += time.perf_counter() - start
            return
        begin = torch.cuda.Event(enable_timing=True)
        end = torch.cuda.Event(enable_timing=True)
        begin.record()
        yield
        end.record()
        self._pending.append((begin, end))
        self._collect(wait=False)

    def _collect(self, wait: bool) -> None:
        """Add the finished pairs (all of them with ``wait``)."""
        while self._pending:
            begin, end = self._pending[0]
            if wait:
                end.synchronize()
            elif not end.query():
                return
            self._pending.popleft()
            self._seconds += begin.elapsed_time(end) / 1000.

    @property
    def seconds(self) -> float:
        """The time of every section so far (waits for the device)."""
        self._collect(wait=True)
        return self._seconds

    @seconds.setter
    def seconds(self, value: float) -> None:
        """Start from ``value`` seconds (a resumed run's time so far)."""
        self._pending.clear()
        self._seconds = float(value)
