# Copyright (c) mmrazor_zs contributors. All rights reserved.
from typing import Tuple

import torch
import torch.nn as nn
from mmengine.model import BaseModule

from mmrazor_zs.registry import MODELS

#: the generator doubles its maps this many times after its first block
UPSAMPLINGS = 4


@MODELS.register_module()
class SpatialLatentGenerator(BaseModule):
    """A generator of convolutions only, from a spatial code: the one Fast
    synthesises ImageNet with (zju-vipa/Fast-Datafree 0dcecbc,
    ``datafree/models/generator.py`` lines 56-114, ``DeepGenerator``).

    The code z has shape (N, ``latent_dim``, S/16, S/16) for images of side
    S = ``img_size``: ``Conv3x3(latent_dim -> 2c)``, BN, LeakyReLU(0.2),
    then four ``[Upsample x2, Conv3x3, BN, LeakyReLU(0.2)]`` blocks of
    widths (2c, c, c, c), all convolutions without bias, then a biased
    ``Conv3x3(c -> out_channels)`` and ``sigmoid``: pixels in [0, 1], left
    unnormalised for the synthesizer's augmentation (c =
    ``base_channels``, the code's ``ngf``). The original also builds a
    ``Linear(nz, ngf * 7 * 7)`` that its ``forward`` never calls (line
    61); it is left out: it gets no gradient, and its Reptile
    meta-gradient is 0, which Adam turns into no update.

    Args:
        latent_dim (int): Channels of the code (``nz``). Defaults to 256.
        base_channels (int): ``ngf``. Defaults to 64.
        out_channels (int): Image channels; the synthesizer sets it from
            the teacher's input. Defaults to 3.
        img_size (int): Image side, divisible by 16; the synthesizer sets
            it from the teacher's input. Defaults to 224.
        init_cfg (dict, optional): Initialisation config. Defaults to None.
    """

    def __init__(self,
                 latent_dim: int = 256,
                 base_channels: int = 64,
                 out_channels: int = 3,
                 img_size: int = 224,
                 init_cfg=None) -> None:
        super().__init__(init_cfg=init_cfg)
        scale = 2**UPSAMPLINGS
        if img_size % scale:
            raise ValueError(
                f'{type(self).__name__} upsamples its code {UPSAMPLINGS} '
                f'times by 2, so `img_size` must be divisible by {scale}, '
                f'but got {img_size}.')
        self.latent_dim = latent_dim
        self.img_size = img_size
        wide, narrow = 2 * base_channels, base_channels
        widths = [wide, wide, narrow, narrow, narrow]
        layers = [
            nn.Conv2d(latent_dim, wide, 3, padding=1, bias=False),
            nn.BatchNorm2d(wide),
            nn.LeakyReLU(0.2, inplace=True)
        ]
        for cin, cout in zip(widths[:-1], widths[1:]):
            layers += [
                nn.Upsample(scale_factor=2),
                nn.Conv2d(cin, cout, 3, padding=1, bias=False),
                nn.BatchNorm2d(cout),
                nn.LeakyReLU(0.2, inplace=True)
            ]
        layers += [nn.Conv2d(narrow, out_channels, 3, padding=1), nn.Sigmoid()]
        self.blocks = nn.Sequential(*layers)

    @property
    def latent_shape(self) -> Tuple[int, ...]:
        """The shape of one image's code, (latent_dim, S/16, S/16)."""
        side = self.img_size // 2**UPSAMPLINGS
        return (self.latent_dim, side, side)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        """Map codes ``(N, *latent_shape)`` to pixels (N, C, S, S) in [0,
        1]."""
        return self.blocks(z)


@MODELS.register_module()
class ProjectedSpatialGenerator(SpatialLatentGenerator):
    """:class:`SpatialLatentGenerator` behind a linear projection of a flat
    code: NAYER's ImageNet trunk (tmtuan1307/NAYER c6bedcd,
    ``datafree/models/generator.py`` lines 83-168, ``NLDeepGenerator``'s
    ``l1`` and ``conv_blocks``).

    ``Linear(latent_dim -> seed_channels * (S/16)^2)``, reshaped to
    (seed_channels, S/16, S/16) without a normalisation, then the blocks of
    a :class:`SpatialLatentGenerator` whose code has ``seed_channels``
    channels (the original: ``2 * ngf`` = 128).

    Args:
        latent_dim (int): The flat code's size (NAYER's noisy layers'
            output, ``le_emb_size``). Defaults to 1000.
        seed_channels (int): Channels of the projected map. Defaults to
            128.
        base_channels (int): ``ngf``. Defaults to 64.
        out_channels (int): Image channels. Defaults to 3.
        img_size (int): Image side, divisible by 16. Defaults to 224.
        init_cfg (dict, optional): Initialisation config. Defaults to None.
    """

    def __init__(self,
                 latent_dim: int = 1000,
                 seed_channels: int = 128,
                 base_channels: int = 64,
                 out_channels: int = 3,
                 img_size: int = 224,
                 init_cfg=None) -> None:
        super().__init__(seed_channels, base_channels, out_channels, img_size,
                         init_cfg)
        self.seed_channels = seed_channels
        self.seed_size = img_size // 2**UPSAMPLINGS
        self.project = nn.Linear(latent_dim, seed_channels * self.seed_size**2)
        self.latent_dim = latent_dim

    @property
    def latent_shape(self) -> Tuple[int, ...]:
        """A flat code, (latent_dim, )."""
        return (self.latent_dim, )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        """Map codes (N, latent_dim) to pixels (N, C, S, S) in [0, 1]."""
        seed = self.project(z).view(-1, self.seed_channels, self.seed_size,
                                    self.seed_size)
        return self.blocks(seed)
