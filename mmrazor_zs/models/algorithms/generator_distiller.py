# Copyright (c) mmrazor_zs contributors. All rights reserved.
import copy
from typing import Dict, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmengine.dist import get_rank
from mmengine.optim import OptimWrapper, OptimWrapperDict

from mmrazor_zs.registry import MODELS
from ..generators import UpsampleGenerator
from ..utils import build_submodel, check_class_counts
from ..utils.keyed_random import keyed_generator
from ..utils.loss_terms import LossTerms
from ..utils.pair_checks import check_input_channels
from ..utils.teacher_inputs import infer_input_shape, teacher_normalization
from .base import TeacherStudentModel

ORDERS = ('generator_first', 'student_first')
STUDENT_BATCHES = ('same', 'fresh', 'generator')
MODES = ('train', 'eval')
#: what a generator loss term may read (its attribute ``inputs``)
GENERATOR_STEP_INPUTS = ('images', 'teacher_logits', 'teacher_features',
                         'teacher_bn_statistics', 'student_logits')

Batch = Tuple[torch.Tensor, Dict[str, torch.Tensor]]


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

    The algorithms (:class:`ZSKT`, :class:`DAFL`, :class:`DFAD`,
    :class:`DFQ`) are this loop with their papers' terms and settings; each
    ends its ``__init__`` with :meth:`probe_shapes`. No
    training data is read: noise is drawn from a counter-based generator
    keyed by (seed, rank, iteration, step), so ranks draw different noise
    and a resumed run draws what the uninterrupted run would.

    Args:
        teacher (dict | nn.Module): The teacher classifier (an mmpretrain
            ``ImageClassifier`` config, ``dict(cfg_path=..., **overrides)``
            or a module); frozen and always in eval mode.
        student (dict | nn.Module): The student classifier, same forms.
        generator (dict | nn.Module): The generator. Unset
            ``out_channels``/``img_size`` follow ``input_shape``; unset
            ``mean``/``std`` of an image-space (``output='sigmoid'``)
            :class:`UpsampleGenerator` follow the teacher's normalisation.
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
        noise_seed (int, optional): Seed of the noise stream. None draws it
            from torch's global generator, i.e. from the run's seed.
            Defaults to None.
        trust_teacher_ckpt (bool): Unpickle the teacher checkpoint without
            torch's ``weights_only`` safety. Defaults to False.
        data_preprocessor (dict, optional): Preprocessor of the real
            evaluation images; its ``mean``/``std`` are the teacher's
            normalisation. Defaults to None.
        init_cfg (dict, optional): Initialisation config. Defaults to None.
    """

    def __init__(self,
                 teacher: Union[dict, nn.Module],
                 student: Union[dict, nn.Module],
                 generator: Union[dict, nn.Module],
                 generator_losses: Dict[str, dict],
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
                 noise_seed: Optional[int] = None,
                 trust_teacher_ckpt: bool = False,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        self._check_settings(input_shape, batch_size, generator_steps,
                             student_steps, order, student_batch,
                             student_mode_in_generator_step,
                             generator_mode_for_student)
        super().__init__(teacher, student, teacher_ckpt, trust_teacher_ckpt,
                         data_preprocessor, init_cfg)
        if input_shape is None:
            input_shape = infer_input_shape(self.teacher, teacher,
                                            'model.input_shape')
        self.input_shape = tuple(input_shape)
        self.batch_size = batch_size
        self.generator_steps = generator_steps
        self.student_steps = student_steps
        self.order = order
        self.student_batch = student_batch
        self.student_mode_in_generator_step = student_mode_in_generator_step
        self.generator_mode_for_student = generator_mode_for_student

        self.generator = build_submodel(
            self._generator_defaults(generator, teacher, data_preprocessor),
            'generator')
        self.latent_dim = self.generator.latent_dim

        self.generator_losses = LossTerms(
            generator_losses,
            self.teacher,
            available=GENERATOR_STEP_INPUTS,
            feature_layer=feature_layer,
            bn_momentum=bn_momentum,
            owner='generator_losses')
        self.student_loss = MODELS.build(student_loss)
        self.needs_student = self.generator_losses.needs_student

        if noise_seed is None:
            noise_seed = int(torch.randint(0, 2**31 - 1, ()).item())
        self.noise_seed = int(noise_seed)
        self.num_iters = 0

    # ------------------------------------------------------------------
    # construction helpers
    @staticmethod
    def _check_settings(input_shape, batch_size, generator_steps,
                        student_steps, order, student_batch,
                        student_mode_in_generator_step,
                        generator_mode_for_student) -> None:
        if input_shape is not None and len(input_shape) != 3:
            raise ValueError('`input_shape` must be (C, H, W), but got '
                             f'{input_shape}.')
        for name, value in (('batch_size', batch_size), ('generator_steps',
                                                         generator_steps),
                            ('student_steps', student_steps)):
            if isinstance(value,
                          bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f'`{name}` must be an integer >= 1, but '
                                 f'got {value!r}.')
        for name, value, allowed in (('order', order,
                                      ORDERS), ('student_batch', student_batch,
                                                STUDENT_BATCHES),
                                     ('student_mode_in_generator_step',
                                      student_mode_in_generator_step, MODES),
                                     ('generator_mode_for_student',
                                      generator_mode_for_student, MODES)):
            if value not in allowed:
                raise ValueError(f'`{name}` must be one of {allowed}, but got '
                                 f'{value!r}.')
        if student_batch == 'generator' and order != 'generator_first':
            raise ValueError('`student_batch="generator"` reuses the '
                             'generator step\'s images, so `order` must be '
                             '"generator_first".')

    def _generator_defaults(self, generator, teacher_spec,
                            data_preprocessor) -> Union[dict, nn.Module]:
        if isinstance(generator, nn.Module):
            return generator
        generator = copy.deepcopy(generator)
        channels, height, width = self.input_shape
        if height != width:
            raise ValueError('The generator makes square images, but the '
                             f'teacher input is {height} x {width}.')
        generator.setdefault('out_channels', channels)
        generator.setdefault('img_size', height)
        generator_cls = MODELS.get(generator.get('type', ''))
        if isinstance(generator_cls, type) and issubclass(
                generator_cls,
                UpsampleGenerator) and generator.get('mean') is None:
            # the teacher's normalisation, used by image-space outputs
            found = teacher_normalization(teacher_spec, data_preprocessor)
            if found is not None:
                generator.update(found)
        return generator

    @torch.no_grad()
    def probe_shapes(self) -> Dict[str, torch.Tensor]:
        """Run each network once on a tiny batch so that wrong shapes, class
        counts and layer names fail now, not after hours of training.

        Returns the generator-step inputs of that batch.
        """
        modes = {m: m.training for m in (self.student, self.generator)}
        self.student.eval()
        self.generator.eval()
        try:
            fake = self.generator(torch.zeros(2, self.latent_dim))
            if tuple(fake.shape[1:]) != self.input_shape:
                raise ValueError(
                    f'The generator makes images of shape '
                    f'{tuple(fake.shape[1:])} but the teacher takes '
                    f'`input_shape={self.input_shape}`; set the generator\'s '
                    '`out_channels`/`img_size` to match (or leave them '
                    'unset to follow `input_shape`).')
            check_input_channels(
                dict(teacher=self.teacher, student=self.student),
                self.input_shape)
            inputs = self._generator_inputs(fake, with_student=True)
            check_class_counts(inputs['teacher_logits'],
                               inputs['student_logits'])
            return inputs
        finally:
            for module, mode in modes.items():
                module.train(mode)

    # ------------------------------------------------------------------
    # state
    def get_extra_state(self) -> torch.Tensor:
        """The noise stream's position ``[noise_seed, num_iters]``, saved with
        the weights (a tensor, so mmengine can broadcast it)."""
        return torch.tensor([self.noise_seed, self.num_iters])

    def set_extra_state(self, state: torch.Tensor) -> None:
        self.noise_seed, self.num_iters = (int(v) for v in state.tolist())

    # ------------------------------------------------------------------
    # training
    def sample_noise(self, iteration: int, step: int) -> torch.Tensor:
        """Latent noise for one step, a pure function of (seed, rank,
        iteration, step)."""
        device = next(self.generator.parameters()).device
        rng = keyed_generator((self.noise_seed, get_rank(), iteration, step),
                              device)
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
        if self.order == 'student_first':
            log_vars.update(
                self._student_steps(iteration, None, optim_wrapper['student']))
        generator_batch = None
        z = self.sample_noise(iteration, 0)
        for _ in range(self.generator_steps):
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
            self.student.train(self.student_mode_in_generator_step == 'train')
        try:
            with generator_ow.optim_context(self.generator), \
                    self._student_no_sync():
                images = self.generator(z)
                inputs = self._generator_inputs(images, self.needs_student)
                losses = self.generator_losses(inputs)
        finally:
            self.student.train(student_mode)
        loss = sum(losses.values())
        params = [p for p in self.generator.parameters() if p.requires_grad]
        generator_ow.backward(generator_ow.scale_loss(loss), inputs=params)
        if generator_ow.should_update():
            generator_ow.step()
            generator_ow.zero_grad()
        log_vars = {'loss_generator': loss.detach()}
        if len(losses) > 1:
            log_vars.update({
                f'generator/{name}': value.detach()
                for name, value in losses.items()
            })
        batch = (images.detach(),
                 dict(teacher_logits=inputs['teacher_logits'].detach()))
        return log_vars, batch

    @torch.no_grad()
    def make_batch(self, z: torch.Tensor) -> Batch:
        """Images from the current generator (in
        ``generator_mode_for_student``) and the teacher's targets for them,
        without autograd history."""
        generator_mode = self.generator.training
        self.generator.train(self.generator_mode_for_student == 'train')
        try:
            images = self.generator(z)
        finally:
            self.generator.train(generator_mode)
        return images, self.teacher_targets(images)

    def teacher_targets(self, images: torch.Tensor) -> Dict[str, torch.Tensor]:
        """The teacher's outputs the student steps learn from."""
        return dict(teacher_logits=self.teacher(images, mode='tensor'))

    def _student_steps(self, iteration: int, generator_batch: Optional[Batch],
                       student_ow: OptimWrapper) -> Dict[str, torch.Tensor]:
        log_vars: Dict[str, torch.Tensor] = {}
        batch = generator_batch if self.student_batch == 'generator' else None
        for step in range(self.student_steps):
            if self.student_batch == 'fresh':
                batch = self.make_batch(
                    self.sample_noise(iteration, self.generator_steps + step))
            elif batch is None:
                batch = self.make_batch(self.sample_noise(iteration, 0))
            log_vars = self._student_step(*batch, student_ow)
        return log_vars

    def student_losses(
            self, images: torch.Tensor,
            targets: Dict[str, torch.Tensor]) -> Dict[str, torch.Tensor]:
        """The student's losses on one batch (inside its optim context)."""
        student_logits = self.student(images, mode='tensor')
        return {
            'loss_distill':
            self.student_loss(student_logits, targets['teacher_logits'])
        }

    def _student_step(self, images: torch.Tensor, targets: Dict[str,
                                                                torch.Tensor],
                      student_ow: OptimWrapper) -> Dict[str, torch.Tensor]:
        with student_ow.optim_context(self.student):
            losses = self.student_losses(images, targets)
        loss, log_vars = self.parse_losses(losses)
        student_ow.update_params(loss)
        log_vars['loss_student'] = log_vars.pop('loss')
        return {k: v.detach() for k, v in log_vars.items()}
