# Copyright (c) mmrazor_zs contributors. All rights reserved.
from typing import Optional, Sequence

import torch
import torch.nn as nn
from mmengine.model import BaseModule

from mmrazor_zs.registry import MODELS
from mmrazor_zs.utils import PixelSpace, check_choice

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
              then normalised by ``pixel_space`` (the zju-vipa zoo's
              ``normalizer``);
            - ``'pixels'``: ``sigmoid`` pixels in [0, 1], not normalised
              (for the inversion synthesizers, which augment the pixels
              before they normalise them, as CMI and Fast do).

            Defaults to 'bn'.
        out_bn_affine (bool): Whether the final BN of ``output='bn'`` has
            learnable affine parameters. Defaults to True.
        pixel_space (PixelSpace, optional): The teacher's pixel space, which
            normalises the pixels of ``output='sigmoid'`` (and only those);
            the algorithm passes it. Defaults to None.
        channels_last (bool): Run the convolutions on channels-last
            activations (the values are the same up to float rounding; on
            the CPU a whole ZSKT digits iteration took 289 instead of
            423 ms, tools/analysis_tools/benchmark_generator.py).
            Defaults to True.
        init_cfg (dict, optional): Initialisation config. Defaults to None.

    Raises:
        ValueError: If ``img_size`` is not divisible by 4, ``hidden_channels``
            does not hold two widths, ``output`` is unknown, or
            ``output='sigmoid'`` comes without a ``pixel_space`` of
            ``out_channels`` channels.
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
                 pixel_space: Optional[PixelSpace] = None,
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
        check_choice('output', output, OUTPUTS, name)
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
        self.pixel_space = self._checked_pixel_space(pixel_space)

    def _checked_pixel_space(
            self, pixel_space: Optional[PixelSpace]) -> Optional[PixelSpace]:
        if self.output != 'sigmoid':
            return None
        if pixel_space is None:
            raise ValueError(
                f'{type(self).__name__} with output="sigmoid" makes pixels in '
                '[0, 1] and needs the teacher\'s `pixel_space` to normalise '
                'them; build it through an algorithm (which passes the '
                'teacher\'s, from the config\'s `data_preprocessor`), or pass '
                '`pixel_space=PixelSpace(mean, std)`.')
        if pixel_space.channels != self.out_channels:
            raise ValueError(
                f'`pixel_space` of {type(self).__name__} must have '
                f'{self.out_channels} channels (`out_channels`), but got '
                f'{pixel_space.channels}: {pixel_space.extra_repr()}.')
        return pixel_space

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
        if self.pixel_space is not None:
            images = self.pixel_space.normalize(images)
        return images
