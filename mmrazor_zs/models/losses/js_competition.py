# Copyright (c) mmrazor_zs contributors. All rights reserved.
import torch
import torch.nn as nn
import torch.nn.functional as F

from mmrazor_zs.registry import MODELS
from mmrazor_zs.utils import check_choice

FORMS = ('zju', 'nvlabs')


@MODELS.register_module()
class JensenShannonCompetition(nn.Module):
    """The Jensen-Shannon divergence of Adaptive DeepInversion's competition
    term, as both released codes compute it.

    Yin et al., `Dreaming to Distill
    <https://arxiv.org/abs/1912.08795>`_, CVPR 2020, Eq. 8.

    With ``P = softmax(s / tau)``, ``Q = softmax(t / tau)``,
    ``M = (P + Q) / 2``, all three clamped to [0.01, 0.99] after ``M`` is
    formed, the divergence is ``JS = KL(M || P) / 2 + KL(M || Q) / 2``
    (``F.kl_div(log P, M)``: the reverse of the textbook's ``KL(P || M)``),
    summed over classes and averaged over the batch.

    - ``form='zju'``: ``JS`` itself (zju-vipa/DataFree 9e79fa9,
      ``datafree/criterions.py`` ``jsdiv``; the synthesis maximises it with
      a negative ``loss_weight``);
    - ``form='nvlabs'``: ``1 - clamp(JS, 0, 1)``, minimised
      (NVlabs/DeepInversion 2413af1, ``cifar10/deepinversion_cifar10.py``
      lines 152-170).

    Args:
        tau (float): Temperature of both softmaxes. Defaults to 3.0 (both
            codes).
        form (str): 'zju' or 'nvlabs'. Defaults to 'zju'.
        loss_weight (float): Multiplier. Defaults to 1.0.
    """

    inputs = ('student_logits', 'teacher_logits')

    def __init__(self,
                 tau: float = 3.0,
                 form: str = 'zju',
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        check_choice('form', form, FORMS, type(self).__name__)
        if tau <= 0:
            raise ValueError(f'`tau` must be positive, but got {tau}.')
        self.tau = tau
        self.form = form
        self.loss_weight = loss_weight

    def forward(self, student_logits: torch.Tensor,
                teacher_logits: torch.Tensor) -> torch.Tensor:
        p = F.softmax(student_logits.float() / self.tau, dim=1)
        q = F.softmax(teacher_logits.float() / self.tau, dim=1)
        m = ((p + q) / 2).clamp(0.01, 0.99)
        p, q = p.clamp(0.01, 0.99), q.clamp(0.01, 0.99)
        divergence = (F.kl_div(p.log(), m, reduction='batchmean') +
                      F.kl_div(q.log(), m, reduction='batchmean')) / 2
        if self.form == 'nvlabs':
            divergence = 1 - divergence.clamp(0, 1)
        return self.loss_weight * divergence
