# Copyright (c) mmrazor_zs contributors. All rights reserved.
import copy
from typing import Dict, Optional, Sequence, Union

import torch
import torch.nn as nn

from mmrazor_zs.registry import MODELS
from mmrazor_zs.utils import check_choice
from ..utils import FeatureTaps, as_layer_pairs
from ..utils.pair_checks import LayerPair, probe_attention_pairs
from .generator_distiller import GeneratorDistiller, Targets

STUDENT_BATCH_MODES = ('same', 'fresh')


@MODELS.register_module()
class ZSKT(GeneratorDistiller):
    """Zero-shot Knowledge Transfer via adversarial belief matching.

    Micaelli & Storkey, `Zero-shot Knowledge Transfer via Adversarial Belief
    Matching <https://arxiv.org/abs/1905.09768>`_, NeurIPS 2019. Each
    iteration draws ``z ~ N(0, I)`` and takes

    - ``generator_steps`` generator steps that maximise
      ``KL(T(G(z)) || S(G(z)))`` (gradients flow through the frozen teacher
      and the student into G; only G is updated, the student gets no
      gradient from this step);
    - ``student_steps`` student steps that minimise
      ``KL(T(x) || S(x)) + sum_pairs AT(s_l, t_l)`` on ``x = G(z)`` computed
      without gradient, so the student never backpropagates into G.

    ``student_batch='same'`` (the paper's code) reuses one ``x`` and one
    teacher output for all student steps of the iteration;
    ``'fresh'`` (MMRazor's variant) draws a new ``z`` for every student step.
    This is :class:`GeneratorDistiller`'s loop with one adversarial term
    and attention transfer added to the student's loss. No training data is
    read: noise is drawn from a counter-based generator keyed by (seed,
    rank, iteration, step), so every rank draws different noise and a
    resumed run draws the noise the uninterrupted run would.

    Args:
        teacher (dict | nn.Module): The teacher classifier, an mmpretrain
            ``ImageClassifier`` config, ``dict(cfg_path=..., **overrides)``
            or a module. It is frozen and always in eval mode.
        student (dict | nn.Module): The student classifier, same forms.
        generator (dict | nn.Module): The generator. Its ``out_channels``
            and ``img_size`` default to the teacher's input.
        student_steps (int): Student steps per iteration (n_s).
            Defaults to 10.
        student_batch (str): 'same' or 'fresh', see above.
            Defaults to 'same'.
        student_loss (dict): The student's KL term.
            Defaults to ``dict(type='KLDivergence', reduction='mean')``.
        generator_loss (dict, optional): The generator's KL term; its
            ``loss_weight`` must be negative (the generator maximises the
            divergence). Defaults to None: the student's KL with
            ``loss_weight=-1``.
        at_loss (dict): The attention-transfer loss applied to every pair;
            its ``loss_weight`` is ZSKT's beta.
            Defaults to ``dict(type='AttentionTransferLoss',
            loss_weight=250)``.
        at_pairs (Sequence[tuple]): ``(student_layer, teacher_layer)``
            pairs; a layer is a module path or a backbone output index (see
            :class:`FeatureTaps`). Empty means logits only. Defaults to ().
        **kwargs: The other settings of :class:`GeneratorDistiller`
            (``teacher_ckpt``, ``input_shape``, ``batch_size`` 128,
            ``generator_steps`` 1, ``seed``, ``data_preprocessor``, ...).
    """

    def __init__(self,
                 teacher: Union[dict, nn.Module],
                 student: Union[dict, nn.Module],
                 generator: Union[dict, nn.Module],
                 student_steps: int = 10,
                 student_batch: str = 'same',
                 student_loss: dict = dict(
                     type='KLDivergence', tau=1.0, reduction='mean'),
                 generator_loss: Optional[dict] = None,
                 at_loss: dict = dict(
                     type='AttentionTransferLoss', loss_weight=250.0),
                 at_pairs: Sequence[LayerPair] = (),
                 **kwargs) -> None:
        check_choice('student_batch', student_batch, STUDENT_BATCH_MODES,
                     type(self).__name__)
        if generator_loss is None:
            generator_loss = dict(copy.deepcopy(student_loss), loss_weight=-1.)
        super().__init__(
            teacher,
            student,
            generator,
            generator_losses=dict(adversarial=generator_loss),
            student_loss=student_loss,
            student_steps=student_steps,
            student_batch=student_batch,
            **kwargs)
        self.generator_loss = self.generator_losses['adversarial']
        weight = float(getattr(self.generator_loss, 'loss_weight'))
        if not weight < 0:
            raise ValueError(
                'The generator maximises the teacher-student divergence, so '
                f'`generator_loss.loss_weight` must be negative, but got '
                f'{weight}.')
        self.at_loss = MODELS.build(at_loss)
        self.at_pairs = as_layer_pairs(at_pairs)
        self.student_taps = FeatureTaps(self.student,
                                        [s for s, _ in self.at_pairs],
                                        'student')
        self.teacher_taps = FeatureTaps(self.teacher,
                                        [t for _, t in self.at_pairs],
                                        'teacher')

    def probe_batch(self, images: torch.Tensor) -> None:
        """The shared checks, then the attention pairs' shapes."""
        super().probe_batch(images)
        probe_attention_pairs(self.at_pairs, self.student, self.student_taps,
                              self.teacher, self.teacher_taps, images)

    def teacher_targets(self, images: torch.Tensor) -> Targets:
        """The teacher's logits and its attention-pair features."""
        with self.teacher_taps.record():
            teacher_logits = self.teacher(images, mode='tensor')
        return dict(
            teacher_logits=teacher_logits,
            teacher_features=self.teacher_taps.features())

    def student_losses(self, images: torch.Tensor,
                       targets: Targets) -> Dict[str, torch.Tensor]:
        """KL to the teacher's beliefs plus attention transfer on each pair."""
        with self.student_taps.record():
            student_logits = self.student(images, mode='tensor')
        losses = {
            'loss_kl': self.student_loss(student_logits,
                                         targets['teacher_logits'])
        }
        if self.at_pairs:
            losses['loss_at'] = sum(
                self.at_loss(s, t) for s, t in zip(
                    self.student_taps.features(), targets['teacher_features']))
        return losses
