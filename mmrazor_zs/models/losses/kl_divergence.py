# Copyright (c) mmrazor_zs contributors. All rights reserved.
import torch
import torch.nn as nn
import torch.nn.functional as F

from mmrazor_zs.registry import MODELS
from mmrazor_zs.utils import check_choice

REDUCTIONS = ('mean', 'batchmean')


@MODELS.register_module()
class KLDivergence(nn.Module):
    """KL(teacher || student) between temperature-softened class beliefs.

    ``KL(p_t || p_s) = sum_k p_t[k] * (log p_t[k] - log p_s[k])`` with
    ``p = softmax(logits / tau)``. Used by ZSKT (Micaelli & Storkey,
    `Zero-shot Knowledge Transfer via Adversarial Belief Matching
    <https://arxiv.org/abs/1905.09768>`_, NeurIPS 2019) for both the student
    (minimised) and the generator (maximised, with a negative weight).

    Args:
        tau (float): Temperature applied to both logits. Defaults to 1.0.
        reduction (str): ``'mean'`` averages over batch x classes elements,
            as the released ZSKT code does (PyTorch's old default);
            ``'batchmean'`` sums over classes and averages over the batch,
            the mathematically standard KL. Defaults to ``'mean'``.
        loss_weight (float): Multiplier of the loss. Defaults to 1.0.
    """

    inputs = ('student_logits', 'teacher_logits')

    def __init__(self,
                 tau: float = 1.0,
                 reduction: str = 'mean',
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        check_choice('reduction', reduction, REDUCTIONS, type(self).__name__)
        if tau <= 0:
            raise ValueError(f'`tau` must be positive, but got {tau}.')
        self.tau = tau
        self.reduction = reduction
        self.loss_weight = loss_weight

    def forward(self, student_logits: torch.Tensor,
                teacher_logits: torch.Tensor) -> torch.Tensor:
        """Return ``loss_weight * KL(teacher || student)``.

        Logits are computed in float32 so that the loss is stable under
        mixed precision.
        """
        log_p_student = F.log_softmax(self.soften(student_logits), dim=1)
        log_p_teacher = F.log_softmax(self.soften(teacher_logits), dim=1)
        pointwise = log_p_teacher.exp() * (log_p_teacher - log_p_student)
        if self.reduction == 'mean':
            loss = pointwise.mean()
        else:
            loss = pointwise.sum() / pointwise.shape[0]
        return self.loss_weight * loss

    def soften(self, logits: torch.Tensor) -> torch.Tensor:
        """Float32 logits over ``tau``; at ``tau=1`` the logits themselves (no
        division and no backward node for it in every step)."""
        logits = logits.float()
        return logits if self.tau == 1 else logits / self.tau
