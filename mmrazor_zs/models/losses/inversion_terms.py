# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""The class and adversarial terms of the inversion synthesizers
(DeepInversion, CMI, Fast), as the zju-vipa zoo computes them (zju-
vipa/DataFree 9e79fa9, ``datafree/synthesis/contrastive.py`` lines 300-318;
zju-vipa/Fast-Datafree 0dcecbc, ``datafree/synthesis/ fast_meta.py`` lines
146-160)."""
import torch
import torch.nn as nn
import torch.nn.functional as F

from mmrazor_zs.registry import MODELS


@MODELS.register_module()
class LabelCrossEntropy(nn.Module):
    """``CE(t, y)``: the teacher's cross-entropy against the classes the batch
    is synthesised for, averaged over the batch (DeepInversion's class term,
    Yin et al., CVPR 2020, Eq. 2; the zoo's ``oh`` term). ``labels`` may also
    be soft targets (N, K), as CPNet's CutMix makes them: the cross-entropy
    against the mixed targets is its ``loss_mixup``.

    Args:
        loss_weight (float): Multiplier. Defaults to 1.0.
    """

    inputs = ('teacher_logits', 'labels')

    def __init__(self, loss_weight: float = 1.0) -> None:
        super().__init__()
        self.loss_weight = loss_weight

    def forward(self, teacher_logits: torch.Tensor,
                labels: torch.Tensor) -> torch.Tensor:
        return self.loss_weight * F.cross_entropy(teacher_logits.float(),
                                                  labels)


@MODELS.register_module()
class AgreementMaskedKL(nn.Module):
    """``mean_i m_i KL(p_t,i || p_s,i)`` with ``m_i = 1[argmax s_i =
    argmax t_i]``: the teacher-student divergence on the images where both
    still agree, averaged over the whole batch (the masked images count as
    zeros). With a negative ``loss_weight`` it is CMI's and Fast's
    adversarial term, which stops pushing an image once the student
    disagrees with the teacher on it (CMI, Fang et al., IJCAI 2021, Eq. 8;
    the code's ``-(kldiv(s, t, reduction='none').sum(1) * mask).mean()``,
    temperature 1).

    ``reverse=True`` measures ``KL(p_s,i || p_t,i)`` instead: CPNet's
    code calls ``kldiv(t_out, s_out)``, the arguments the other way round
    from NAYER's and Fast's ``kldiv(s_out, t_out)`` (LannCX/CPNet 3f3d397,
    ``datafree/synthesis/cpnet.py`` line 160).

    Args:
        loss_weight (float): Multiplier; the synthesizers use ``-adv``.
            Defaults to 1.0.
        reverse (bool): ``KL(student || teacher)``. Defaults to False.
    """

    inputs = ('student_logits', 'teacher_logits')

    def __init__(self,
                 loss_weight: float = 1.0,
                 reverse: bool = False) -> None:
        super().__init__()
        self.loss_weight = loss_weight
        self.reverse = reverse

    def forward(self, student_logits: torch.Tensor,
                teacher_logits: torch.Tensor) -> torch.Tensor:
        log_p_student = F.log_softmax(student_logits.float(), dim=1)
        log_p_teacher = F.log_softmax(teacher_logits.float(), dim=1)
        # KL(p || q): p the teacher (the student when reversed)
        log_p, log_q = ((log_p_student, log_p_teacher) if self.reverse else
                        (log_p_teacher, log_p_student))
        per_image = (log_p.exp() * (log_p - log_q)).sum(1)
        agree = (student_logits.argmax(1) == teacher_logits.argmax(1))
        return self.loss_weight * (per_image * agree).mean()
