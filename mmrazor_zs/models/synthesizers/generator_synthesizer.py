# Copyright (c) mmrazor_zs contributors. All rights reserved.
import copy
from typing import Any, Dict, Sequence, Tuple, Union

import torch
import torch.nn as nn

from mmrazor_zs.registry import MODELS
from mmrazor_zs.utils import temporarily_eval
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
        *args: :class:`InversionSynthesizer`'s positional arguments.
        **kwargs: :class:`InversionSynthesizer`'s keyword arguments.
    """

    #: what the current round optimises (codes, optimiser, ...), by name;
    #: empty between rounds
    _round: Dict[str, Any]

    def __init__(self,
                 *args,
                 generator: Union[dict,
                                  nn.Module] = dict(type='PixelGenerator'),
                 lr_g: float = 1e-3,
                 betas: Sequence[float] = (0.5, 0.999),
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if isinstance(generator, nn.Module):
            self.generator = generator.train()
        else:
            cfg = copy.deepcopy(generator)
            for key, value in self.generator_defaults().items():
                cfg.setdefault(key, value)
            self.generator = MODELS.build(cfg).train()
        self._round = {}
        self.lr_g = lr_g
        beta1, beta2 = betas
        self.betas = (beta1, beta2)

    def generator_defaults(self) -> Dict[str, Any]:
        """What a generator config leaves unset follows the teacher: its
        input's channels and size."""
        return dict(
            out_channels=self.input_shape[0], img_size=self.input_shape[1])

    @property
    def latent_dim(self) -> int:
        """The size of the generator's codes."""
        return int(getattr(self.generator, 'latent_dim'))

    @property
    def latent_shape(self) -> Tuple[int, ...]:
        """The shape of one image's code: the generator's ``latent_shape`` (a
        spatial code), else ``(latent_dim, )``."""
        return tuple(
            getattr(self.generator, 'latent_shape', (self.latent_dim, )))

    def probe_inputs(self) -> torch.Tensor:
        """Two inputs of the generator, to check what it makes."""
        return torch.zeros((2, ) + self.latent_shape)

    def probe(self) -> None:
        """Check at build time that the generator makes the teacher's input
        shape."""
        super().probe()
        with torch.no_grad(), temporarily_eval(self.generator):
            images = self.generator(self.probe_inputs())
        if tuple(images.shape[1:]) != self.input_shape:
            raise ValueError(
                f'The synthesis generator makes images of shape '
                f'{tuple(images.shape[1:])} but the teacher takes '
                f'{self.input_shape}; leave its `out_channels`/`img_size` '
                'unset to follow the teacher.')

    def sample_latent(self, rng: torch.Generator) -> torch.Tensor:
        """The round's trainable codes, drawn from ``rng``."""
        return torch.randn(
            (self.batch_size, ) + self.latent_shape,
            generator=rng).to(self.pixel_space.mean.device).requires_grad_()
