# Copyright (c) mmrazor_zs contributors. All rights reserved.
from typing import Dict, List, Optional, Union

import torch
import torch.nn as nn
import torch.nn.functional as F

from mmrazor_zs.registry import MODELS
from mmrazor_zs.utils import check_positive_int
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

    With ``batch_expansion`` set, each training batch is first expanded as
    the released ``model_training/train.py --data_augmentation`` does: the
    normalised inputs go back to [0, 1] pixels through the model's
    ``pixel_space`` (the data preprocessor's mean and std), become the
    fixed family of copies of every image (the released one is
    :class:`ZSKDAugmentFamily`, 106 per image), are normalised again, and
    the teacher relabels every copy; the loss is then taken over the whole
    expanded batch, one optimiser step for all of it. The hard-label term,
    if any, then uses the teacher's argmax on each copy, as the released
    code's ``y`` after expansion (its student never uses that term).

    Args:
        teacher, student, teacher_ckpt, trust_teacher_ckpt: See
            :class:`TeacherStudentModel`.
        tau (float): Distillation temperature. Defaults to 20.
        relabel (bool): Let the teacher label every augmented image.
            Defaults to True.
        hard_label_weight (float): Weight of the hard-label term.
            Defaults to 0.
        batch_expansion (dict | nn.Module, optional): Module (or its config)
            that maps ``(N, C, H, W)`` pixels in [0, 1] to ``(N * K, C, H,
            W)`` copies, e.g. ``dict(type='ZSKDAugmentFamily')``. Needs
            ``relabel=True``. Defaults to None: the batch is used as it
            comes from the pipeline.
        relabel_batch_size (int): The teacher labels at most this many
            images per forward pass (the released code: 1,000), which
            bounds its memory on expanded batches. Defaults to 1000.
        data_preprocessor (dict, optional): Normalisation of the images.
        init_cfg (dict, optional): Initialisation config.
        runtime (dict, optional): The networks' layout and compilation
            (:class:`TeacherStudentModel`). Defaults to None.
    """

    def __init__(self,
                 teacher: Union[dict, nn.Module],
                 student: Union[dict, nn.Module],
                 teacher_ckpt: Optional[str] = None,
                 tau: float = 20.0,
                 relabel: bool = True,
                 hard_label_weight: float = 0.0,
                 batch_expansion: Optional[Union[dict, nn.Module]] = None,
                 relabel_batch_size: int = 1000,
                 trust_teacher_ckpt: bool = False,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None,
                 runtime: Optional[dict] = None) -> None:
        if tau <= 0:
            raise ValueError(f'`tau` must be positive, but got {tau}.')
        if batch_expansion is not None and not relabel:
            raise ValueError(
                '`batch_expansion` needs `relabel=True`: the stored labels '
                'describe the impressions, not their expanded copies, and '
                'the released code relabels every copy with the teacher. '
                'Set relabel=True or drop batch_expansion.')
        check_positive_int('relabel_batch_size', relabel_batch_size,
                           type(self).__name__)
        super().__init__(teacher, student, teacher_ckpt, trust_teacher_ckpt,
                         data_preprocessor, init_cfg, runtime)
        self.tau = tau
        self.relabel = relabel
        self.hard_label_weight = hard_label_weight
        self.relabel_batch_size = relabel_batch_size
        self.batch_expansion = MODELS.build(batch_expansion) if isinstance(
            batch_expansion, dict) else batch_expansion

    def soft_targets(self, inputs: torch.Tensor,
                     data_samples: List) -> torch.Tensor:
        """The teacher's softmax at tau, or the stored impression labels."""
        if self.relabel:
            with torch.no_grad():
                logits = torch.cat([
                    self.teacher(chunk, mode='tensor')
                    for chunk in inputs.split(self.relabel_batch_size)
                ])
            return F.softmax(logits.float() / self.tau, dim=1)
        return torch.stack([s.gt_score
                            for s in data_samples]).to(inputs.device).float()

    @torch.no_grad()
    def expand(self, inputs: torch.Tensor) -> torch.Tensor:
        """Normalised inputs to the normalised copies of ``batch_expansion``,
        through [0, 1] pixels (``pixel_space``)."""
        expansion, space = self.batch_expansion, self.pixel_space
        if expansion is None:
            raise RuntimeError('ZSKD.expand needs `batch_expansion`.')
        if space is None or getattr(self.data_preprocessor, 'mean',
                                    None) is None:
            # the data preprocessor does not normalise: inputs are 0..255
            return expansion(inputs / 255) * 255
        return space.normalize(expansion(space.denormalize(inputs)))

    def loss(self, inputs: torch.Tensor,
             data_samples: List) -> Dict[str, torch.Tensor]:
        """The soft-target loss (and the hard-label term) of a batch, expanded
        first when ``batch_expansion`` is set."""
        if self.batch_expansion is not None:
            inputs = self.expand(inputs)
        targets = self.soft_targets(inputs, data_samples)
        logits = self.student(inputs, mode='tensor').float()
        log_probs = F.log_softmax(logits / self.tau, dim=1)
        losses = {
            'loss_kd': self.tau**2 * -(targets * log_probs).sum(1).mean()
        }
        if self.hard_label_weight:
            if self.batch_expansion is not None:  # the teacher's, per copy
                labels = targets.argmax(1)
            else:  # the class each impression was made for
                labels = torch.cat([s.gt_label
                                    for s in data_samples]).to(inputs.device)
            losses['loss_hard'] = self.hard_label_weight * F.cross_entropy(
                logits, labels)
        return losses
