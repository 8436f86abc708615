# Copyright (c) mmrazor_zs contributors. All rights reserved.
from typing import Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule

from mmrazor_zs.registry import MODELS


class PreActBasicBlock(nn.Module):
    """``BN-ReLU-conv3x3-BN-ReLU-(dropout)-conv3x3`` with a 1x1 projection
    shortcut when the shape changes, as in the original WRN code."""

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 stride: int,
                 drop_rate: float = 0.0) -> None:
        super().__init__()
        self.bn1 = nn.BatchNorm2d(in_channels)
        self.conv1 = nn.Conv2d(
            in_channels, out_channels, 3, stride, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_channels)
        self.conv2 = nn.Conv2d(
            out_channels, out_channels, 3, 1, padding=1, bias=False)
        self.drop_rate = drop_rate
        self.shortcut = None
        if in_channels != out_channels or stride != 1:
            self.shortcut = nn.Conv2d(
                in_channels, out_channels, 1, stride, bias=False)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """The block's output: the residual branch added to the shortcut.

        Args:
            x (Tensor): The input map (N, in_channels, H, W).

        Returns:
            Tensor: The output map (N, out_channels, H / stride,
            W / stride).
        """
        pre = F.relu(self.bn1(x))
        identity = x if self.shortcut is None else self.shortcut(pre)
        out = self.conv1(pre)
        out = F.relu(self.bn2(out))
        if self.drop_rate > 0:
            out = F.dropout(out, p=self.drop_rate, training=self.training)
        return identity + self.conv2(out)


@MODELS.register_module()
class WideResNetCIFAR(BaseModule):
    """Wide ResNet for 32 x 32 inputs (WRN-depth-k).

    Zagoruyko & Komodakis, `Wide Residual Networks
    <https://arxiv.org/abs/1605.07146>`_, BMVC 2016; the teachers and
    students of ZSKT's Table 1. ``depth = 6n + 4``: a 3x3 stem with 16
    channels, three groups of n pre-activation blocks with ``16k, 32k, 64k``
    channels (strides 1, 2, 2), then BN-ReLU.

    Output index ``i`` in ``out_indices`` is the output of ``group{i+1}``
    for ``i`` in 0..2 (the maps ZSKT's attention transfer uses; also
    reachable as the module paths ``backbone.group1`` .. ``backbone.group3``)
    and index 3 is the final BN-ReLU map that the classifier pools.

    Args:
        depth (int): Network depth, ``6n + 4``. Defaults to 16.
        widen_factor (int): Width multiplier k. Defaults to 1.
        drop_rate (float): Dropout inside the blocks. Defaults to 0.
        in_channels (int): Input channels. Defaults to 3.
        out_indices (Sequence[int]): Outputs to return. Defaults to (3, ).
        init_cfg (dict or list[dict], optional): Initialisation config.
            Defaults to Kaiming for convolutions and constant for BN.
    """

    def __init__(
        self,
        depth: int = 16,
        widen_factor: int = 1,
        drop_rate: float = 0.0,
        in_channels: int = 3,
        out_indices: Sequence[int] = (3, ),
        init_cfg=(dict(
            type='Kaiming',
            layer='Conv2d',
            mode='fan_out',
            nonlinearity='relu'),
                  dict(type='Constant', val=1, layer=['BatchNorm2d']))
    ) -> None:
        super().__init__(init_cfg=list(init_cfg) if init_cfg else None)
        if depth < 10 or (depth - 4) % 6 != 0:
            raise ValueError('WideResNetCIFAR `depth` must be 6n + 4 with '
                             f'n >= 1 (10, 16, 22, 28, 40, ...), but got '
                             f'{depth}.')
        for index in out_indices:
            if not 0 <= index <= 3:
                raise ValueError('`out_indices` of WideResNetCIFAR must be '
                                 f'in [0, 3], but got {out_indices}.')
        self.depth = depth
        self.widen_factor = widen_factor
        self.out_indices = tuple(out_indices)
        num_blocks = (depth - 4) // 6
        widths = [16 * widen_factor, 32 * widen_factor, 64 * widen_factor]
        self.stem = nn.Conv2d(in_channels, 16, 3, padding=1, bias=False)
        in_ch = 16
        for group, (width, stride) in enumerate(zip(widths, (1, 2, 2))):
            blocks = []
            for block in range(num_blocks):
                blocks.append(
                    PreActBasicBlock(in_ch, width, stride if block == 0 else 1,
                                     drop_rate))
                in_ch = width
            self.add_module(f'group{group + 1}', nn.Sequential(*blocks))
        self.final_bn = nn.BatchNorm2d(in_ch)
        self.out_channels = in_ch

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """Run the stem and the three groups.

        Args:
            x (Tensor): The input images (N, in_channels, 32, 32).

        Returns:
            tuple[Tensor]: The outputs in ``out_indices``, in order: the
            groups' outputs, then the final BN-ReLU map for index 3.
        """
        outs = []
        x = self.stem(x)
        for index, group in enumerate((self.group1, self.group2, self.group3)):
            x = group(x)
            if index in self.out_indices:
                outs.append(x)
        if 3 in self.out_indices:
            outs.append(F.relu(self.final_bn(x)))
        return tuple(outs)
