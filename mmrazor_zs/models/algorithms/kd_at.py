# Copyright (c) mmrazor_zs contributors. All rights reserved.
from typing import Dict, List, Optional, Sequence, Union

import torch
import torch.nn as nn
import torch.nn.functional as F

from mmrazor_zs.registry import MODELS
from mmrazor_zs.utils import check_choice
from ..losses import AttentionTransferLoss, KLDivergence
from ..utils import FeatureTaps, as_layer_pairs
from ..utils.pair_checks import LayerPair, probe_attention_pairs
from .base import TeacherStudentModel

KT_MODES = ('KD', 'AT', 'KD+AT')


@MODELS.register_module()
class KDAT(TeacherStudentModel):
    """Knowledge distillation and attention transfer on real labelled images,
    the few-shot baseline of ZSKT.

    Micaelli & Storkey, `Zero-shot Knowledge Transfer via Adversarial Belief
    Matching <https://arxiv.org/abs/1905.09768>`_, NeurIPS 2019, compare
    their zero-shot student with one trained by KD+AT on M real images per
    class. The loss is the ``KT_loss`` of their released few-shot code
    (polo5/FewShotKnowledgeTransfer), with ``y`` the true labels:

    - ``'KD'``: ``(1 - alpha) * CE(S(x), y) + 2 * alpha * T^2 * KL``;
    - ``'AT'``: ``CE(S(x), y) + beta * 3 / P * sum_pairs AT(s_l, t_l)``;
    - ``'KD+AT'``: the KD loss plus the AT sum.

    ``KL`` is ``KL(softmax(T(x) / T) || softmax(S(x) / T))`` averaged over
    batch x classes (``F.kl_div``'s default reduction in the PyTorch of the
    code); the factor 2 is the code's (it notes ``2 * alpha -> alpha`` in
    the official AT code). ``P`` is the number of attention pairs: beta is
    given for three pairs, as the three WRN groups. The teacher runs without
    gradient and always in eval mode; train the model with mmengine's
    ordinary loops (``loss`` mode).

    Args:
        teacher, student, teacher_ckpt, trust_teacher_ckpt: See
            :class:`TeacherStudentModel`.
        kt_mode (str): 'KD', 'AT' or 'KD+AT'. Defaults to 'KD+AT'.
        alpha (float): Weight of the distillation term, in [0, 1]; 'AT'
            ignores it. Defaults to 0.9.
        temperature (float): Distillation temperature T. Defaults to 4.
        beta (float): Attention-transfer weight for three pairs.
            Defaults to 1000.
        at_pairs (Sequence[tuple]): ``(student_layer, teacher_layer)``
            pairs, module paths or backbone output indices (see
            :class:`FeatureTaps`); needed by the 'AT' modes, ignored by 'KD'.
            Defaults to ().
        input_shape (Sequence[int]): The networks' input (C, H, W), for a
            check at build time that class counts and pairs fit.
            Defaults to (3, 32, 32).
        data_preprocessor (dict, optional): Preprocessor of the images.
        init_cfg (dict, optional): Initialisation config.
        runtime (dict, optional): The networks' layout and compilation
            (:class:`TeacherStudentModel`). Defaults to None.
    """

    def __init__(self,
                 teacher: Union[dict, nn.Module],
                 student: Union[dict, nn.Module],
                 teacher_ckpt: Optional[str] = None,
                 kt_mode: str = 'KD+AT',
                 alpha: float = 0.9,
                 temperature: float = 4.0,
                 beta: float = 1000.0,
                 at_pairs: Sequence[LayerPair] = (),
                 input_shape: Sequence[int] = (3, 32, 32),
                 trust_teacher_ckpt: bool = False,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None,
                 runtime: Optional[dict] = None) -> None:
        at_pairs = as_layer_pairs(at_pairs)
        self._check_settings(kt_mode, alpha, temperature, beta, at_pairs)
        super().__init__(teacher, student, teacher_ckpt, trust_teacher_ckpt,
                         data_preprocessor, init_cfg, runtime)
        self.input_shape = self.resolve_input_shape(input_shape, teacher)
        self.kt_mode = kt_mode
        uses_kd = kt_mode != 'AT'
        self.ce_weight = 1. - alpha if uses_kd else 1.
        self.kd_loss = KLDivergence(
            tau=temperature,
            reduction='mean',
            loss_weight=2 * alpha * temperature**2) if uses_kd else None
        self.at_pairs = at_pairs if kt_mode != 'KD' else []
        self.at_loss = AttentionTransferLoss(
            loss_weight=beta * 3 / len(self.at_pairs)) \
            if self.at_pairs else None
        self.student_taps = FeatureTaps(self.student,
                                        [s for s, _ in self.at_pairs],
                                        'student')
        self.teacher_taps = FeatureTaps(self.teacher,
                                        [t for _, t in self.at_pairs],
                                        'teacher')

    def _check_settings(self, kt_mode: str, alpha: float, temperature: float,
                        beta: float, at_pairs: List[tuple]) -> None:
        """Refuse settings out of their range before anything is built."""
        check_choice('kt_mode', kt_mode, KT_MODES, type(self).__name__)
        if not 0 <= alpha <= 1:
            raise ValueError(f'`alpha` must be in [0, 1], but got {alpha}.')
        if temperature <= 0:
            raise ValueError('`temperature` must be positive, but got '
                             f'{temperature}.')
        if beta < 0:
            raise ValueError(f'`beta` must be >= 0, but got {beta}.')
        if 'AT' in kt_mode and not at_pairs:
            raise ValueError(
                f'`kt_mode={kt_mode!r}` transfers attention, so it needs '
                '`at_pairs`, e.g. [("backbone.layer1", "backbone.layer1")];'
                " use kt_mode='KD' for logits only.")

    def probe_batch(self, images: torch.Tensor) -> None:
        """The class counts, then the attention pairs' shapes."""
        super().probe_batch(images)
        probe_attention_pairs(self.at_pairs, self.student, self.student_taps,
                              self.teacher, self.teacher_taps, images)

    def loss(self, inputs: torch.Tensor,
             data_samples: List) -> Dict[str, torch.Tensor]:
        """The KT loss of a batch of real images and their labels.

        Returns:
            dict: ``loss_ce`` (weighted), and ``loss_kd`` and ``loss_at``
            where the mode has them.
        """
        labels = torch.cat([s.gt_label
                            for s in data_samples]).to(inputs.device)
        with torch.no_grad(), self.teacher_taps.record():
            teacher_logits = self.teacher(inputs, mode='tensor')
        with self.student_taps.record():
            student_logits = self.student(inputs, mode='tensor')
        losses = {
            'loss_ce':
            self.ce_weight * F.cross_entropy(student_logits.float(), labels)
        }
        if self.kd_loss is not None:
            losses['loss_kd'] = self.kd_loss(student_logits, teacher_logits)
        if self.at_loss is not None:
            losses['loss_at'] = sum(
                self.at_loss(s, t)
                for s, t in zip(self.student_taps.features(),
                                self.teacher_taps.features()))
        return losses
