# Copyright (c) mmrazor_zs contributors. All rights reserved.
import copy
from typing import Dict, Optional, Sequence, Union

import torch
import torch.nn as nn

from mmrazor_zs.registry import MODELS
from ..utils import FeatureTaps, as_layer_pairs, check_attention_pairs
from ..utils.pair_checks import LayerPair
from .generator_distiller import GeneratorDistiller

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
            and ``img_size`` default to ``input_shape``.
        teacher_ckpt (str, optional): Teacher checkpoint (mmpretrain or
            mmengine format, path or URL), loaded after the teacher's own
            initialisation so nothing overwrites it. None keeps random
            weights (only useful for tests). Defaults to None.
        input_shape (Sequence[int], optional): The teacher's input
            (C, H, W). Defaults to None: C from the teacher's first
            convolution, H and W from the resize or crop of the test
            pipeline of the teacher's ``cfg_path`` config (an error names
            this setting when it has none).
        batch_size (int): Images generated per step and rank.
            Defaults to 128.
        generator_steps (int): Generator steps per iteration (n_g).
            Defaults to 1.
        student_steps (int): Student steps per iteration (n_s).
            Defaults to 10.
        student_batch (str): 'same' or 'fresh', see above.
            Defaults to 'same'.
        student_loss (dict): The student's KL term.
            Defaults to ``dict(type='KLDivergence', reduction='mean')``.
        generator_loss (dict): The generator's KL term; its ``loss_weight``
            must be negative (the generator maximises the divergence).
            Defaults to the student's KL with ``loss_weight=-1``.
        at_loss (dict): The attention-transfer loss applied to every pair;
            its ``loss_weight`` is ZSKT's beta.
            Defaults to ``dict(type='AttentionTransferLoss',
            loss_weight=250)``.
        at_pairs (Sequence[tuple]): ``(student_layer, teacher_layer)``
            pairs; a layer is a module path or a backbone output index (see
            :class:`FeatureTaps`). Empty means logits only. Defaults to ().
        noise_seed (int, optional): Seed of the noise stream. None draws it
            from torch's global generator, i.e. from the run's seed.
            Defaults to None.
        trust_teacher_ckpt (bool): Unpickle the teacher checkpoint without
            torch's ``weights_only`` safety. Defaults to False.
        data_preprocessor (dict, optional): Preprocessor of the real images
            used for evaluation. Defaults to None.
        init_cfg (dict, optional): Initialisation config. Defaults to None.
    """

    def __init__(self,
                 teacher: Union[dict, nn.Module],
                 student: Union[dict, nn.Module],
                 generator: Union[dict, nn.Module],
                 teacher_ckpt: Optional[str] = None,
                 input_shape: Optional[Sequence[int]] = None,
                 batch_size: int = 128,
                 generator_steps: int = 1,
                 student_steps: int = 10,
                 student_batch: str = 'same',
                 student_loss: dict = dict(
                     type='KLDivergence', tau=1.0, reduction='mean'),
                 generator_loss: Optional[dict] = None,
                 at_loss: dict = dict(
                     type='AttentionTransferLoss', loss_weight=250.0),
                 at_pairs: Sequence[LayerPair] = (),
                 noise_seed: Optional[int] = None,
                 trust_teacher_ckpt: bool = False,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        if student_batch not in STUDENT_BATCH_MODES:
            raise ValueError(f'`student_batch` must be one of '
                             f'{STUDENT_BATCH_MODES}, but got '
                             f'{student_batch!r}.')
        if generator_loss is None:
            generator_loss = dict(copy.deepcopy(student_loss), loss_weight=-1.)
        super().__init__(
            teacher,
            student,
            generator,
            generator_losses=dict(adversarial=generator_loss),
            student_loss=student_loss,
            teacher_ckpt=teacher_ckpt,
            input_shape=input_shape,
            batch_size=batch_size,
            generator_steps=generator_steps,
            student_steps=student_steps,
            order='generator_first',
            student_batch=student_batch,
            noise_seed=noise_seed,
            trust_teacher_ckpt=trust_teacher_ckpt,
            data_preprocessor=data_preprocessor,
            init_cfg=init_cfg)
        self.generator_loss = self.generator_losses['adversarial']
        if not self.generator_loss.loss_weight < 0:
            raise ValueError(
                'The generator maximises the teacher-student divergence, so '
                '`generator_loss.loss_weight` must be negative, but got '
                f'{self.generator_loss.loss_weight}.')
        self.at_loss = MODELS.build(at_loss)
        self.at_pairs = as_layer_pairs(at_pairs)
        self.student_taps = FeatureTaps(self.student,
                                        [s for s, _ in self.at_pairs],
                                        'student')
        self.teacher_taps = FeatureTaps(self.teacher,
                                        [t for _, t in self.at_pairs],
                                        'teacher')
        self.probe_shapes()

    @torch.no_grad()
    def probe_shapes(self) -> Dict[str, torch.Tensor]:
        """The shared checks, then the attention pairs' shapes."""
        inputs = super().probe_shapes()
        modes = {m: m.training for m in (self.student, self.generator)}
        self.student.eval()
        self.generator.eval()
        try:
            fake = self.generator(torch.zeros(2, self.latent_dim))
            with self.student_taps.record():
                self.student(fake, mode='tensor')
            with self.teacher_taps.record():
                self.teacher(fake, mode='tensor')
        finally:
            for module, mode in modes.items():
                module.train(mode)
        check_attention_pairs(self.at_pairs, self.student_taps.features(),
                              self.teacher_taps.features())
        return inputs

    def teacher_targets(self, images: torch.Tensor) -> Dict[str, torch.Tensor]:
        """The teacher's logits and its attention-pair features."""
        with self.teacher_taps.record():
            teacher_logits = self.teacher(images, mode='tensor')
        return dict(
            teacher_logits=teacher_logits,
            teacher_features=self.teacher_taps.features())

    def student_losses(
            self, images: torch.Tensor,
            targets: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
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
