# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Mixed precision on any device, the CPU included."""
from contextlib import contextmanager
from typing import Optional, Union

import torch
import torch.nn as nn

from mmrazor_zs.registry import OPTIM_WRAPPERS
from mmrazor_zs.utils.precision import (AUTOCAST_DTYPES,
                                        FLOAT16_SYNTHESIS_LOSS_SCALE,
                                        Precision)
from .device_optim_wrapper import DeviceOptimWrapper


@OPTIM_WRAPPERS.register_module()
class AutocastOptimWrapper(DeviceOptimWrapper):
    """An optimizer wrapper whose forward passes run under ``torch.autocast``
    on the device of the model it steps: CUDA, or the CPU (bfloat16), where
    mmengine's ``AmpOptimWrapper`` refuses to run.

    In ``bfloat16`` (float32's exponent range) the loss needs no scaling and
    there is none by default, so a step makes no host synchronisation. In
    ``float16`` the loss is scaled by ``torch.amp.GradScaler`` ('dynamic' by
    default, as mmengine's wrapper; it reads a found-inf flag on the host at
    every step to skip the overflowing ones). The loops read :attr:`precision`
    to run the work outside the wrapper (the teacher's targets, a
    synthesizer's own optimisers) the same way.

    Args:
        dtype (str): 'bfloat16' or 'float16'. Defaults to 'bfloat16'.
        loss_scale (str | float | dict, optional): 'dynamic', a static
            scale, or ``GradScaler`` keyword arguments; None for no scaling.
            Defaults to 'dynamic' in float16 and None in bfloat16.
        **kwargs: ``OptimWrapper``'s arguments (``optimizer``,
            ``clip_grad``, ``accumulative_counts``).

    Raises:
        ValueError: If ``dtype`` or ``loss_scale`` is not one of the above.
    """

    def __init__(self,
                 dtype: str = 'bfloat16',
                 loss_scale: Union[str, float, dict, None] = 'default',
                 **kwargs) -> None:
        super().__init__(**kwargs)
        if dtype not in AUTOCAST_DTYPES:
            raise ValueError(
                f'AutocastOptimWrapper: `dtype` must be one of '
                f'{sorted(AUTOCAST_DTYPES)}, but got {dtype!r}; float32 '
                'training uses the plain OptimWrapper (drop --amp).')
        self.cast_dtype = AUTOCAST_DTYPES[dtype]
        if loss_scale == 'default':
            loss_scale = 'dynamic' if dtype == 'float16' else None
        self.loss_scaler = self._build_scaler(loss_scale)
        self._static_scale = loss_scale if isinstance(loss_scale,
                                                      float) else None
        self.precision = Precision(
            self.cast_dtype,
            FLOAT16_SYNTHESIS_LOSS_SCALE if dtype == 'float16' else 1.0)

    def _build_scaler(
        self, loss_scale: Union[str, float, dict, None]
    ) -> Optional[torch.amp.GradScaler]:
        """The loss scaler on the device of the optimised parameters."""
        if loss_scale is None:
            return None
        device = self.optimizer.param_groups[0]['params'][0].device.type
        if loss_scale == 'dynamic':
            return torch.amp.GradScaler(device)
        if isinstance(loss_scale, float):
            return torch.amp.GradScaler(device, init_scale=loss_scale)
        if isinstance(loss_scale, dict):
            return torch.amp.GradScaler(device, **loss_scale)
        raise ValueError('AutocastOptimWrapper: `loss_scale` must be '
                         "'dynamic', a float, a dict of GradScaler "
                         f'arguments or None, but got {loss_scale!r}.')

    def backward(self, loss: torch.Tensor, **kwargs) -> None:
        """Back-propagate ``loss``, scaled when there is a loss scaler."""
        if self.loss_scaler is None:
            super().backward(loss, **kwargs)
            return
        self.loss_scaler.scale(loss).backward(**kwargs)
        self._inner_count += 1

    def step(self, **kwargs) -> None:
        """Step the optimizer; with a loss scaler, on the unscaled gradients
        (clipped after unscaling), skipping a step whose gradients overflow."""
        if self.loss_scaler is None:
            super().step(**kwargs)
            return
        if self.clip_grad_kwargs:
            self.loss_scaler.unscale_(self.optimizer)
            self._clip_grad()
        self.loss_scaler.step(self.optimizer, **kwargs)
        self.loss_scaler.update(self._static_scale)

    def state_dict(self) -> dict:
        """The optimizer's state and, with a scaler, its ``loss_scaler``."""
        state = super().state_dict()
        if self.loss_scaler is not None:
            state['loss_scaler'] = self.loss_scaler.state_dict()
        return state

    def load_state_dict(self, state_dict: dict) -> None:
        """Load :meth:`state_dict`'s output (the scaler's part when both have
        one)."""
        state_dict = dict(state_dict)
        scaler_state = state_dict.pop('loss_scaler', None)
        if scaler_state is not None and self.loss_scaler is not None:
            self.loss_scaler.load_state_dict(scaler_state)
        super().load_state_dict(state_dict)

    @contextmanager
    def optim_context(self, model: nn.Module):
        """mmengine's context (gradient accumulation under DDP) with the
        forward passes under autocast on ``model``'s device."""
        device = next(model.parameters()).device
        with super().optim_context(model), self.precision.autocast(device):
            yield
