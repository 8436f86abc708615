# Copyright (c) mmrazor_zs contributors. All rights reserved.
from typing import Any, Dict, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmengine.dist import get_rank, get_world_size
from mmengine.optim import OptimWrapper, OptimWrapperDict

from mmrazor_zs.registry import MODELS
from mmrazor_zs.utils import (check_choice, check_positive_int, in_mode,
                              temporarily_eval)
from mmrazor_zs.utils.precision import precision_of
from ..generators import MomentumGenerator, UpsampleGenerator
from ..utils import build_submodel, check_class_counts
from ..utils.keyed_random import keyed_generator
from ..utils.loss_terms import LossTerms, sum_of
from ..utils.section_timer import SectionTimer
from .base import TeacherStudentModel

ORDERS = ('generator_first', 'student_first')
STUDENT_BATCHES = ('same', 'fresh', 'generator')
MODES = ('train', 'eval')
#: the keys of ``momentum_generator`` (MAD) and their defaults
MOMENTUM_GENERATOR_DEFAULTS = dict(momentum=0.95, loss_weight=1.0)
#: what a generator loss term may read (its attribute ``inputs``)
GENERATOR_STEP_INPUTS = ('images', 'teacher_logits', 'teacher_features',
                         'teacher_bn_statistics', 'student_logits')

#: images and the teacher's targets for them (logits, ZSKT's features)
Targets = Dict[str, Any]
Batch = Tuple[torch.Tensor, Targets]


