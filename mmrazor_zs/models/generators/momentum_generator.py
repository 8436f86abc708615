# Copyright (c) mmrazor_zs contributors. All rights reserved.
import copy
from typing import List

import torch
import torch.nn as nn


class MomentumGenerator(nn.Module):
    """An exponential moving average of a generator, which no loss trains:
    MAD's "EMA generator".

    Do et al., `Momentum Adversarial Distillation: Handling Large
    Distribution Shifts in Data-Free Knowledge Distillation
    <https://arxiv.org/abs/2209.10359>`_, NeurIPS 2022 (abstract and
    Figure 1: the EMA generator is not optimised; it follows the generator).
    After every step of the generator, :meth:`update` moves each parameter
    towards the generator's, ``avg <- momentum * avg + (1 - momentum) *
    param`` (``momentum`` is the paper's alpha: the weight of the average,
    where mmengine's ``ExponentialMovingAverage`` calls ``1 - alpha`` its
    momentum), and copies the buffers (batch-norm running statistics).
    :meth:`copy_from` makes it equal to the generator (the start of a run).
    Updates run on the device without reading values back to the host.

    Args:
        generator (nn.Module): The generator to follow; a frozen copy of it
            is made.
        momentum (float): alpha in [0, 1); 0 copies the generator.
    """

    def __init__(self, generator: nn.Module, momentum: float) -> None:
        super().__init__()
        if isinstance(momentum, bool) or not 0 <= momentum < 1:
            raise ValueError('The momentum generator\'s `momentum` (the '
                             'weight of the average, alpha) must be in '
                             f'[0, 1), but got {momentum!r}.')
        self.module = copy.deepcopy(generator).requires_grad_(False)
        self.momentum = float(momentum)

    def forward(self, *args, **kwargs) -> torch.Tensor:
        """The averaged generator's images."""
        return self.module(*args, **kwargs)

    @torch.no_grad()
    def copy_from(self, generator: nn.Module) -> None:
        """Parameters and buffers equal to ``generator``'s."""
        for mine, theirs in zip(self.module.state_dict().values(),
                                generator.state_dict().values()):
            mine.copy_(theirs)

    @torch.no_grad()
    def update(self, generator: nn.Module) -> None:
        """One step of the average towards ``generator``."""
        averaged: List[torch.Tensor] = list(self.module.parameters())
        current = [p.detach() for p in generator.parameters()]
        torch._foreach_lerp_(averaged, current, 1.0 - self.momentum)
        for mine, theirs in zip(self.module.buffers(), generator.buffers()):
            mine.copy_(theirs)
