# Copyright (c) mmrazor_zs contributors. All rights reserved.
from typing import Dict, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.model import BaseModule

from mmrazor_zs.registry import MODELS

#: Output channels of the 3x3 convolutions of each of the five blocks, by
#: depth (convolutions + 3, as VGG counts its three fully connected layers):
#: the ``cfg`` table of the zoo's ``vgg.py`` ('S', 'A', 'B', 'D', 'E').
VGG_CIFAR_WIDTHS: Dict[int, Tuple[Tuple[int, ...], ...]] = {
    8: ((64, ), (128, ), (256, ), (512, ), (512, )),
    11: ((64, ), (128, ), (256, 256), (512, 512), (512, 512)),
    13: ((64, 64), (128, 128), (256, 256), (512, 512), (512, 512)),
    16:
    ((64, 64), (128, 128), (256, 256, 256), (512, 512, 512), (512, 512, 512)),
    19: ((64, 64), (128, 128), (256, 256, 256, 256), (512, 512, 512, 512),
         (512, 512, 512, 512)),
}


def _vgg_block(widths: Sequence[int], in_channels: int) -> nn.Sequential:
    """``conv3x3(bias)-BN-ReLU`` per width, the last ReLU left out (the network
    applies it after the block), so that the parameters sit at the zoo's
    indices 0, 1, 3, 4, 6, 7, ..."""
    layers = []
    for width in widths:
        layers += [
            nn.Conv2d(in_channels, width, 3, padding=1),
            nn.BatchNorm2d(width),
            nn.ReLU(inplace=True)
        ]
        in_channels = width
    return nn.Sequential(*layers[:-1])


@MODELS.register_module()
class VGGCIFAR(BaseModule):
    """VGG with batch norm for 32 x 32 inputs, as the zju-vipa data-free zoo
    builds its ``vgg8`` / ``vgg11`` / ``vgg13`` teachers.

    Simonyan & Zisserman, `Very Deep Convolutional Networks for Large-Scale
    Image Recognition <https://arxiv.org/abs/1409.1556>`_, ICLR 2015, in
    the CIFAR form of RepDistiller's ``models/vgg.py`` that zju-vipa/DataFree
    9e79fa9 (= zju-vipa/CMI) and zju-vipa/Fast-Datafree 0dcecbc ship as
    ``datafree/models/classifiers/vgg.py`` (their ``registry.py`` maps
    ``vgg8``, ``vgg11``, ``vgg13`` to the batch-norm variants). Five blocks
    ``block0`` .. ``block4`` of ``conv3x3(bias)-BN-ReLU`` layers (the
    table :data:`VGG_CIFAR_WIDTHS`), each followed by a ReLU; a 2 x 2 max
    pool after blocks 0, 1 and 2, and after block 3 only for 64-pixel-high
    inputs (the zoo's ``if h == 64``), so a 32 x 32 image leaves block 4 as
    a 512 x 2 x 2 map. The classifier of the zoo (global average pooling
    and one linear layer) is mmpretrain's ``GlobalAveragePooling`` neck and
    ``LinearClsHead``. The module names and layer indices are the zoo's, so
    its weights load under ``backbone.`` (see
    ``tools/model_converters/zju_vipa_to_mmpretrain.py``).

    Output index ``i`` in ``out_indices`` is the output of ``block{i}``
    after its ReLU, before the pool that follows it.

    Args:
        depth (int): 8, 11, 13, 16 or 19. Defaults to 11.
        in_channels (int): Input channels. Defaults to 3.
        out_indices (Sequence[int]): Blocks whose outputs are returned.
            Defaults to (4, ).
        init_cfg (dict or list[dict], optional): Initialisation config.
            Defaults to the zoo's ``_initialize_weights``: convolutions
            from ``Normal(0, sqrt(2 / (9 * out_channels)))`` (Kaiming,
            fan-out) with zero bias, BN weight 1 and bias 0.
    """

    num_blocks = 5

    def __init__(
        self,
        depth: int = 11,
        in_channels: int = 3,
        out_indices: Sequence[int] = (4, ),
        init_cfg: Optional[Union[dict,
                                 Sequence[dict]]] = (dict(
                                     type='Kaiming',
                                     layer='Conv2d',
                                     mode='fan_out',
                                     nonlinearity='relu'),
                                                     dict(
                                                         type='Constant',
                                                         val=1,
                                                         layer=['BatchNorm2d'
                                                                ]))
    ) -> None:
        super().__init__(
            init_cfg=list(init_cfg) if isinstance(init_cfg, (
                list, tuple)) else init_cfg)
        if depth not in VGG_CIFAR_WIDTHS:
            raise ValueError('VGGCIFAR `depth` must be one of '
                             f'{sorted(VGG_CIFAR_WIDTHS)}, but got {depth}.')
        if isinstance(out_indices, int):
            out_indices = (out_indices, )
        if not out_indices or any(not 0 <= index < self.num_blocks
                                  for index in out_indices):
            raise ValueError('`out_indices` of VGGCIFAR must be a non-empty '
                             'sequence of block indices in [0, 4], but got '
                             f'{out_indices}.')
        self.depth = depth
        self.out_indices = tuple(out_indices)
        for index, widths in enumerate(VGG_CIFAR_WIDTHS[depth]):
            self.add_module(f'block{index}', _vgg_block(widths, in_channels))
            in_channels = widths[-1]
        self.out_channels = in_channels

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """Run the five blocks with the zoo's ReLUs and pools.

        Args:
            x (Tensor): The input images (N, in_channels, H, W).

        Returns:
            tuple[Tensor]: The outputs of the blocks in ``out_indices``, in
            block order.
        """
        pool_after = (True, True, True, x.shape[2] == 64, False)
        outs = []
        for index in range(self.num_blocks):
            x = F.relu(getattr(self, f'block{index}')(x))
            if index in self.out_indices:
                outs.append(x)
            if pool_after[index]:
                x = F.max_pool2d(x, kernel_size=2, stride=2)
        return tuple(outs)
