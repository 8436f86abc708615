# Copyright (c) mmrazor_zs contributors. All rights reserved.
import math
from typing import List, Optional, Sequence

import torch
import torch.nn.functional as F

from mmrazor_zs.registry import MODELS
from mmrazor_zs.utils import check_positive_int
from ..augments.differentiable import jitter_and_flip
from .inversion_synthesizer import InversionSynthesizer


def cosine_with_warmup(base_lr: float, warmup_steps: int, steps: int,
                       step: int) -> float:
    """The learning rate of ``step`` (from 0) of a stage of ``steps``: a linear
    warm-up to ``base_lr`` over ``warmup_steps``, then a cosine to 0
    (NVlabs/DeepInversion 2413af1, ``utils/utils.py`` lines 75-85
    ``lr_cosine_policy``, called with the stage's step at ``deepinversion.py``
    line 253)."""
    if step < warmup_steps:
        return base_lr * (step + 1) / warmup_steps
    done = step - warmup_steps
    return 0.5 * (1 + math.cos(math.pi * done /
                               (steps - warmup_steps))) * base_lr


@MODELS.register_module()
class DeepInversionSynthesizer(InversionSynthesizer):
    """DeepInversion's synthesis: the pixels themselves are optimised.

    Yin et al., `Dreaming to Distill: Data-free Knowledge Transfer via
    DeepInversion <https://arxiv.org/abs/1912.08795>`_, CVPR 2020. Each
    round starts a batch ``x ~ N(0, I)`` in the teacher's normalised input
    space and a new Adam on it, and takes ``steps`` steps on the terms
    (class cross-entropy, batch-norm statistics, image priors and, for
    Adaptive DeepInversion, the Jensen-Shannon competition with the
    student) computed on a jittered view. The released codes differ in
    every default; this class takes the zju-vipa zoo's (DataFree 9e79fa9,
    ``datafree/synthesis/deepinversion.py``), the NVlabs codes'
    (2413af1: CIFAR ``cifar10/deepinversion_cifar10.py``, ImageNet
    ``deepinversion.py``) are settings:

    =================  ==================  ==============  ==================
    setting            zju-vipa (default)  NVlabs CIFAR    NVlabs ImageNet
    =================  ==================  ==============  ==================
    ``lr``, ``betas``  0.1, (0.5, 0.99)    0.05 (paper     0.2 / 0.25, (0.5,
                                           command),       0.9); setting 2:
                                           (0.9, 0.999)    (0.9, 0.999)
    ``augment``        roll 1/8 side +     roll 2 px, no   roll 30 px (15 at
                       flip                flip            112) + flip
    ``clip``           True                False           True; setting 2:
                                                           False
    ``labels``         'random'            'cycle'         42 fixed classes
                                                           or 'random'
    ``warmup_steps``   None (constant lr)  None            100, cosine after
    ``pooled_steps``   0                   0               setting 0: 2,000
                                                           at half size
                                                           before ``steps``
                                                           1,000
    =================  ==================  ==============  ==================

    Args:
        lr (float): Adam's learning rate. Defaults to 0.1.
        betas (Sequence[float]): Adam's betas. Defaults to (0.5, 0.99).
        clip (bool): Clamp the batch to the pixel range [0, 1] after every
            step. Defaults to True.
        warmup_steps (int, optional): When set, every stage's learning rate
            warms up linearly over this many steps, then follows a cosine
            to 0 over the stage (:func:`cosine_with_warmup`; a stage no
            longer than the warm-up stays in it). Defaults to None (``lr``
            throughout).
        pooled_steps (int): Steps on the batch average-pooled by
            ``pool_factor`` (kernel and stride, the jitter divided by it)
            before the ``steps`` at full size: the multi-resolution
            schedule of NVlabs' ImageNet ``setting_id=0``
            (``deepinversion.py`` lines 209-259). Each stage has a new Adam
            and its own warm-up and cosine; the optimised tensor stays at
            full size, so the pooled stage moves it through the pooling.
            A round takes ``pooled_steps + steps`` steps. Defaults to 0.
        pool_factor (int): The pooled stage's factor. Defaults to 2 (224
            to 112).
        **kwargs: :class:`InversionSynthesizer`'s arguments (``steps``: the
            full-size steps).
    """

    #: every round starts from its own noise and a new Adam
    rounds_are_independent = True

    def __init__(self,
                 *args,
                 lr: float = 0.1,
                 betas: Sequence[float] = (0.5, 0.99),
                 clip: bool = True,
                 warmup_steps: Optional[int] = None,
                 pooled_steps: int = 0,
                 pool_factor: int = 2,
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        owner = type(self).__name__
        self.lr = lr
        beta1, beta2 = betas
        self.betas = (beta1, beta2)
        self.clip = clip
        if warmup_steps is not None:
            check_positive_int('warmup_steps', warmup_steps, owner)
        self.warmup_steps = warmup_steps
        check_positive_int('pooled_steps', pooled_steps, owner, minimum=0)
        check_positive_int('pool_factor', pool_factor, owner)
        #: (steps, downsampling factor) of each stage, in order
        self.stages = ([(pooled_steps, pool_factor)]
                       if pooled_steps else []) + [(self.steps, 1)]
        #: the first step of each stage
        self.stage_starts = [0, pooled_steps] if pooled_steps else [0]
        self._stage = 0

    @property
    def round_steps(self) -> int:
        """Steps per round: the pooled stage's and the full-size ones."""
        return sum(steps for steps, _ in self.stages)

    def begin_round(self, round_index: int,
                    rng: torch.Generator) -> List[torch.Tensor]:
        """A batch ``x ~ N(0, I)`` in the teacher's normalised space and a new
        Adam on it; the batch is the round's one tensor."""
        shape = (self.batch_size, ) + self.input_shape
        self.images = torch.randn(
            shape,
            generator=rng).to(self.pixel_space.mean.device).requires_grad_()
        self._begin_stage(0)
        return [self.images]

    def _begin_stage(self, stage: int) -> None:
        """A new Adam on the batch for ``stage`` (NVlabs makes one per
        resolution, ``deepinversion.py`` lines 230-241)."""
        self._stage = stage
        self.optimizer = torch.optim.Adam([self.images],
                                          lr=self.lr,
                                          betas=self.betas)

    def render(self) -> torch.Tensor:
        """The batch as pixels in [0, 1] (with history)."""
        return self.pixel_space.denormalize(self.images)

    def augment(self, pixels: torch.Tensor,
                rng: torch.Generator) -> torch.Tensor:
        """The configured augmentation; in a pooled stage the batch is
        average-pooled first and the jitter divided by the factor, as
        NVlabs' ``lim = jitter // lower_res`` (``deepinversion.py`` line
        228)."""
        factor = self.stages[self._stage][1]
        if factor == 1:
            return super().augment(pixels, rng)
        pooled = F.avg_pool2d(pixels, factor)
        if self.augment_type != 'jitter_flip':
            return super().augment(pooled, rng)
        args = dict(self.augment_args)
        args['max_shift'] = args['max_shift'] // factor
        return jitter_and_flip(pooled, generator=rng, **args)

    def step(self, step: int) -> None:
        """Adam on the batch at the stage's learning rate, then the clip to the
        pixel range (``clip``); a new Adam when the next step starts a
        stage."""
        local = step - self.stage_starts[self._stage]
        if self.warmup_steps is not None:
            lr = cosine_with_warmup(self.lr, self.warmup_steps,
                                    self.stages[self._stage][0], local)
            for group in self.optimizer.param_groups:
                group['lr'] = lr
        self.optimizer.step()
        if self.clip:
            with torch.no_grad():
                space = self.pixel_space
                low = -space.mean / space.std
                high = (1 - space.mean) / space.std
                self.images.copy_(
                    torch.maximum(torch.minimum(self.images, high), low))
        next_stage = self._stage + 1
        if next_stage < len(self.stages) and \
                step + 1 == self.stage_starts[next_stage]:
            self._begin_stage(next_stage)
