# Copyright (c) mmrazor_zs contributors. All rights reserved.
from typing import Optional, Tuple

import torch
import torch.nn as nn
from mmcv.cnn import build_activation_layer, build_norm_layer
from mmengine.model import BaseModule, ModuleList
from mmpretrain.models.heads import StackedLinearClsHead
from mmpretrain.models.heads.stacked_head import LinearBlock

from mmrazor_zs.registry import MODELS


class _FCActDropNormBlock(BaseModule):
    """A hidden layer of ZSKD's AlexNet: fc, activation, dropout, then
    normalisation (mmpretrain's ``LinearBlock`` puts the norm before the
    activation).

    Same attribute names as ``LinearBlock``, so the state-dict keys match
    ``StackedLinearClsHead``'s.
    """

    def __init__(self,
                 in_channels: int,
                 out_channels: int,
                 dropout_rate: float = 0.,
                 norm_cfg: Optional[dict] = None,
                 act_cfg: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        self.fc = nn.Linear(in_channels, out_channels)
        self.act = build_activation_layer(act_cfg) if act_cfg else None
        self.dropout = nn.Dropout(dropout_rate) if dropout_rate > 0 else None
        self.norm = build_norm_layer(norm_cfg, out_channels)[1] \
            if norm_cfg else None

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """fc, then the activation, dropout and normalisation configured.

        Args:
            x (Tensor): The features (N, in_channels).

        Returns:
            Tensor: The hidden features (N, out_channels).
        """
        x = self.fc(x)
        for layer in (self.act, self.dropout, self.norm):
            if layer is not None:
                x = layer(x)
        return x


@MODELS.register_module()
class AlexNetCIFARClsHead(StackedLinearClsHead):
    """:class:`~mmpretrain.models.heads.StackedLinearClsHead` with the
    hidden-layer order of ZSKD's AlexNet, flattening its input.

    mmpretrain's head runs each hidden layer as ``fc -> norm -> act ->
    dropout``; the CIFAR-10 AlexNet of Nayak et al. (ICML 2019, released
    TensorFlow code) runs ``fc -> ReLU -> dropout -> BN``. This head keeps
    every argument, layer and parameter name of ``StackedLinearClsHead`` and
    only changes that order. It also flattens the last backbone output
    (``N x C x H x W -> N x CHW``), as AlexNet does before its first fc, so
    the classifier needs no neck (global average pooling would be wrong).

    Args:
        See :class:`~mmpretrain.models.heads.StackedLinearClsHead`.
        ``in_channels`` is the flattened size, e.g. 128 * 3 * 3 = 1152 for
        the teacher on 32 x 32 inputs.
    """

    def _init_layers(self) -> None:
        """Build the hidden layers in ZSKD's order and the final linear layer,
        under the names of ``StackedLinearClsHead``."""
        self.layers = ModuleList()
        in_channels = self.in_channels
        for hidden_channels in self.mid_channels:
            self.layers.append(
                _FCActDropNormBlock(
                    in_channels,
                    hidden_channels,
                    dropout_rate=self.dropout_rate,
                    norm_cfg=self.norm_cfg,
                    act_cfg=self.act_cfg))
            in_channels = hidden_channels
        self.layers.append(
            LinearBlock(in_channels, self.num_classes, act_cfg=None))

    def pre_logits(self, feats: Tuple[torch.Tensor, ...]) -> torch.Tensor:
        """Flatten the last backbone output and run the hidden layers.

        Args:
            feats (tuple[Tensor]): The backbone outputs; only the last is
                used.

        Returns:
            Tensor: The features before the final linear layer.

        Raises:
            ValueError: If the flattened size is not ``in_channels``.
        """
        x = feats[-1].flatten(1)
        if x.shape[1] != self.in_channels:
            raise ValueError(
                f'{type(self).__name__} got {x.shape[1]} features after '
                f'flattening {tuple(feats[-1].shape[1:])}, but '
                f'`in_channels` is {self.in_channels} (channels x height x '
                'width of the last backbone output).')
        for layer in self.layers[:-1]:
            x = layer(x)
        return x
