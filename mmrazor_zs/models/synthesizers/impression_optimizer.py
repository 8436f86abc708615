# Copyright (c) mmrazor_zs contributors. All rights reserved.
import copy
import math
from typing import Any, Dict, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F

from mmrazor_zs.utils import (PixelSpace, check_choice, check_positive_int,
                              dequantize_pixels, quantize_pixels)

RANGE_MODES = ('clamp', 'minmax', 'batch_minmax')


class ImpressionOptimizer:
    """Optimise a batch of inputs until the frozen teacher's beliefs match
    given soft targets: the "data impressions" of ZSKD.

    Nayak et al., `Zero-Shot Knowledge Distillation in Deep Networks
    <https://arxiv.org/abs/1905.08114>`_, ICML 2019, eq. 3: minimise
    ``CE(y, softmax(T(x) / tau))`` over the input ``x`` only. The inputs are
    optimised in pixel space ``[0, 1]`` (as the released code, Adam 1e-3),
    start uniform in that range and pass through the teacher's
    ``pixel_space``. ``range_mode`` keeps them in range:

    - ``'clamp'``: clamp every pixel to [0, 1] after every step.
    - ``'minmax'`` (ours, not the released code's): min-max rescale each
      image on its own to [0, 1] after every step.
    - ``'batch_minmax'``: the released code
      (``di_generation/cifar_10_impressions_alexnet_Dirch.py``), which
      min-max rescales the whole batch as one tensor (one min and one max
      over all images and channels) with ``noise_image.assign(...)``
      fetched in the same ``sess.run`` as the Adam update, and runs the
      last step without it. With the gradient ``g_t`` taken at ``x_t``,
      step ``t < T`` is ``x_{t+1} = minmax_batch(x_t) - adam_step(g_t)``
      and the last one ``x_{T+1} = x_T - adam_step(g_T)``, the image
      returned. TensorFlow 1 does not order the two ops of that
      ``sess.run`` (no control dependency joins them); we implement the
      order it executes them in: the assign needs only ``x_t`` and
      finishes first, while the Adam update waits for the whole backward
      pass and is then applied in place to the (rescaled) variable.

    Adam (the default, and the released code's optimiser) runs on a fast
    path that does the same arithmetic with less work per step: the
    gradient of the loss at the logits is written in closed form,
    ``(softmax(T(x) / tau) - y) / (tau * N)``, and Adam's update of the
    pixels is carried out on the normalised input directly, rescaled per
    channel, so the normalisation is not re-applied and differentiated at
    every step. Any other ``torch.optim`` optimiser (or Adam with options
    beyond ``betas`` and ``eps``) runs the plain loop on pixels.

    The returned images are on the 8-bit grid they are stored on
    (:func:`~mmrazor_zs.utils.quantize_pixels`: the training pipelines read
    uint8 images), and the labels and final loss are the teacher's on those
    images.

    Args:
        teacher (nn.Module): The teacher; called as
            ``teacher(inputs, mode='tensor')`` in eval mode, and its
            parameters get no gradient.
        input_shape (Sequence[int]): (C, H, W) of the teacher's input.
        pixel_space (PixelSpace): The teacher's pixel space (from its
            ``ClsDataPreprocessor``); moved to the device of the batches.
        iterations (int): Optimisation steps (0 labels the starting images
            only). Defaults to 1500.
        lr (float): Learning rate on [0, 1] pixels. Defaults to 1e-3.
        tau (float): Temperature of the teacher's softmax. Defaults to 20.
        range_mode (str): One of :data:`RANGE_MODES`, see above. Defaults
            to 'clamp'.
        optimizer (dict, optional): ``type`` (a ``torch.optim`` class name)
            and its keyword arguments other than ``lr``. Defaults to
            ``dict(type='Adam')``.

    Raises:
        ValueError: If ``range_mode`` or ``optimizer.type`` is unknown,
            ``iterations`` is negative, or ``pixel_space`` has a channel
            count other than the input's.
    """

    def __init__(self,
                 teacher: nn.Module,
                 input_shape: Sequence[int],
                 pixel_space: PixelSpace,
                 *,
                 iterations: int = 1500,
                 lr: float = 1e-3,
                 tau: float = 20.0,
                 range_mode: str = 'clamp',
                 optimizer: Optional[dict] = None) -> None:
        owner = type(self).__name__
        check_choice('range_mode', range_mode, RANGE_MODES, owner)
        check_positive_int('iterations', iterations, owner, minimum=0)
        if pixel_space.channels != input_shape[0]:
            raise ValueError(
                f'`pixel_space` of {owner} must have one value per input '
                f'channel ({input_shape[0]}), but got '
                f'{pixel_space.extra_repr()}.')
        optimizer = dict(optimizer or dict(type='Adam'))
        self.optimizer_type = optimizer.pop('type', 'Adam')
        if not isinstance(
                getattr(torch.optim, self.optimizer_type, None), type):
            raise ValueError(
                f'`optimizer.type` must name a torch.optim optimiser (e.g. '
                f'Adam, SGD), but got {self.optimizer_type!r}.')
        self.optimizer_kwargs = optimizer
        self.teacher = teacher.eval()
        self.input_shape = tuple(input_shape)
        self.pixel_space = pixel_space
        self.iterations = iterations
        self.lr = lr
        self.tau = tau
        self.range_mode = range_mode

    def loss(self, pixels: torch.Tensor,
             targets: torch.Tensor) -> torch.Tensor:
        """Mean over the batch of ``CE(targets, softmax(T(x) / tau))``."""
        return self._loss_from_logits(
            self.teacher(
                self.pixel_space.to(pixels.device).normalize(pixels),
                mode='tensor'), targets)

    def _loss_from_logits(self, logits: torch.Tensor,
                          targets: torch.Tensor) -> torch.Tensor:
        log_probs = F.log_softmax(logits.float() / self.tau, dim=1)
        return -(targets * log_probs).sum(1).mean()

    def _rescales_before_step(self, step: int, last: int) -> bool:
        """'batch_minmax' rescales before every step but the last."""
        return self.range_mode == 'batch_minmax' and step < last

    @staticmethod
    def _rescale_batch(pixels: torch.Tensor) -> None:
        """Min-max rescale the whole batch in place (one min, one max)."""
        low, high = pixels.min(), pixels.max()
        pixels.sub_(low).div_((high - low).clamp_min(1e-12))

    def _keep_in_range(self, pixels: torch.Tensor) -> None:
        """The projection after a step of 'clamp' and 'minmax'."""
        if self.range_mode == 'clamp':
            pixels.clamp_(0, 1)
            return
        flat = pixels.view(pixels.shape[0], -1)
        low = flat.min(1, keepdim=True).values
        high = flat.max(1, keepdim=True).values
        flat.sub_(low).div_((high - low).clamp_min(1e-12))

    def _rescale_inputs(self, inputs: torch.Tensor) -> None:
        """A min-max rescale of the normalised inputs, in pixel space."""
        as_pixels = self.pixel_space.denormalize(inputs)
        if self.range_mode == 'batch_minmax':
            self._rescale_batch(as_pixels)
        else:
            self._keep_in_range(as_pixels)
        inputs.copy_(self.pixel_space.normalize(as_pixels))

    def _uses_fast_adam(self) -> bool:
        return self.optimizer_type == 'Adam' and set(
            self.optimizer_kwargs) <= {'betas', 'eps'}

    def _adam_state_dict(self, step: int, exp_avg: torch.Tensor,
                         exp_avg_sq: torch.Tensor) -> dict:
        """The fast path's state as ``torch.optim.Adam.state_dict()`` of an
        Adam over the batch's pixels."""
        groups = torch.optim.Adam(
            [torch.zeros(0, requires_grad=True)],
            lr=self.lr,
            **self.optimizer_kwargs).state_dict()['param_groups']
        return dict(
            state={
                0:
                dict(
                    step=torch.tensor(float(step)),
                    exp_avg=exp_avg,
                    exp_avg_sq=exp_avg_sq)
            },
            param_groups=groups)

    def _fast_adam(
        self, pixels: torch.Tensor, targets: torch.Tensor,
        optimizer_state: Optional[dict]
    ) -> Tuple[torch.Tensor, torch.Tensor, dict]:
        """Adam on the pixels (``torch.optim.Adam``'s arithmetic), carried.

        out on the normalised input ``z = (x - mean) / std`` (``scale =
        1 / std``): the moments are kept for the gradient at ``z`` (``m_x =
        scale * m_z``, ``v_x = scale^2 * v_z``) and the step is rescaled so
        that it equals the pixel-space step mapped through the
        normalisation.
        """
        beta1, beta2 = self.optimizer_kwargs.get('betas', (0.9, 0.999))
        eps = self.optimizer_kwargs.get('eps', 1e-8)
        device = pixels.device
        space = self.pixel_space
        scale = space.std.reciprocal()
        low = space.normalize(torch.zeros((), device=device))
        high = space.normalize(torch.ones((), device=device))
        eps_z = eps / scale**2
        grad_scale = 1 / (self.tau * pixels.shape[0])
        inputs = space.normalize(pixels).requires_grad_(True)
        state = (optimizer_state or {}).get('state', {}).get(0)
        if state is None:
            done = 0
            exp_avg = torch.zeros_like(inputs)
            exp_avg_sq = torch.zeros_like(inputs)
        else:
            done = int(state['step'])
            exp_avg = state['exp_avg'].to(device) / scale
            exp_avg_sq = state['exp_avg_sq'].to(device) / scale**2
        last = done + self.iterations
        initial_loss = torch.empty(0)
        for step in range(done + 1, last + 1):
            logits = self.teacher(inputs, mode='tensor')
            with torch.no_grad():
                if step == done + 1:
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
                if self._rescales_before_step(step, last):
                    self._rescale_inputs(inputs)
                inputs.addcdiv_(
                    exp_avg, denom, value=-self.lr / bias_correction1)
                if self.range_mode == 'clamp':
                    inputs.clamp_(low, high)
                elif self.range_mode == 'minmax':
                    self._rescale_inputs(inputs)
        state = self._adam_state_dict(last, exp_avg * scale,
                                      exp_avg_sq * scale**2)
        return space.denormalize(inputs.detach()), initial_loss, state

    def _torch_optimizer(
        self, pixels: torch.Tensor, targets: torch.Tensor,
        optimizer_state: Optional[dict]
    ) -> Tuple[torch.Tensor, torch.Tensor, dict]:
        """The plain loop: any ``torch.optim`` optimiser on the pixels."""
        pixels = pixels.clone().requires_grad_(True)
        optimizer = getattr(torch.optim,
                            self.optimizer_type)([pixels],
                                                 lr=self.lr,
                                                 **self.optimizer_kwargs)
        if optimizer_state is not None:
            # a copy: loading aliases the tensors, which steps then change
            optimizer.load_state_dict(copy.deepcopy(optimizer_state))
        with torch.no_grad():
            initial_loss = self.loss(pixels, targets)
        for step in range(1, self.iterations + 1):
            loss = self.loss(pixels, targets)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            with torch.no_grad():
                if self._rescales_before_step(step, self.iterations):
                    self._rescale_batch(pixels)
            optimizer.step()
            if self.range_mode != 'batch_minmax':
                with torch.no_grad():
                    self._keep_in_range(pixels)
        return pixels.detach(), initial_loss, optimizer.state_dict()

    @staticmethod
    def _check_state(optimizer_state: dict, shape: torch.Size) -> None:
        for name, value in optimizer_state['state'].get(0, {}).items():
            if torch.is_tensor(value) and value.dim() and \
                    value.shape != shape:
                raise ValueError(
                    f'`optimizer_state` holds {name} of shape '
                    f'{tuple(value.shape)}, but this batch is '
                    f'{tuple(shape)}: the state carries over only between '
                    'batches of equal size.')

    def optimize(
        self,
        pixels: torch.Tensor,
        targets: torch.Tensor,
        optimizer_state: Optional[dict] = None
    ) -> Tuple[torch.Tensor, torch.Tensor, dict]:
        """The optimisation steps alone, from ``pixels`` (N, C, H, W).

        Args:
            pixels (Tensor): Starting pixels in [0, 1]; not modified.
            targets (Tensor): Soft targets, shape (N, classes).
            optimizer_state (dict, optional): As in :meth:`__call__`.

        Returns:
            tuple: The pixels after the last step, as float (the last
            'batch_minmax' step can leave [0, 1] by up to Adam's largest
            step, a few ``lr``);
            the loss before the first step; the optimiser state after the
            last step, the ``state_dict()`` of the optimiser over the
            pixels (the fast Adam path gives ``torch.optim.Adam``'s form).
        """
        if optimizer_state is not None:
            self._check_state(optimizer_state, pixels.shape)
        self.pixel_space.to(pixels.device)
        for param in self.teacher.parameters():
            param.requires_grad_(False)
        if self.iterations > 0 and self._uses_fast_adam():
            return self._fast_adam(pixels.detach(), targets, optimizer_state)
        return self._torch_optimizer(pixels.detach(), targets, optimizer_state)

    def __call__(self,
                 targets: torch.Tensor,
                 init: Optional[torch.Tensor] = None,
                 seed: int = 0,
                 optimizer_state: Optional[dict] = None) -> Dict[str, Any]:
        """Optimise one batch (:meth:`optimize`) and label it as stored.

        Args:
            targets (Tensor): Soft targets, shape (N, classes).
            init (Tensor, optional): Starting pixels (N, C, H, W) in [0, 1],
                e.g. the previous batch of the class (the released code's
                warm start). Uniform noise when None.
            seed (int): Seed of the uniform initialisation.
            optimizer_state (dict, optional): The optimiser's state to
                continue from, the ``optimizer_state`` a previous call
                returned for a batch of the same size (the released code
                keeps one Adam, moments and step count, for the whole run).
                A fresh optimiser when None. Not modified.

        Returns:
            dict: ``images`` (N, C, H, W) in [0, 1] on the 8-bit grid
            (multiples of 1/255, as stored); ``labels``, the teacher's
            softmax at ``tau`` on those images; ``initial_loss`` (on the
            starting images) and ``final_loss`` (on the returned ones);
            ``optimizer_state`` after the last step (see
            :meth:`optimize`).
        """
        device = targets.device
        if init is None:
            rng = torch.Generator(device=device).manual_seed(seed)
            init = torch.rand((targets.shape[0], *self.input_shape),
                              generator=rng,
                              device=device)
        images, initial_loss, state = self.optimize(init, targets,
                                                    optimizer_state)
        # as stored: in [0, 1] (the last 'batch_minmax' step may leave it)
        # and on the 8-bit grid
        images = dequantize_pixels(quantize_pixels(images))
        with torch.no_grad():
            logits = self.teacher(
                self.pixel_space.normalize(images), mode='tensor')
            labels = F.softmax(logits.float() / self.tau, dim=1)
            final_loss = self._loss_from_logits(logits, targets)
        return dict(
            images=images,
            labels=labels,
            initial_loss=initial_loss,
            final_loss=final_loss,
            optimizer_state=state)
