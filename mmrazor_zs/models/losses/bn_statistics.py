# Copyright (c) mmrazor_zs contributors. All rights reserved.
from typing import List, Sequence, Tuple

import torch
import torch.nn as nn

from mmrazor_zs.registry import MODELS

#: per BN layer: (batch mean, batch variance, running mean, running variance)
LayerStatistics = Tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]


@MODELS.register_module()
class BatchNormStatisticsLoss(nn.Module):
    """Distance between the statistics a batch produces at the input of each
    batch-norm layer of the teacher and the layer's running statistics:

    ``sum_l w_l (||sigma2_l - var_l||_2 + ||mu_l - mean_l||_2)``.

    The norms are unsquared, as in DeepInversion (Yin et al., `Dreaming to
    Distill <https://arxiv.org/abs/1912.08795>`_, CVPR 2020, Eq. 4) and the
    ``DeepInversionHook`` of the zju-vipa zoo (DataFree 9e79fa9,
    ``datafree/hooks.py``) that its DFQ uses; batch statistics come from
    :class:`~mmrazor_zs.models.utils.BatchNormStatistics` (biased variance
    over N, H, W, optionally blended with their moving average as Fast
    does).

    Args:
        first_layer_weight (float): Weight of the first BN layer, the others
            having 1: 10 in NVlabs' ImageNet DeepInversion. Defaults to 1.
        loss_weight (float): Multiplier. Defaults to 1.0.
    """

    inputs = ('teacher_bn_statistics', )

    def __init__(self,
                 first_layer_weight: float = 1.0,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        self.first_layer_weight = first_layer_weight
        self.loss_weight = loss_weight

    def forward(self, statistics: Sequence[LayerStatistics]) -> torch.Tensor:
        if not statistics:
            raise ValueError('BatchNormStatisticsLoss got no batch-norm '
                             'statistics: the teacher has no BatchNorm2d '
                             'layer, so this term cannot be used with it.')
        distances: List[torch.Tensor] = []
        for mean, var, running_mean, running_var in statistics:
            distances.append(
                torch.linalg.vector_norm(running_var - var) +
                torch.linalg.vector_norm(running_mean - mean))
        total = distances[0] * self.first_layer_weight + sum(distances[1:])
        return self.loss_weight * total
