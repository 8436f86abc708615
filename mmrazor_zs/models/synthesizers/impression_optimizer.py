# Copyright (c) mmrazor_zs contributors. All rights reserved.
import math
from typing import Dict, Optional, Sequence, Tuple

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

    Adam (the default, and the released code's optimiser) runs on a fast
    path that does the same arithmetic with less work per step: the
    gradient of the loss at the logits is written in closed form,
    ``(softmax(T(x) / tau) - y) / (tau * N)``, and Adam's update of the
    pixels is carried out on the normalised input directly, rescaled per
    channel, so the normalisation is not re-applied and differentiated at
    every step. Any other ``torch.optim`` optimiser (or Adam with options
    beyond ``betas`` and ``eps``) runs the plain loop on pixels.

    Args:
        teacher (nn.Module): The teacher; called as
            ``teacher(inputs, mode='tensor')`` in eval mode, and its
            parameters get no gradient.
        input_shape (Sequence[int]): (C, H, W) of the teacher's input.
        mean (Sequence[float]): Per-channel mean on the 0..255 scale (the
            teacher's ``ClsDataPreprocessor``).
        std (Sequence[float]): Per-channel std on the 0..255 scale.
        iterations (int): Optimisation steps. Defaults to 1500.
        lr (float): Learning rate on [0, 1] pixels. Defaults to 1e-3.
        tau (float): Temperature of the teacher's softmax. Defaults to 20.
        range_mode (str): 'clamp' or 'minmax'. Defaults to 'clamp'.
        optimizer (dict, optional): ``type`` (a ``torch.optim`` class name)
            and its keyword arguments other than ``lr``. Defaults to
            ``dict(type='Adam')``.
    """

    def __init__(self,
                 teacher: nn.Module,
                 input_shape: Sequence[int],
                 mean: Sequence[float],
                 std: Sequence[float],
                 iterations: int = 1500,
                 lr: float = 1e-3,
                 tau: float = 20.0,
                 range_mode: str = 'clamp',
                 optimizer: Optional[dict] = None) -> None:
        if range_mode not in RANGE_MODES:
            raise ValueError(f'`range_mode` must be one of {RANGE_MODES}, '
                             f'but got {range_mode!r}.')
        if len(mean) != input_shape[0] or len(std) != input_shape[0]:
            raise ValueError(
                f'`mean` and `std` need one value per input channel '
                f'({input_shape[0]}), but got {list(mean)} and {list(std)}.')
        optimizer = dict(optimizer or dict(type='Adam'))
        self.optimizer_type = optimizer.pop('type', 'Adam')
        if not isinstance(getattr(torch.optim, self.optimizer_type, None),
                          type):
            raise ValueError(
                f'`optimizer.type` must name a torch.optim optimiser (e.g. '
                f'Adam, SGD), but got {self.optimizer_type!r}.')
        self.optimizer_kwargs = optimizer
        self.teacher = teacher.eval()
        self.input_shape = tuple(input_shape)
        std_t = torch.tensor(std, dtype=torch.float32).view(-1, 1, 1)
        mean_t = torch.tensor(mean, dtype=torch.float32).view(-1, 1, 1)
        # normalised input = scale * pixels + shift
        self.scale = 255 / std_t
        self.shift = -mean_t / std_t
        self.iterations = iterations
        self.lr = lr
        self.tau = tau
        self.range_mode = range_mode

    def normalise(self, pixels: torch.Tensor) -> torch.Tensor:
        """[0, 1] pixels to the teacher's input: ``(255 * x - mean) / std``
        as one fused multiply-add."""
        return torch.addcmul(
            self.shift.to(pixels.device), pixels,
            self.scale.to(pixels.device))

    def pixels(self, inputs: torch.Tensor) -> torch.Tensor:
        """The teacher's input back to [0, 1] pixels."""
        return (inputs - self.shift.to(inputs.device)) / self.scale.to(
            inputs.device)

    def loss(self, pixels: torch.Tensor,
             targets: torch.Tensor) -> torch.Tensor:
        """Mean over the batch of ``CE(targets, softmax(T(x) / tau))``."""
        return self._loss_from_logits(
            self.teacher(self.normalise(pixels), mode='tensor'), targets)

    def _loss_from_logits(self, logits: torch.Tensor,
                          targets: torch.Tensor) -> torch.Tensor:
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

    def _uses_fast_adam(self) -> bool:
        return self.optimizer_type == 'Adam' and set(
            self.optimizer_kwargs) <= {'betas', 'eps'}

    def _fast_adam(self, pixels: torch.Tensor,
                   targets: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """Adam on the pixels (``torch.optim.Adam``'s arithmetic), carried
        out on ``z = scale * x + shift``: the moments are kept for the
        gradient at ``z`` and the step is rescaled so that it equals the
        pixel-space step mapped through the normalisation."""
        beta1, beta2 = self.optimizer_kwargs.get('betas', (0.9, 0.999))
        eps = self.optimizer_kwargs.get('eps', 1e-8)
        device = pixels.device
        scale = self.scale.to(device)
        low = self.shift.to(device)
        high = low + scale
        eps_z = eps / scale**2
        grad_scale = 1 / (self.tau * pixels.shape[0])
        inputs = self.normalise(pixels).requires_grad_(True)
        exp_avg = torch.zeros_like(inputs)
        exp_avg_sq = torch.zeros_like(inputs)
        initial_loss = None
        for step in range(1, self.iterations + 1):
            logits = self.teacher(inputs, mode='tensor')
            with torch.no_grad():
                if initial_loss is None:
                    initial_loss = self._loss_from_logits(logits, targets)
                probs = F.softmax(logits.float() / self.tau, dim=1)
                grad_logits = (probs * targets.sum(1, keepdim=True) -
                               targets).mul_(grad_scale)
            grad, = torch.autograd.grad(logits, inputs,
                                        grad_logits.to(logits.dtype))
            with torch.no_grad():
                exp_avg.lerp_(grad, 1 - beta1)
                exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
                bias_correction1 = 1 - beta1**step
                bias_correction2 = 1 - beta2**step
                # the pixel step lr / bc1 * m_x / (sqrt(v_x / bc2) + eps),
                # with m_x = scale * m_z and v_x = scale^2 * v_z, times scale
                denom = exp_avg_sq.sqrt().mul_(
                    1 / (math.sqrt(bias_correction2) * scale)).add_(eps_z)
                inputs.addcdiv_(
                    exp_avg, denom, value=-self.lr / bias_correction1)
                if self.range_mode == 'clamp':
                    inputs.clamp_(low, high)
                else:
                    as_pixels = self.pixels(inputs)
                    self._keep_in_range(as_pixels)
                    inputs.copy_(self.normalise(as_pixels))
        return self.pixels(inputs.detach()).clamp_(0, 1), initial_loss

    def _torch_optimizer(
            self, pixels: torch.Tensor,
            targets: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """The plain loop: any ``torch.optim`` optimiser on the pixels."""
        pixels = pixels.clone().requires_grad_(True)
        optimizer = getattr(torch.optim, self.optimizer_type)(
            [pixels], lr=self.lr, **self.optimizer_kwargs)
        with torch.no_grad():
            initial_loss = self.loss(pixels, targets)
        for _ in range(self.iterations):
            loss = self.loss(pixels, targets)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            with torch.no_grad():
                self._keep_in_range(pixels)
        return pixels.detach(), initial_loss

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
        for param in self.teacher.parameters():
            param.requires_grad_(False)
        if self.iterations > 0 and self._uses_fast_adam():
            images, initial_loss = self._fast_adam(init.detach(), targets)
        else:
            images, initial_loss = self._torch_optimizer(
                init.detach(), targets)
        with torch.no_grad():
            logits = self.teacher(self.normalise(images), mode='tensor')
            labels = F.softmax(logits.float() / self.tau, dim=1)
            final_loss = self._loss_from_logits(logits, targets)
        return dict(
            images=images,
            labels=labels,
            initial_loss=initial_loss,
            final_loss=final_loss)
