# Copyright (c) mmrazor_zs contributors. All rights reserved.
import time
from typing import Callable

import torch


def seconds_per_step(run: Callable[[int], None], steps: int,
                     device: torch.device) -> float:
    """Wall time of ``run(steps)`` divided by ``steps``; on CUDA the device is
    synchronised before and after, so queued kernels are counted."""
    if device.type == 'cuda':
        torch.cuda.synchronize(device)
    start = time.perf_counter()
    run(steps)
    if device.type == 'cuda':
        torch.cuda.synchronize(device)
    return (time.perf_counter() - start) / steps
