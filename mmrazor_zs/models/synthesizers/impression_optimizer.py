# Copyright (c) mmrazor_zs contributors. All rights reserved.
from typing import Dict, Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F

RANGE_MODES = ('clamp', 'minmax')


class ImpressionOptimizer:
    """Optimise a batch of inputs until the frozen teacher's beliefs match
    given soft targets: the "data impressions" of ZSKD.

    Nayak et al., `Zero-Shot Knowledge Distillation in Deep Networks
    <https://arxiv.org/abs/1905.08114>`_, ICML 2019, eq. 3: minimise
    ``CE(y, softmax(T(x) / tau))`` over the input ``x`` only. The inputs are
    optimised in pixel space ``[0, 1]`` (as the released code, Adam 1e-3),
    start uniform in that range, pass through the teacher's normalisation
    ``(255 * x - mean) / std``, and are kept in the valid range after every
    step: clamped, or min-max rescaled per image as the released code does.

    Args:
        teacher (nn.Module): The teacher; called as
            ``teacher(inputs, mode='tensor')`` in eval mode, and its
            parameters get no gradient.
        input_shape (Sequence[int]): (C, H, W) of the teacher's input.
        mean (Sequence[float]): Per-channel mean on the 0..255 scale (the
            teacher's ``ClsDataPreprocessor``).
        std (Sequence[float]): Per-channel std on the 0..255 scale.
        iterations (int): Optimisation steps. Defaults to 1500.
        lr (float): Adam learning rate on [0, 1] pixels. Defaults to 1e-3.
        tau (float): Temperature of the teacher's softmax. Defaults to 20.
        range_mode (str): 'clamp' or 'minmax'. Defaults to 'clamp'.
    """

    def __init__(self,
                 teacher: nn.Module,
                 input_shape: Sequence[int],
                 mean: Sequence[float],
                 std: Sequence[float],
                 iterations: int = 1500,
                 lr: float = 1e-3,
                 tau: float = 20.0,
                 range_mode: str = 'clamp') -> None:
        if range_mode not in RANGE_MODES:
            raise ValueError(f'`range_mode` must be one of {RANGE_MODES}, '
                             f'but got {range_mode!r}.')
        if len(mean) != input_shape[0] or len(std) != input_shape[0]:
            raise ValueError(
                f'`mean` and `std` need one value per input channel '
                f'({input_shape[0]}), but got {list(mean)} and {list(std)}.')
        self.teacher = teacher.eval()
        self.input_shape = tuple(input_shape)
        self.mean = torch.tensor(mean, dtype=torch.float32).view(-1, 1, 1)
        self.std = torch.tensor(std, dtype=torch.float32).view(-1, 1, 1)
        self.iterations = iterations
        self.lr = lr
        self.tau = tau
        self.range_mode = range_mode

    def normalise(self, pixels: torch.Tensor) -> torch.Tensor:
        """[0, 1] pixels to the teacher's input space:
        ``(255 * x - mean) / std`` as one fused multiply-add."""
        scale = (255 / self.std).to(pixels.device)
        shift = (self.mean / self.std).to(pixels.device)
        return torch.addcmul(-shift, pixels, scale)

    def loss(self, pixels: torch.Tensor,
             targets: torch.Tensor) -> torch.Tensor:
        """Mean over the batch of ``CE(targets, softmax(T(x) / tau))``."""
        logits = self.teacher(self.normalise(pixels), mode='tensor')
        log_probs = F.log_softmax(logits.float() / self.tau, dim=1)
        return -(targets * log_probs).sum(1).mean()

    def _keep_in_range(self, pixels: torch.Tensor) -> None:
        if self.range_mode == 'clamp':
            pixels.clamp_(0, 1)
            return
        flat = pixels.view(pixels.shape[0], -1)
        low = flat.min(1, keepdim=True).values
        high = flat.max(1, keepdim=True).values
        flat.sub_(low).div_((high - low).clamp_min(1e-12))

    def __call__(self,
                 targets: torch.Tensor,
                 init: Optional[torch.Tensor] = None,
                 seed: int = 0) -> Dict[str, torch.Tensor]:
        """Optimise one batch.

        Args:
            targets (Tensor): Soft targets, shape (N, classes).
            init (Tensor, optional): Starting pixels (N, C, H, W) in [0, 1],
                e.g. the previous batch of the class (the released code's
                warm start). Uniform noise when None.
            seed (int): Seed of the uniform initialisation.

        Returns:
            dict: ``images`` (N, C, H, W) in [0, 1]; ``labels``, the
            teacher's softmax at ``tau`` on the final images;
            ``initial_loss`` and ``final_loss``.
        """
        device = targets.device
        if init is None:
            rng = torch.Generator(device=device).manual_seed(seed)
            init = torch.rand((targets.shape[0], *self.input_shape),
                              generator=rng, device=device)
        pixels = init.detach().clone().requires_grad_(True)
        optimizer = torch.optim.Adam([pixels], lr=self.lr)
        for param in self.teacher.parameters():
            param.requires_grad_(False)
        with torch.no_grad():
            initial_loss = self.loss(pixels, targets)
        for _ in range(self.iterations):
            loss = self.loss(pixels, targets)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            with torch.no_grad():
                self._keep_in_range(pixels)
        with torch.no_grad():
            logits = self.teacher(self.normalise(pixels), mode='tensor')
            labels = F.softmax(logits.float() / self.tau, dim=1)
            final_loss = self.loss(pixels, targets)
        return dict(
            images=pixels.detach(),
            labels=labels,
            initial_loss=initial_loss,
            final_loss=final_loss)
