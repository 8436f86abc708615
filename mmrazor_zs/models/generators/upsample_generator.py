# Copyright (c) mmrazor_zs contributors. All rights reserved.
from typing import Sequence

import torch
import torch.nn as nn
from mmengine.model import BaseModule

from mmrazor_zs.registry import MODELS


@MODELS.register_module()
class ZSKTGenerator(BaseModule):
    """The generator of ZSKT (Micaelli & Storkey, `Zero-shot Knowledge
    Transfer via Adversarial Belief Matching
    <https://arxiv.org/abs/1905.09768>`_, NeurIPS 2019).

    ``Linear(latent_dim -> c0 * s * s) -> BN(c0)`` followed by two
    ``[Upsample x2, Conv3x3, BN, LeakyReLU(0.2)]`` blocks with
    ``hidden_channels = (c1, c2)``, then ``Conv3x3(c2 -> out_channels)`` and a
    final ``BatchNorm2d(out_channels)`` with learnable affine parameters,
    where ``s = img_size // 4``. There is no tanh: images live in the
    teacher's normalised input space. With the defaults and ``img_size=32``
    this is the released code's generator at its newest commit (128 x 8 x 8
    seed, 128 and 64 channels).

    Args:
        latent_dim (int): Size of the noise vector z. Defaults to 100.
        out_channels (int): Channels of the generated images; the algorithm
            sets it from the teacher's input. Defaults to 3.
        img_size (int): Height and width of the generated images, divisible
            by 4; the algorithm sets it from the teacher's input.
            Defaults to 32.
        seed_channels (int): Channels of the first feature map. Defaults to
            128.
        hidden_channels (Sequence[int]): Output channels of the two
            upsampling blocks. Defaults to (128, 64).
        out_bn_affine (bool): Whether the final BN has learnable affine
            parameters. The released code at its newest commit
            (polo5/ZeroShotKnowledgeTransfer e24915d, models/generator.py)
            uses ``BatchNorm2d(3, affine=True)``, as does MMRazor; False is
            the repository's first commit, whose numbers (arXiv v1/v2) the
            authors' README says were lower because batch norm was not
            trained properly. Defaults to True.
        channels_last (bool): Run the convolutions on channels-last
            activations. The values are the same up to float rounding; on
            the CPU (mkldnn) a whole ZSKT iteration of the digits config
            took 289 ms instead of 423 ms (tools/analysis_tools/
            benchmark_zskt.py on that config, with and without
            ``--cfg-options model.generator.channels_last=False``).
            Defaults to True.
        init_cfg (dict, optional): Initialisation config. Defaults to None.
    """

    def __init__(self,
                 latent_dim: int = 100,
                 out_channels: int = 3,
                 img_size: int = 32,
                 seed_channels: int = 128,
                 hidden_channels: Sequence[int] = (128, 64),
                 out_bn_affine: bool = True,
                 channels_last: bool = True,
                 init_cfg=None) -> None:
        super().__init__(init_cfg=init_cfg)
        if img_size % 4 != 0:
            raise ValueError('ZSKTGenerator upsamples twice by 2, so '
                             f'`img_size` must be divisible by 4, but got '
                             f'{img_size}.')
        if len(hidden_channels) != 2:
            raise ValueError('`hidden_channels` must hold the widths of the '
                             f'two upsampling blocks, but got '
                             f'{hidden_channels}.')
        self.latent_dim = latent_dim
        self.out_channels = out_channels
        self.img_size = img_size
        self.seed_size = img_size // 4
        self.seed_channels = seed_channels
        self.memory_format = (
            torch.channels_last if channels_last else torch.contiguous_format)
        mid, last = hidden_channels
        self.project = nn.Linear(latent_dim,
                                 seed_channels * self.seed_size**2)
        self.seed_bn = nn.BatchNorm2d(seed_channels)
        self.blocks = nn.Sequential(
            self._upsample_block(seed_channels, mid),
            self._upsample_block(mid, last),
            nn.Conv2d(last, out_channels, 3, padding=1),
            nn.BatchNorm2d(out_channels, affine=out_bn_affine),
        )

    @staticmethod
    def _upsample_block(in_channels: int, out_channels: int) -> nn.Sequential:
        return nn.Sequential(
            nn.Upsample(scale_factor=2),
            nn.Conv2d(in_channels, out_channels, 3, padding=1),
            nn.BatchNorm2d(out_channels),
            nn.LeakyReLU(0.2, inplace=True),
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        """Map noise of shape (N, latent_dim) to images (N, C, H, W)."""
        seed = self.project(z).view(-1, self.seed_channels, self.seed_size,
                                    self.seed_size)
        seed = seed.contiguous(memory_format=self.memory_format)
        return self.blocks(self.seed_bn(seed))
