# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Gradient clipping that leaves the gradient norm on the device."""
from typing import List, Optional

import torch
from mmengine.optim import OptimWrapper

from mmrazor_zs.registry import OPTIM_WRAPPERS


@OPTIM_WRAPPERS.register_module()
class DeviceOptimWrapper(OptimWrapper):
    """mmengine's ``OptimWrapper`` whose gradient clipping makes no host
    synchronisation.

    mmengine's wrapper writes the clipped gradient's norm into the message
    hub at every step (``float(grad)``), which on a GPU waits for the device
    at every step: ZSKT clips both of its networks (max norm 5), six steps
    per iteration. Here the norm stays a device tensor, :attr:`grad_norm`,
    which the distillers return with their losses (``grad_norm_<network>``),
    so it is read once per iteration with the rest of the log. The clipping
    itself is mmengine's (``clip_grad=dict(max_norm=...)`` or
    ``dict(type='value', clip_value=...)``). The default wrapper of
    :class:`SeparateOptimWrapperConstructor`.

    Attributes:
        grad_norm (torch.Tensor, optional): The total norm of the last
            clipped step's gradients, before clipping; None before the first
            or without norm clipping.
    """

    grad_norm: Optional[torch.Tensor] = None

    def _clip_grad(self) -> None:
        """Clip the gradients; keep the norm on the device."""
        params: List[torch.Tensor] = [
            param for group in self.optimizer.param_groups
            for param in group['params']
            if param.requires_grad and param.grad is not None
        ]
        if params:
            norm = self.clip_func(params, **self.clip_grad_kwargs)
            if norm is not None:  # clip_grad_value_ returns None
                self.grad_norm = norm.detach()

    def scale_loss(self, loss: torch.Tensor) -> torch.Tensor:
        """mmengine's scaling for gradient accumulation; without accumulation
        the loss itself (mmengine divides it by 1: an operation and a backward
        node in every step)."""
        if self._accumulative_counts == 1:
            return loss
        return super().scale_loss(loss)
