# Copyright (c) mmrazor_zs contributors. All rights reserved.
import copy
from typing import Sequence, Union

import torch
import torch.nn as nn

from mmrazor_zs.registry import MODELS
from .inversion_synthesizer import InversionSynthesizer


class GeneratorSynthesizer(InversionSynthesizer):
    """A synthesis round that optimises a generator and its latent codes
    instead of the pixels (CMI, Fast).

    The generator makes pixels in [0, 1] (e.g. :class:`PixelGenerator`);
    unset ``out_channels``/``img_size`` follow the teacher's input. Each
    round draws codes ``z ~ N(0, I)`` of shape (batch, latent), which are
    optimised with the generator.

    Args:
        generator (dict | nn.Module): The generator.
        lr_g (float): The generator's learning rate in a round.
            Defaults to 1e-3.
        betas (Sequence[float]): Adam's betas in a round. Defaults to
            (0.5, 0.999) (both zoos).
        *args, **kwargs: :class:`InversionSynthesizer`'s arguments.
    """

    def __init__(self,
                 *args,
                 generator: Union[dict,
                                  nn.Module] = dict(type='PixelGenerator'),
                 lr_g: float = 1e-3,
                 betas: Sequence[float] = (0.5, 0.999),
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if not isinstance(generator, nn.Module):
            generator = copy.deepcopy(generator)
            generator.setdefault('out_channels', self.input_shape[0])
            generator.setdefault('img_size', self.input_shape[1])
            generator = MODELS.build(generator)
        self.generator = generator.train()
        self.latent_dim = generator.latent_dim
        self.lr_g = lr_g
        self.betas = tuple(betas)
        with torch.no_grad():
            probe = self.generator.eval()(torch.zeros(2, self.latent_dim))
        self.generator.train()
        if tuple(probe.shape[1:]) != self.input_shape:
            raise ValueError(
                f'The synthesis generator makes images of shape '
                f'{tuple(probe.shape[1:])} but the teacher takes '
                f'{self.input_shape}; leave its `out_channels`/`img_size` '
                'unset to follow the teacher.')

    def sample_latent(self, rng: torch.Generator) -> torch.Tensor:
        """The round's trainable codes, drawn from ``rng``."""
        return torch.randn(
            self.batch_size, self.latent_dim,
            generator=rng).to(self.pixel_mean.device).requires_grad_()