class GeneratorDistiller(TeacherStudentModel):
    """The skeleton of generator-based data-free distillation: noise ->
    generator -> teacher (and student); generator steps on a weighted sum of
    loss terms, student steps on images without autograd history.

    Each iteration takes ``generator_steps`` generator steps and
    ``student_steps`` student steps, in ``order``:

    - a generator step draws ``z`` (one per iteration, shared by its
      generator steps, as ZSKT's released code does), makes ``x = G(z)``
      and minimises ``sum_k term_k(...)`` over the generator's parameters
      only. A term reads what its class attribute ``inputs`` names: the
      generated images (an image prior), the teacher's logits, its
      features at ``feature_layer``, the statistics at its batch-norm
      inputs, or the student's logits (an adversarial term with a negative
      weight). Nothing else receives a gradient: the
      student's ``.grad`` stays untouched;
    - a student step minimises ``student_loss(S(x), T(x))`` on images made
      without gradient: ``student_batch='same'`` makes one batch from the
      iteration's ``z`` after the generator steps and reuses it,
      ``'fresh'`` draws a new ``z`` for every student step, ``'generator'``
      reuses the last generator step's images and teacher logits (a joint
      update as DAFL's, where both networks step on one batch).

    ``momentum_generator`` (MAD, Do et al., NeurIPS 2022; off by default)
    adds a :class:`MomentumGenerator`, a moving average of the generator
    updated after every generator step and set equal to it when training
    starts; every student step then also learns from a batch of the averaged
    generator (its own noise), its losses weighted by ``loss_weight`` and
    logged with the suffix ``_momentum``. The averaged generator receives no
    gradient and is saved with the run.

    The algorithms (:class:`ZSKT`, :class:`DAFL`, :class:`DFAD`,
    :class:`DFQ`) are this loop with their papers' terms and settings. Once
    built, the generator's output shape, the networks' input channels and
    class counts and what the terms read of the teacher are checked on a
    tiny batch (:meth:`probe`). No training data is read: noise is drawn
    from a counter-based generator keyed by (seed, rank, iteration, step),
    so ranks draw different noise and a resumed run draws what the
    uninterrupted run would.

    Args:
        teacher (dict | nn.Module): The teacher classifier (an mmpretrain
            ``ImageClassifier`` config, ``dict(cfg_path=..., **overrides)``
            or a module); frozen and always in eval mode.
        student (dict | nn.Module): The student classifier, same forms.
        generator (dict | nn.Module): The generator. Unset
            ``out_channels``/``img_size`` follow ``input_shape``; an
            :class:`UpsampleGenerator` is given the algorithm's
            ``pixel_space`` (which its ``output='sigmoid'`` normalises
            with).
        generator_losses (dict): Name -> loss config of the generator's
            terms, each logged as ``generator/<name>``.
        student_loss (dict): The student's loss on (student logits, teacher
            logits).
        teacher_ckpt (str, optional): Teacher checkpoint (path or URL).
            None keeps random weights (tests only). Defaults to None.
        input_shape (Sequence[int], optional): The teacher's input
            (C, H, W). None infers it from the teacher (first convolution,
            test pipeline). Defaults to None.
        batch_size (int): Images per step and rank. Defaults to 128.
        generator_steps (int): Generator steps per iteration. Defaults to 1.
        student_steps (int): Student steps per iteration. Defaults to 1.
        order (str): 'generator_first' or 'student_first'.
            Defaults to 'generator_first'.
        student_batch (str): 'same', 'fresh' or 'generator', see above.
            Defaults to 'fresh'.
        student_mode_in_generator_step (str): 'train' or 'eval': the
            student's mode while the generator step runs it (its BN running
            statistics move in 'train'). Defaults to 'train'.
        generator_mode_for_student (str): 'train' or 'eval': the
            generator's mode while it makes the student's images.
            Defaults to 'train'.
        feature_layer (str | int): The teacher layer whose output is
            ``teacher_features`` (a module path, or a backbone output
            index). Defaults to 'neck'.
        bn_momentum (float, optional): ``momentum`` of the
            :class:`BatchNormStatistics` behind ``teacher_bn_statistics``.
            Defaults to None.
        momentum_generator (dict, optional): MAD's averaged generator:
            ``momentum`` (alpha, the weight of the average; default 0.95)
            and ``loss_weight`` (of the student's losses on its batches;
            default 1.0). None trains without it. Defaults to None.
        seed (int, optional): Seed of the noise stream. None draws it from
            torch's global generator, i.e. from the run's seed.
            Defaults to None.
        trust_teacher_ckpt (bool): Unpickle the teacher checkpoint without
            torch's ``weights_only`` safety. Defaults to False.
        data_preprocessor (dict, optional): Preprocessor of the real
            evaluation images; its ``mean``/``std`` are the teacher's
            normalisation. Defaults to None.
        init_cfg (dict, optional): Initialisation config. Defaults to None.
        runtime (dict, optional): The networks' layout and compilation
            (:class:`TeacherStudentModel`). Defaults to None.
    """

    input_shape: Tuple[int, ...]

    def __init__(self,
                 teacher: Union[dict, nn.Module],
                 student: Union[dict, nn.Module],
                 generator: Union[dict, nn.Module],
                 generator_losses: Dict[str, Union[dict, nn.Module]],
                 student_loss: dict,
                 teacher_ckpt: Optional[str] = None,
                 input_shape: Optional[Sequence[int]] = None,
                 batch_size: int = 128,
                 generator_steps: int = 1,
                 student_steps: int = 1,
                 order: str = 'generator_first',
                 student_batch: str = 'fresh',
                 student_mode_in_generator_step: str = 'train',
                 generator_mode_for_student: str = 'train',
                 feature_layer: Union[str, int] = 'neck',
                 bn_momentum: Optional[float] = None,
                 momentum_generator: Optional[dict] = None,
                 seed: Optional[int] = None,
                 trust_teacher_ckpt: bool = False,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None,
                 runtime: Optional[dict] = None) -> None:
        owner = type(self).__name__
        for name, value in (('batch_size', batch_size), ('generator_steps',
                                                         generator_steps),
                            ('student_steps', student_steps)):
            check_positive_int(name, value, owner)
        check_choice('order', order, ORDERS, owner)
        check_choice('student_batch', student_batch, STUDENT_BATCHES, owner)
        check_choice('student_mode_in_generator_step',
                     student_mode_in_generator_step, MODES, owner)
        check_choice('generator_mode_for_student', generator_mode_for_student,
                     MODES, owner)
        if student_batch == 'generator' and order != 'generator_first':
            raise ValueError('`student_batch="generator"` reuses the '
                             'generator step\'s images, so `order` must be '
                             '"generator_first".')
        super().__init__(teacher, student, teacher_ckpt, trust_teacher_ckpt,
                         data_preprocessor, init_cfg, runtime)
        self.input_shape = self.resolve_input_shape(input_shape, teacher)
        self.batch_size = batch_size
        self.generator_steps = generator_steps
        self.student_steps = student_steps
        self.order = order
        self.student_batch = student_batch
        self.student_mode_in_generator_step = student_mode_in_generator_step
        self.generator_mode_for_student = generator_mode_for_student

        self.generator = build_submodel(generator, 'generator',
                                        self._generator_defaults(generator))
        self.latent_dim = int(getattr(self.generator, 'latent_dim'))
        self.momentum_generator: Optional[MomentumGenerator] = None
        if momentum_generator is not None:
            settings = momentum_generator_settings(momentum_generator, owner)
            self.momentum_generator = MomentumGenerator(
                self.generator, settings['momentum'])
            self.momentum_loss_weight = settings['loss_weight']

        self.generator_losses = LossTerms(
            generator_losses,
            self.teacher,
            available=GENERATOR_STEP_INPUTS,
            feature_layer=feature_layer,
            bn_momentum=bn_momentum,
            owner='generator_losses')
        self.student_loss = MODELS.build(student_loss)
        self.needs_student = self.generator_losses.needs_student

        self.seed = self.resolve_seed(seed)
        self.num_iters = 0
        self._generator_step_timer = SectionTimer()

    # ------------------------------------------------------------------
    # construction helpers
    def _generator_defaults(
            self, generator: Union[dict, nn.Module]) -> Optional[dict]:
        """What a generator config does not set: its image size and channels
        from ``input_shape`` and, for an :class:`UpsampleGenerator`, the
        algorithm's ``pixel_space``."""
        if isinstance(generator, nn.Module):
            return None
        channels, height, width = self.input_shape
        if height != width:
            raise ValueError('The generator makes square images, but the '
                             f'teacher input is {height} x {width}.')
        defaults: Dict[str, Any] = dict(out_channels=channels, img_size=height)
        generator_cls = MODELS.get(generator.get('type', ''))
        if isinstance(generator_cls, type) and issubclass(
                generator_cls, UpsampleGenerator):
            defaults['pixel_space'] = self.pixel_space
        return defaults

    def probe_images(self) -> torch.Tensor:
        """The generator's images of zero noise, in eval mode; their shape must
        be the teacher's input."""
        with temporarily_eval(self.generator):
            fake = self.generator(torch.zeros(2, self.latent_dim))
        if tuple(fake.shape[1:]) != self.input_shape:
            raise ValueError(
                f'The generator makes images of shape '
                f'{tuple(fake.shape[1:])} but the teacher takes '
                f'`input_shape={self.input_shape}`; set the generator\'s '
                '`out_channels`/`img_size` to match (or leave them '
                'unset to follow `input_shape`).')
        return fake

    def probe_batch(self, images: torch.Tensor) -> None:
        """What the generator terms read (teacher layers, batch-norm
        statistics) is recorded, and the class counts are checked."""
        inputs = self._generator_inputs(images, with_student=True)
        check_class_counts(inputs['teacher_logits'], inputs['student_logits'])

    # ------------------------------------------------------------------
    # state
    def get_extra_state(self) -> torch.Tensor:
        """The noise stream's position ``[seed, num_iters]``, saved with the
        weights (a tensor, so mmengine can broadcast it)."""
        return torch.tensor([self.seed, self.num_iters])

    def set_extra_state(self, state: torch.Tensor) -> None:
        """Restore the noise stream's position of :meth:`get_extra_state`."""
        self.seed, self.num_iters = (int(v) for v in state.tolist())

    # ------------------------------------------------------------------
    # summary
    def images_per_iteration(self) -> int:
        """Images the generator makes in one iteration on one rank: a batch per
        generator step and, for the student, one per student step
        (``student_batch='fresh'``), one (``'same'``) or none (``'generator'``,
        which reuses the generator step's batch); with a momentum generator,
        one more per student step."""
        student_batches = dict(
            fresh=self.student_steps, same=1, generator=0)[self.student_batch]
        if self.momentum_generator is not None:
            student_batches += self.student_steps
        return self.batch_size * (self.generator_steps + student_batches)

    @property
    def synthesis_seconds(self) -> float:
        """Time of the generator's own steps so far (forward, its loss terms,
        backward and update), measured without synchronising the host inside
        the loop (``SectionTimer``); the images made for the student's steps
        are not timed.

        Reading it waits for the device. The :class:`DistillSummaryHook`
        carries it across a resume.
        """
        return self._generator_step_timer.seconds

    @synthesis_seconds.setter
    def synthesis_seconds(self, value: float) -> None:
        self._generator_step_timer.seconds = value

    def synthesis_summary(self) -> Dict[str, float]:
        """What the generator made so far (all ranks) and the time of its own
        steps, for the run's ``summary.json``.

        Returns:
            dict: ``synthesized_images`` (iterations x
            :meth:`images_per_iteration` x ranks; counted from the settings,
            so no host synchronisation) and ``generator_step_time_s``.
        """
        return dict(
            synthesized_images=self.num_iters * self.images_per_iteration() *
            get_world_size(),
            generator_step_time_s=round(self.synthesis_seconds, 1))

    # ------------------------------------------------------------------
    # training
    def sample_noise(self, iteration: int, step: int) -> torch.Tensor:
        """Latent noise for one step, a pure function of (seed, rank,
        iteration, step)."""
        device = next(self.generator.parameters()).device
        rng = keyed_generator((self.seed, get_rank(), iteration, step), device)
        return torch.randn(
            self.batch_size, self.latent_dim, generator=rng, device=device)

    def train_step(self, data: Optional[dict],
                   optim_wrapper: OptimWrapperDict) -> Dict[str, torch.Tensor]:
        """One iteration: generator and student steps in ``order``.

        Args:
            data: Ignored; no training data is read.
            optim_wrapper (OptimWrapperDict): Holds 'generator' and
                'student' optimizer wrappers.
        """
        log_vars: Dict[str, torch.Tensor] = {}
        iteration = self.num_iters
        if iteration == 0 and self.momentum_generator is not None:
            self.momentum_generator.copy_from(self.generator)
        if self.order == 'student_first':
            log_vars.update(
                self._student_steps(iteration, None, optim_wrapper['student']))
        generator_batch = None
        z = self.sample_noise(iteration, 0)
        for _ in range(self.generator_steps):
            with self._generator_step_timer.section(z.device):
                generator_log, generator_batch = self._generator_step(
                    z, optim_wrapper['generator'])
            log_vars.update(generator_log)
        if self.order == 'generator_first':
            log_vars.update(
                self._student_steps(iteration, generator_batch,
                                    optim_wrapper['student']))
        self.num_iters += 1
        return log_vars

    def _generator_inputs(self, images: torch.Tensor,
                          with_student: bool) -> Dict[str, torch.Tensor]:
        """What the generator terms read, for these images."""
        inputs = self.generator_losses.teacher_inputs(self.teacher, images)
        if with_student:
            inputs['student_logits'] = self.student(images, mode='tensor')
        return inputs

    def _generator_step(
            self, z: torch.Tensor, generator_ow: OptimWrapper
    ) -> Tuple[Dict[str, torch.Tensor], Batch]:
        """Update G on the weighted sum of its terms; only G's parameters
        receive gradients."""
        student_mode = self.student.training
        if self.needs_student:
            student_mode = self.student_mode_in_generator_step == 'train'
        with in_mode(self.student, student_mode), \
                generator_ow.optim_context(self.generator), \
                self._student_no_sync():
            images = self.generator(z)
            inputs = self._generator_inputs(images, self.needs_student)
            losses = self.generator_losses(inputs)
        loss = sum_of(losses.values())
        params = [p for p in self.generator.parameters() if p.requires_grad]
        generator_ow.backward(generator_ow.scale_loss(loss), inputs=params)
        if generator_ow.should_update():
            generator_ow.step()
            generator_ow.zero_grad()
            if self.momentum_generator is not None:
                self.momentum_generator.update(self.generator)
        log_vars = {'loss_generator': loss.detach()}
        grad_norm = getattr(generator_ow, 'grad_norm', None)
        if grad_norm is not None:  # clipped (DeviceOptimWrapper)
            log_vars['grad_norm_generator'] = grad_norm
        if len(losses) > 1:
            log_vars.update({
                f'generator/{name}': value.detach()
                for name, value in losses.items()
            })
        batch = (images.detach(),
                 dict(teacher_logits=inputs['teacher_logits'].detach()))
        return log_vars, batch

    @torch.no_grad()
    def make_batch(self,
                   z: torch.Tensor,
                   generator: Optional[nn.Module] = None) -> Batch:
        """Images from ``generator`` (default: the current one) in
        ``generator_mode_for_student`` and the teacher's targets for them,
        without autograd history."""
        generator = self.generator if generator is None else generator
        with in_mode(generator, self.generator_mode_for_student == 'train'):
            images = generator(z)
        return images, self.teacher_targets(images)

    def teacher_targets(self, images: torch.Tensor) -> Targets:
        """The teacher's outputs the student steps learn from."""
        return dict(teacher_logits=self.teacher(images, mode='tensor'))

    def _student_steps(self, iteration: int, generator_batch: Optional[Batch],
                       student_ow: OptimWrapper) -> Dict[str, torch.Tensor]:
        """The iteration's student steps, on batches made as ``student_batch``
        says (in the student wrapper's precision)."""
        log_vars: Dict[str, torch.Tensor] = {}
        batch = generator_batch if self.student_batch == 'generator' else None
        autocast = precision_of(student_ow).autocast
        device = next(self.generator.parameters()).device
        for step in range(self.student_steps):
            with autocast(device):
                if self.student_batch == 'fresh':
                    batch = self.make_batch(
                        self.sample_noise(iteration,
                                          self.generator_steps + step))
                elif batch is None:
                    batch = self.make_batch(self.sample_noise(iteration, 0))
                momentum_batch = None
                if self.momentum_generator is not None:
                    momentum_batch = self.make_batch(
                        self.sample_noise(
                            iteration,
                            self.generator_steps + self.student_steps + step),
                        self.momentum_generator)
            log_vars = self._student_step(*batch, student_ow, momentum_batch)
        return log_vars

    def student_losses(self, images: torch.Tensor,
                       targets: Targets) -> Dict[str, torch.Tensor]:
        """The student's losses on one batch (inside its optim context)."""
        student_logits = self.student(images, mode='tensor')
        return {
            'loss_distill':
            self.student_loss(student_logits, targets['teacher_logits'])
        }

    def _student_step(
            self,
            images: torch.Tensor,
            targets: Targets,
            student_ow: OptimWrapper,
            momentum_batch: Optional[Batch] = None) -> Dict[str, torch.Tensor]:
        """One student step on ``images`` and the teacher's ``targets``, and on
        the momentum generator's batch when there is one."""
        with student_ow.optim_context(self.student):
            losses = self.student_losses(images, targets)
            if momentum_batch is not None:
                for name, value in self.student_losses(
                        *momentum_batch).items():
                    losses[f'{name}_momentum'] = (
                        self.momentum_loss_weight * value)
        return self.update_student(losses, student_ow)


def momentum_generator_settings(settings: dict, owner: str) -> dict:
    """``momentum_generator`` with its defaults; unknown keys refused."""
    unknown = sorted(set(settings) - set(MOMENTUM_GENERATOR_DEFAULTS))
    if unknown:
        raise ValueError(
            f'{owner}: `momentum_generator` takes '
            f'{sorted(MOMENTUM_GENERATOR_DEFAULTS)}, not {unknown}.')
    merged = dict(MOMENTUM_GENERATOR_DEFAULTS, **settings)
    weight = merged['loss_weight']
    if isinstance(weight, bool) or not isinstance(weight,
                                                  (int, float)) or weight < 0:
        raise ValueError(f'{owner}: `momentum_generator.loss_weight` must be '
                         f'a number >= 0, but got {weight!r}.')
    return merged
