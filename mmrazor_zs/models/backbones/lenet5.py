# Copyright (c) mmrazor_zs contributors. All rights reserved.
from typing import List, Optional, Sequence

import torch.nn as nn

from mmrazor_zs.registry import MODELS
from .staged import StagedBackbone


@MODELS.register_module()
class LeNet5Backbone(StagedBackbone):
    """The convolutional part of LeNet-5 with configurable widths.

    LeCun et al., `Gradient-based learning applied to document recognition
    <https://doi.org/10.1109/5.726791>`_, 1998. Three stages on a 32 x 32
    input: ``conv5x5-tanh-avgpool``, ``conv5x5-tanh-avgpool``,
    ``conv5x5-tanh`` (the last gives a 1 x 1 map). With
    ``widths=(6, 16, 120)`` and a head ``120 -> 84 -> classes`` this is the
    61,706-parameter LeNet-5 teacher of ZSKD (Nayak et al., ICML 2019);
    ``widths=(3, 8, 120)`` gives their 35,820-parameter LeNet-5-half.

    Args:
        widths (Sequence[int]): Output channels of the three stages.
            Defaults to (6, 16, 120).
        in_channels (int): Input channels. Defaults to 1.
        out_indices (Sequence[int]): Stages whose outputs are returned, as in
            mmpretrain backbones. Defaults to (2, ).
        batch_norm (bool): Put a ``BatchNorm2d`` between each convolution
            and its tanh (ours, for the methods that read a teacher's
            batch-norm statistics, e.g. DFQ). Defaults to False.
        init_cfg (dict, optional): Initialisation config. Defaults to None.
    """

    def __init__(self,
                 widths: Sequence[int] = (6, 16, 120),
                 in_channels: int = 1,
                 out_indices: Sequence[int] = (2, ),
                 batch_norm: bool = False,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        if len(widths) != 3:
            raise ValueError(f'`widths` must list 3 stage widths, but got '
                             f'{widths}.')
        for index in out_indices:
            if not 0 <= index < 3:
                raise ValueError('`out_indices` of LeNet5Backbone must be in '
                                 f'[0, 2], but got {out_indices}.')
        self.out_indices = tuple(out_indices)
        c1, c2, c3 = widths

        def conv(cin: int, cout: int) -> List[nn.Module]:
            layers: List[nn.Module] = [nn.Conv2d(cin, cout, 5)]
            if batch_norm:
                layers.append(nn.BatchNorm2d(cout))
            return layers + [nn.Tanh()]

        self.stages = nn.ModuleList([
            nn.Sequential(*conv(in_channels, c1), nn.AvgPool2d(2)),
            nn.Sequential(*conv(c1, c2), nn.AvgPool2d(2)),
            nn.Sequential(*conv(c2, c3)),
        ])
