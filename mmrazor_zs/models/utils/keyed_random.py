# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Random streams keyed by where they are used, so that a resumed run draws
what the uninterrupted run would, and ranks draw differently."""
from typing import Sequence, Union

import torch


def keyed_generator(
        key: Sequence[int],
        device: Union[str, torch.device] = 'cpu') -> torch.Generator:
    """A ``torch.Generator`` seeded by a pure function of ``key`` (e.g. (seed,
    rank, iteration, step))."""
    seed = 0
    for part in key:
        seed = (seed * 1_000_003 + int(part)) % (2**62)
    rng = torch.Generator(device=device)
    rng.manual_seed(seed)
    return rng
