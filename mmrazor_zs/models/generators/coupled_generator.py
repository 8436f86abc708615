# Copyright (c) mmrazor_zs contributors. All rights reserved.
from typing import List, Sequence, Tuple, Union, cast

import torch
import torch.nn as nn

from mmrazor_zs.registry import MODELS
from ..utils.network_runtime import layout_of
from .noisy_layer_generator import NoisyLabelCodes


def _stage(in_channels: int, out_channels: int, size: int,
           last: bool) -> nn.Sequential:
    """One upsampling stage of the coupled generator: nearest upsampling to
    ``size``, a 3 x 3 convolution, then BN + LeakyReLU(0.2), or, for the last
    stage, a biased convolution and a sigmoid."""
    return nn.Sequential(
        nn.Upsample(size=size),
        nn.Conv2d(in_channels, out_channels, 3, padding=1, bias=last),
        nn.Identity() if last else nn.BatchNorm2d(out_channels),
        nn.Sigmoid() if last else nn.LeakyReLU(0.2))


@MODELS.register_module()
class CoupledGenerator(NoisyLabelCodes):
    """CPNet's generator: NAYER's noisy-layer codes, then one stage per teacher
    stage, run backwards.

    CPNet (ICCV 2025, "Coupling the Generator with Teacher for Effective
    Data-Free Knowledge Distillation"), LannCX/CPNet 3f3d397,
    ``datafree/models/generator.py`` ``CoupledGenerator`` (lines 285-355)
    and ``get_cfg`` (lines 16-44). ``stage_shapes`` lists the (channels,
    size) of the inputs of the teacher's chosen batch-norm layers, deepest
    first. The codes of :class:`NoisyLabelCodes` go through ``Linear(noise_dim
    -> c_0 * s_0 * s_0)`` and ``BatchNorm2d(c_0)`` into a map shaped like the
    deepest one; stage ``i`` upsamples it to the next shape (a
    ``[Upsample, Conv3x3, BN, LeakyReLU(0.2)]`` block), and the last stage
    makes the image (``[Upsample, Conv3x3 + bias, Sigmoid]``). The map fed
    to each stage is the generator's guess of the teacher's activation at
    the matching layer (:meth:`forward_stages`), which CPNet's coupling loss
    pulls towards it.

    The code upsamples by the integer factor ``size_next // size``; here
    each stage upsamples to the next size, which is the same map when the
    sizes divide (nearest upsampling) and the right size when they do not
    (LeNet-5's 1 -> 10 -> 28 -> 32, where the code's factors make 20 x 20
    images).

    Args:
        label_embeddings (str | dict): See :class:`NoisyLabelCodes`.
        num_classes (int): See :class:`NoisyLabelCodes`.
        batch_size (int): See :class:`NoisyLabelCodes`.
        stage_shapes (Sequence[Sequence[int]]): (channels, size) of each
            coupled teacher layer's input, deepest first (the synthesizer
            measures them on the teacher).
        noise_dim (int): The codes' size (the code's ``le_emb_size``).
            Defaults to 1000.
        out_channels (int): Image channels. Defaults to 3.
        img_size (int): Image height and width. Defaults to 32.
        init_cfg (dict, optional): Initialisation config. Defaults to None.

    Raises:
        ValueError: If ``stage_shapes`` is empty or its sizes shrink on the
            way to the image.
    """

    def __init__(self,
                 label_embeddings: Union[str, dict],
                 num_classes: int,
                 batch_size: int,
                 stage_shapes: Sequence[Sequence[int]],
                 noise_dim: int = 1000,
                 out_channels: int = 3,
                 img_size: int = 32,
                 init_cfg=None) -> None:
        super().__init__(label_embeddings, num_classes, batch_size, noise_dim,
                         init_cfg)
        shapes: List[Tuple[int,
                           int]] = [(int(c), int(s)) for c, s in stage_shapes]
        sizes = [size for _, size in shapes] + [img_size]
        if not shapes or any(a > b for a, b in zip(sizes, sizes[1:])):
            raise ValueError(
                'CoupledGenerator needs the coupled layers\' shapes deepest '
                f'first, their sizes growing to the image ({img_size}), but '
                f'got `stage_shapes={shapes}`; list the batch-norm layers '
                'from the deepest to the shallowest.')
        self.stage_shapes = shapes
        seed_channels, seed_size = shapes[0]
        self.seed = nn.Linear(noise_dim, seed_channels * seed_size**2)
        self.seed_norm = nn.BatchNorm2d(seed_channels)
        outputs = shapes[1:] + [(out_channels, img_size)]
        self.stages = nn.ModuleList(
            _stage(cin, cout, size, last=index == len(shapes) - 1)
            for index, ((cin, _), (cout,
                                   size)) in enumerate(zip(shapes, outputs)))

    def forward_stages(
            self,
            labels: torch.Tensor) -> Tuple[torch.Tensor, List[torch.Tensor]]:
        """Images in [0, 1] for ``labels``, and the map fed to each stage
        (deepest first, shaped as ``stage_shapes``)."""
        codes = self.codes(labels)
        channels, size = self.stage_shapes[0]
        x = self.seed(codes).view(-1, channels, size, size)
        # the seed map in the layout of the convolutions (channels-last when
        # the model's `runtime` asks for it)
        first_conv = cast(nn.Sequential, self.stages[0])[1]
        x = self.seed_norm(
            x.contiguous(memory_format=layout_of(cast(nn.Conv2d, first_conv))))
        maps = []
        for stage in self.stages:
            maps.append(x)
            x = stage(x)
        return x, maps

    def forward(self, labels: torch.Tensor) -> torch.Tensor:
        """Images in [0, 1] for ``labels``."""
        return self.forward_stages(labels)[0]
