# Copyright (c) mmrazor_zs contributors. All rights reserved.
import torch
import torch.nn as nn
import torch.nn.functional as F

from mmrazor_zs.registry import MODELS


def attention_map(feature: torch.Tensor) -> torch.Tensor:
    """Spatial attention of a feature map: the L2-normalised, flattened mean.

    over channels of the squared activations, shape (N, H * W).
    """
    return F.normalize(feature.float().pow(2).mean(1).flatten(1), dim=1)


@MODELS.register_module()
class AttentionTransferLoss(nn.Module):
    """Attention transfer between one student and one teacher feature map.

    Zagoruyko & Komodakis, `Paying More Attention to Attention
    <https://arxiv.org/abs/1612.03928>`_, ICLR 2017, in the form used by ZSKT:
    ``mean((attention_map(s) - attention_map(t)) ** 2)`` where the mean runs
    over batch and spatial positions. Both maps must share their spatial size.

    Args:
        loss_weight (float): Multiplier of the loss (ZSKT's beta, 250 in the
            paper). Defaults to 1.0.
    """

    def __init__(self, loss_weight: float = 1.0) -> None:
        super().__init__()
        self.loss_weight = loss_weight

    def forward(self, student_feature: torch.Tensor,
                teacher_feature: torch.Tensor) -> torch.Tensor:
        if student_feature.shape[-2:] != teacher_feature.shape[-2:]:
            raise ValueError(
                'Attention transfer needs feature maps of the same spatial '
                f'size, but got student {tuple(student_feature.shape)} and '
                f'teacher {tuple(teacher_feature.shape)}.')
        diff = attention_map(student_feature) - attention_map(teacher_feature)
        return self.loss_weight * diff.pow(2).mean()
