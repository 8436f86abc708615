# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""The DCGAN-style re-initialisation of a synthesis generator that CMI
applies before every round and Fast to its first layers once (zju-vipa/
DataFree 9e79fa9, ``datafree/synthesis/contrastive.py`` ``reset_model``;
zju-vipa/Fast-Datafree 0dcecbc, ``datafree/synthesis/fast_meta.py``
``reset_l0``): convolution and linear weights ``N(0, 0.02)``, batch-norm
weights ``N(1, 0.02)`` (``N(0, 0.02)`` in Fast's ``reset_l0``), biases 0;
batch-norm running statistics are left as they are, as there. Values are
drawn on the CPU from ``rng`` and copied to the module's device, so a run
draws the same on any device."""
from typing import Iterable

import torch
import torch.nn as nn

REINIT_TYPES = (nn.Conv2d, nn.ConvTranspose2d, nn.Linear, nn.BatchNorm2d)


@torch.no_grad()
def reinit_dcgan_style(modules: Iterable[nn.Module],
                       rng: torch.Generator,
                       batch_norm_mean: float = 1.0) -> None:
    """Re-initialise ``modules`` (those of :data:`REINIT_TYPES`); batch-norm
    weights are drawn around ``batch_norm_mean``."""
    for module in modules:
        if not isinstance(module, REINIT_TYPES):
            continue
        weight = module.weight
        mean = batch_norm_mean if isinstance(module, nn.BatchNorm2d) else 0.0
        weight.copy_(
            torch.randn(weight.shape, generator=rng).mul_(0.02).add_(mean))
        if module.bias is not None:
            module.bias.zero_()


def first_layers(generator: nn.Module) -> list:
    """The generator's first ``nn.Linear`` and first ``nn.BatchNorm2d`` (Fast's
    ``l1.0`` and ``conv_blocks.0``)."""
    found = []
    for kind in (nn.Linear, nn.BatchNorm2d):
        found += [m for m in generator.modules() if isinstance(m, kind)][:1]
    return found
