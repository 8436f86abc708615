# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""The numeric precision of a loop's forward passes.

Mixed precision is a property of a run, not of one optimiser: under ``--amp``
the student's and generator's steps, the teacher's targets for them and every
synthesis round run their forward passes under ``torch.autocast``. The
optimizer wrappers hold the setting (``AutocastOptimWrapper`` of
``mmrazor_zs.engine.optimizers``); the loops read it with :func:`precision_of`
and hand it to the code that runs outside a wrapper (a synthesizer's own
optimisers).
"""
import contextlib
from dataclasses import dataclass
from typing import ContextManager, Optional

import torch

#: the dtypes ``--amp`` takes, by name
AUTOCAST_DTYPES = dict(bfloat16=torch.bfloat16, float16=torch.float16)


@dataclass(frozen=True)
class Precision:
    """How a loop runs its forward passes.

    Attributes:
        dtype (torch.dtype, optional): The autocast dtype; None runs in
            float32.
        loss_scale (float): The static factor a synthesis round multiplies
            its loss by before the backward pass and divides the gradients of
            its own tensors by afterwards: float16's gradients of the
            activations underflow without it; bfloat16 has float32's range
            and needs none (1.0). A dynamic scale would skip overflowing
            steps by reading a flag on the host at every step, which the
            rounds avoid.
    """
    dtype: Optional[torch.dtype] = None
    loss_scale: float = 1.0

    def autocast(self, device: torch.device) -> ContextManager:
        """``torch.autocast`` on ``device``'s type in :attr:`dtype`, or no
        context in float32."""
        if self.dtype is None:
            return contextlib.nullcontext()
        return torch.autocast(device.type, dtype=self.dtype)


#: full precision
FLOAT32 = Precision()
#: the static loss scale of a synthesis round in float16
FLOAT16_SYNTHESIS_LOSS_SCALE = 2.0**10


def precision_of(optim_wrapper) -> Precision:
    """The precision of the loop that ``optim_wrapper`` steps: its own
    ``precision`` (:class:`AutocastOptimWrapper`); float16 (or its
    ``cast_dtype``) for mmengine's ``AmpOptimWrapper``; float32 otherwise."""
    precision = getattr(optim_wrapper, 'precision', None)
    if isinstance(precision, Precision):
        return precision
    if type(optim_wrapper).__name__ == 'AmpOptimWrapper':
        dtype = getattr(optim_wrapper, 'cast_dtype', None) or torch.float16
        scale = FLOAT16_SYNTHESIS_LOSS_SCALE if dtype == torch.float16 \
            else 1.0
        return Precision(dtype, scale)
    return FLOAT32
