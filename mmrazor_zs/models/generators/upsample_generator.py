# Copyright (c) mmrazor_zs contributors. All rights reserved.
from typing import Optional, Sequence

import torch
import torch.nn as nn
from mmengine.model import BaseModule

from mmrazor_zs.registry import MODELS

OUTPUTS = ('bn', 'tanh_bn', 'sigmoid', 'pixels')


@MODELS.register_module()
class UpsampleGenerator(BaseModule):
    """The generator shared by ZSKT, DAFL, DFAD and DFQ: a linear seed and two
    nearest-neighbour upsampling blocks.

    ``Linear(latent_dim -> c0 * s * s) -> BN(c0)``, then two
    ``[Upsample x2, Conv3x3, BN(eps), LeakyReLU(0.2)]`` blocks with
    ``hidden_channels = (c1, c2)``, then ``Conv3x3(c2 -> out_channels)``
    and the ``output`` stage, where ``s = img_size // 4``. The presets
    :class:`ZSKTGenerator`, :class:`DAFLGenerator` and :class:`DFQGenerator`
    name the originals; this class exposes every difference between them as
    a setting.

    Args:
        latent_dim (int): Size of the noise vector z. Defaults to 100.
        out_channels (int): Channels of the generated images; the algorithm
            sets it from the teacher's input. Defaults to 3.
        img_size (int): Height and width of the images, divisible by 4; the
            algorithm sets it from the teacher's input. Defaults to 32.
        seed_channels (int): Channels c0 of the first feature map.
            Defaults to 128.
        hidden_channels (Sequence[int]): Output channels of the two
            upsampling blocks. Defaults to (128, 64).
        hidden_bn_eps (float): ``eps`` of the two blocks' BN layers.
            Defaults to 1e-5.
        conv_bias (bool): Whether the two blocks' convolutions have a bias.
            Defaults to True.
        output (str): How the last convolution becomes an image:

            - ``'bn'``: a final ``BatchNorm2d`` (ZSKT): the images are
              standardised per channel, in the teacher's normalised space;
            - ``'tanh_bn'``: ``tanh`` then ``BatchNorm2d(affine=False)``
              (DAFL, DFAD, MMRazor): standardised as well;
            - ``'sigmoid'``: ``sigmoid`` gives pixels in [0, 1], which are
              then normalised with the teacher's ``mean`` and ``std`` (the
              zju-vipa zoo's ``normalizer``);
            - ``'pixels'``: ``sigmoid`` pixels in [0, 1], not normalised
              (for the inversion synthesizers, which augment the pixels
              before they normalise them, as CMI and Fast do).

            Defaults to 'bn'.
        out_bn_affine (bool): Whether the final BN of ``output='bn'`` has
            learnable affine parameters. Defaults to True.
        mean (Sequence[float], optional): Per-channel mean of the teacher's
            inputs on the 0..255 scale (an mmpretrain data_preprocessor's
            ``mean``), for ``output='sigmoid'``; the algorithm sets it from
            the teacher's data_preprocessor. Defaults to None.
        std (Sequence[float], optional): Per-channel std on the same scale,
            as ``mean``. Defaults to None.
        channels_last (bool): Run the convolutions on channels-last
            activations (the values are the same up to float rounding; on
            the CPU a whole ZSKT digits iteration took 289 instead of
            423 ms, tools/analysis_tools/benchmark_generator.py).
            Defaults to True.
        init_cfg (dict, optional): Initialisation config. Defaults to None.
    """

    def __init__(self,
                 latent_dim: int = 100,
                 out_channels: int = 3,
                 img_size: int = 32,
                 seed_channels: int = 128,
                 hidden_channels: Sequence[int] = (128, 64),
                 hidden_bn_eps: float = 1e-5,
                 conv_bias: bool = True,
                 output: str = 'bn',
                 out_bn_affine: bool = True,
                 mean: Optional[Sequence[float]] = None,
                 std: Optional[Sequence[float]] = None,
                 channels_last: bool = True,
                 init_cfg=None) -> None:
        super().__init__(init_cfg=init_cfg)
        name = type(self).__name__
        if img_size % 4 != 0:
            raise ValueError(f'{name} upsamples twice by 2, so `img_size` '
                             f'must be divisible by 4, but got {img_size}.')
        if len(hidden_channels) != 2:
            raise ValueError('`hidden_channels` must hold the widths of the '
                             f'two upsampling blocks, but got '
                             f'{hidden_channels}.')
        if output not in OUTPUTS:
            raise ValueError(f'`output` must be one of {OUTPUTS}, but got '
                             f'{output!r}.')
        self.latent_dim = latent_dim
        self.out_channels = out_channels
        self.img_size = img_size
        self.seed_size = img_size // 4
        self.seed_channels = seed_channels
        self.output = output
        self.memory_format = (
            torch.channels_last if channels_last else torch.contiguous_format)
        mid, last = hidden_channels
        self.project = nn.Linear(latent_dim, seed_channels * self.seed_size**2)
        self.seed_bn = nn.BatchNorm2d(seed_channels)
        layers = [
            self._upsample_block(seed_channels, mid, hidden_bn_eps, conv_bias),
            self._upsample_block(mid, last, hidden_bn_eps, conv_bias),
            nn.Conv2d(last, out_channels, 3, padding=1),
        ]
        if output == 'bn':
            layers.append(nn.BatchNorm2d(out_channels, affine=out_bn_affine))
        elif output == 'tanh_bn':
            layers += [nn.Tanh(), nn.BatchNorm2d(out_channels, affine=False)]
        else:  # sigmoid, pixels
            layers.append(nn.Sigmoid())
        self.blocks = nn.Sequential(*layers)
        if output == 'sigmoid':
            self._set_normalization(mean, std)

    def _set_normalization(self, mean, std) -> None:
        if mean is None or std is None:
            raise ValueError(
                f'{type(self).__name__} with output="sigmoid" makes pixels in '
                '[0, 1] and needs the teacher\'s `mean` and `std` (0..255 '
                'scale, as in its data_preprocessor) to normalise them; set '
                'the generator\'s `mean` and `std`, or the config\'s '
                '`data_preprocessor`.')
        channels = self.out_channels
        if len(mean) != channels or len(std) != channels:
            raise ValueError(f'`mean` and `std` must have {channels} values '
                             f'(one per channel), but got {list(mean)} and '
                             f'{list(std)}.')
        # x_normalised = (255 x - mean) / std = x * scale + shift
        scale = torch.tensor([255. / s for s in std]).view(1, -1, 1, 1)
        shift = torch.tensor([-m / s
                              for m, s in zip(mean, std)]).view(1, -1, 1, 1)
        self.register_buffer('scale', scale, persistent=False)
        self.register_buffer('shift', shift, persistent=False)

    @staticmethod
    def _upsample_block(in_channels: int, out_channels: int, eps: float,
                        bias: bool) -> nn.Sequential:
        return nn.Sequential(
            nn.Upsample(scale_factor=2),
            nn.Conv2d(in_channels, out_channels, 3, padding=1, bias=bias),
            nn.BatchNorm2d(out_channels, eps=eps),
            nn.LeakyReLU(0.2, inplace=True),
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        """Map noise of shape (N, latent_dim) to images (N, C, H, W) in the
        teacher's normalised input space."""
        seed = self.project(z).view(-1, self.seed_channels, self.seed_size,
                                    self.seed_size)
        seed = seed.contiguous(memory_format=self.memory_format)
        images = self.blocks(self.seed_bn(seed))
        if self.output == 'sigmoid':
            images = torch.addcmul(self.shift, images, self.scale)
        return images
