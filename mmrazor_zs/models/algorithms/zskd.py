# Copyright (c) mmrazor_zs contributors. All rights reserved.
from typing import Dict, List, Optional, Union

import torch
import torch.nn as nn
import torch.nn.functional as F

from mmrazor_zs.registry import MODELS
from .base import TeacherStudentModel


@MODELS.register_module()
class ZSKD(TeacherStudentModel):
    """Zero-Shot Knowledge Distillation, stage 2: the student on the data
    impressions.

    Nayak et al., `Zero-Shot Knowledge Distillation in Deep Networks
    <https://arxiv.org/abs/1905.08114>`_, ICML 2019. The loss is
    ``tau^2 * CE(y, softmax(S(x) / tau))`` with soft targets ``y``: the
    teacher's softmax at ``tau`` on the (augmented) image when
    ``relabel=True`` (the released code re-labels every augmented image),
    otherwise the label stored with the impression. An optional hard-label
    term adds ``hard_label_weight * CE(S(x), class)`` for the class the
    impression was made for (the paper found it adds nothing).

    Args:
        teacher, student, teacher_ckpt, trust_teacher_ckpt: See
            :class:`TeacherStudentModel`.
        tau (float): Distillation temperature. Defaults to 20.
        relabel (bool): Let the teacher label every augmented image.
            Defaults to True.
        hard_label_weight (float): Weight of the hard-label term.
            Defaults to 0.
        data_preprocessor (dict, optional): Normalisation of the images.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 teacher: Union[dict, nn.Module],
                 student: Union[dict, nn.Module],
                 teacher_ckpt: Optional[str] = None,
                 tau: float = 20.0,
                 relabel: bool = True,
                 hard_label_weight: float = 0.0,
                 trust_teacher_ckpt: bool = False,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        if tau <= 0:
            raise ValueError(f'`tau` must be positive, but got {tau}.')
        super().__init__(teacher, student, teacher_ckpt, trust_teacher_ckpt,
                         data_preprocessor, init_cfg)
        self.tau = tau
        self.relabel = relabel
        self.hard_label_weight = hard_label_weight

    def soft_targets(self, inputs: torch.Tensor,
                     data_samples: List) -> torch.Tensor:
        """The teacher's softmax at tau, or the stored impression labels."""
        if self.relabel:
            with torch.no_grad():
                logits = self.teacher(inputs, mode='tensor')
            return F.softmax(logits.float() / self.tau, dim=1)
        return torch.stack([s.gt_score for s in data_samples]).to(
            inputs.device).float()

    def loss(self, inputs: torch.Tensor,
             data_samples: List) -> Dict[str, torch.Tensor]:
        targets = self.soft_targets(inputs, data_samples)
        logits = self.student(inputs, mode='tensor').float()
        log_probs = F.log_softmax(logits / self.tau, dim=1)
        losses = {
            'loss_kd': self.tau**2 * -(targets * log_probs).sum(1).mean()
        }
        if self.hard_label_weight:
            labels = torch.cat([s.gt_label for s in data_samples]).to(
                inputs.device)
            losses['loss_hard'] = self.hard_label_weight * F.cross_entropy(
                logits, labels)
        return losses
