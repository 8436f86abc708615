# Copyright (c) mmrazor_zs contributors. All rights reserved.
import statistics
import time
from dataclasses import dataclass
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


@dataclass
class AlternatingTimes:
    """Seconds per step of each side in each round of
    :func:`alternating_times`.

    Attributes:
        rounds (dict): Side name -> its seconds per step, one per round.
    """
    rounds: Dict[str, List[float]]

    def median(self, name: str) -> float:
        """The side's median over the rounds."""
        return statistics.median(self.rounds[name])

    def ratio(self, numerator: str, denominator: str) -> float:
        """The median over the rounds of ``numerator / denominator`` within
        each round: paired, so a slowdown that lasts about a round (the
        machine's other tenants, its clock) cancels, where the ratio of the two
        medians keeps whatever each side's median round caught."""
        return statistics.median(
            a / b
            for a, b in zip(self.rounds[numerator], self.rounds[denominator]))


def alternating_times(sides: Dict[str, Callable[[int], None]], steps: int,
                      repeats: int, device: torch.device,
                      warmup_steps: int) -> AlternatingTimes:
    """Seconds per step of each side (``run(steps)``) in each of ``repeats``
    rounds, after ``warmup_steps`` of each side.

    A round runs the sides forth and back (A B ... B A) and times a side by the
    mean of its two runs: a drift that is linear within a round lands on every
    side alike, where a fixed order (A B, A B, ...) would always give it to the
    side that runs second. Short rounds (few ``steps``, many ``repeats``) pair
    the sides most closely.
    """
    for run in sides.values():
        seconds_per_step(run, warmup_steps, device)
    names = list(sides)
    rounds: Dict[str, List[float]] = {name: [] for name in sides}
    for _ in range(repeats):
        seconds = dict.fromkeys(names, 0.0)
        for order in (names, names[::-1]):
            for name in order:
                seconds[name] += seconds_per_step(sides[name], steps,
                                                  device) / 2
        for name in names:
            rounds[name].append(seconds[name])
    return AlternatingTimes(rounds)


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
