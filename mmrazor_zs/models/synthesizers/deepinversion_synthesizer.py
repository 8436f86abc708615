# Copyright (c) mmrazor_zs contributors. All rights reserved.
from typing import List, Sequence

import torch

from mmrazor_zs.registry import MODELS
from .inversion_synthesizer import InversionSynthesizer


@MODELS.register_module()
class DeepInversionSynthesizer(InversionSynthesizer):
    """DeepInversion's synthesis: the pixels themselves are optimised.

    Yin et al., `Dreaming to Distill: Data-free Knowledge Transfer via
    DeepInversion <https://arxiv.org/abs/1912.08795>`_, CVPR 2020. Each
    round starts a batch ``x ~ N(0, I)`` in the teacher's normalised input
    space and a new Adam on it, and takes ``steps`` steps on the terms
    (class cross-entropy, batch-norm statistics, image priors and, for
    Adaptive DeepInversion, the Jensen-Shannon competition with the
    student) computed on a jittered view. The two released codes differ in
    every default; this class takes the zju-vipa zoo's (DataFree 9e79fa9,
    ``datafree/synthesis/deepinversion.py``), the NVlabs CIFAR code's
    (2413af1, ``cifar10/deepinversion_cifar10.py``) are settings:

    =================  ======================  ===========================
    setting            zju-vipa (default)      NVlabs
    =================  ======================  ===========================
    ``lr``, ``betas``  0.1, (0.5, 0.99)        0.05 (paper command),
                                               (0.9, 0.999)
    ``augment``        roll 1/8 side + flip    roll 2 px, no flip
    ``clip``           True (pixels in [0,1])  False
    ``labels``         'random'                'cycle'
    =================  ======================  ===========================

    Args:
        lr (float): Adam's learning rate. Defaults to 0.1.
        betas (Sequence[float]): Adam's betas. Defaults to (0.5, 0.99).
        clip (bool): Clamp the batch to the pixel range [0, 1] after every
            step. Defaults to True.
        **kwargs: :class:`InversionSynthesizer`'s arguments.
    """

    def __init__(self,
                 *args,
                 lr: float = 0.1,
                 betas: Sequence[float] = (0.5, 0.99),
                 clip: bool = True,
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lr = lr
        beta1, beta2 = betas
        self.betas = (beta1, beta2)
        self.clip = clip

    def begin_round(self, round_index: int,
                    rng: torch.Generator) -> List[torch.Tensor]:
        """A batch ``x ~ N(0, I)`` in the teacher's normalised space and a new
        Adam on it; the batch is the round's one tensor."""
        shape = (self.batch_size, ) + self.input_shape
        self.images = torch.randn(
            shape,
            generator=rng).to(self.pixel_space.mean.device).requires_grad_()
        self.optimizer = torch.optim.Adam([self.images],
                                          lr=self.lr,
                                          betas=self.betas)
        return [self.images]

    def render(self) -> torch.Tensor:
        """The batch as pixels in [0, 1] (with history)."""
        return self.pixel_space.denormalize(self.images)

    def step(self, step: int) -> None:
        """Adam on the batch, then the clip to the pixel range (``clip``)."""
        self.optimizer.step()
        if self.clip:
            with torch.no_grad():
                space = self.pixel_space
                low = -space.mean / space.std
                high = (1 - space.mean) / space.std
                self.images.copy_(
                    torch.maximum(torch.minimum(self.images, high), low))
