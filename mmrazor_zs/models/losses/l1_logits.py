# Copyright (c) mmrazor_zs contributors. All rights reserved.
import torch
import torch.nn as nn

from mmrazor_zs.registry import MODELS


@MODELS.register_module()
class L1Logits(nn.Module):
    """Mean absolute difference of student and teacher logits,

    ``mean_{i,c} |s_ic - t_ic|``.

    DFAD's discrepancy (Fang et al., `Data-Free Adversarial Distillation
    <https://arxiv.org/abs/1912.11006>`_, Eq. 4; VainF/Data-Free-
    Adversarial-Distillation c161591, ``DFAD_cifar.py`` lines 23-46,
    ``F.l1_loss`` on logits): minimised by the student, maximised by the
    generator through a negative ``loss_weight``.

    Args:
        loss_weight (float): Multiplier. Defaults to 1.0.
    """

    inputs = ('student_logits', 'teacher_logits')

    def __init__(self, loss_weight: float = 1.0) -> None:
        super().__init__()
        self.loss_weight = loss_weight

    def forward(self, student_logits: torch.Tensor,
                teacher_logits: torch.Tensor) -> torch.Tensor:
        difference = student_logits.float() - teacher_logits.float()
        return self.loss_weight * difference.abs().mean()
