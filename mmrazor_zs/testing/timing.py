# Copyright (c) mmrazor_zs contributors. All rights reserved.
import statistics
import time
from typing import Callable, Dict, List, Optional, Tuple

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmrazor_zs.registry import MODELS
from mmrazor_zs.utils import checkpoint_safe_globals, load_config


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


def alternating_medians(sides: Dict[str, Callable[[int], None]], steps: int,
                        repeats: int, device: torch.device,
                        warmup_steps: int) -> Dict[str, float]:
    """Seconds per step of each side (``run(steps)``), the median of
    ``repeats`` rounds that alternate the sides to cancel drift, after
    ``warmup_steps`` of each side."""
    for run in sides.values():
        seconds_per_step(run, warmup_steps, device)
    times: Dict[str, List[float]] = {name: [] for name in sides}
    for _ in range(repeats):
        for name, run in sides.items():
            times[name].append(seconds_per_step(run, steps, device))
    return {name: statistics.median(t) for name, t in times.items()}


def benchmark_device(name: Optional[str]) -> torch.device:
    """The device a benchmark tool runs on: ``name``, else CUDA when there is
    one, else the CPU."""
    return torch.device(
        name or ('cuda' if torch.cuda.is_available() else 'cpu'))


def device_description(device: torch.device) -> str:
    """The GPU's name, or the CPU with its thread count, for a result."""
    if device.type == 'cuda':
        return torch.cuda.get_device_name(device)
    return f'cpu ({torch.get_num_threads()} threads)'


def build_benchmark_algorithm(
        config: str, cfg_options: Optional[dict],
        device: torch.device) -> Tuple[Config, torch.nn.Module]:
    """The config (with ``cfg_options`` merged) and its algorithm, built in the
    config's scope with torch's seed 0 and moved to ``device``."""
    cfg = load_config(config)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmrazor_zs'))
    torch.manual_seed(0)
    with checkpoint_safe_globals():
        algorithm = MODELS.build(cfg.model).to(device)
    return cfg, algorithm
