# Copyright (c) mmrazor_zs contributors. All rights reserved.
import contextlib
import copy
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmengine.dist import get_rank
from mmengine.optim import OptimWrapper, OptimWrapperDict

from mmrazor_zs.registry import MODELS
from ..utils import (FeatureTaps, as_layer_pairs, build_submodel,
                     check_attention_pairs, check_class_counts)
from ..utils.pair_checks import LayerPair, check_input_channels
from ..utils.teacher_inputs import infer_input_shape
from .base import TeacherStudentModel

STUDENT_BATCH_MODES = ('same', 'fresh')


@MODELS.register_module()
class ZSKT(TeacherStudentModel):
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
    No training data is read: noise is drawn from a counter-based generator
    keyed by (seed, rank, iteration, step), so every rank draws different
    noise and a resumed run draws the noise the uninterrupted run would.

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
        self._check_settings(input_shape, batch_size, generator_steps,
                             student_steps, student_batch)
        super().__init__(teacher, student, teacher_ckpt, trust_teacher_ckpt,
                         data_preprocessor, init_cfg)
        if input_shape is None:
            input_shape = infer_input_shape(self.teacher, teacher,
                                            'model.input_shape')
        self.input_shape = tuple(input_shape)
        self.batch_size = batch_size
        self.generator_steps = generator_steps
        self.student_steps = student_steps
        self.student_batch = student_batch

        self.generator = build_submodel(
            self._generator_defaults(generator), 'generator')
        self.latent_dim = self.generator.latent_dim

        self.student_loss = MODELS.build(student_loss)
        if generator_loss is None:
            generator_loss = dict(copy.deepcopy(student_loss), loss_weight=-1.)
        self.generator_loss = MODELS.build(generator_loss)
        if not self.generator_loss.loss_weight < 0:
            raise ValueError(
                'The generator maximises the teacher-student divergence, so '
                '`generator_loss.loss_weight` must be negative, but got '
                f'{self.generator_loss.loss_weight}.')
        self.at_loss = MODELS.build(at_loss)
        self.at_pairs = as_layer_pairs(at_pairs)
        self.student_taps = FeatureTaps(
            self.student, [s for s, _ in self.at_pairs], 'student')
        self.teacher_taps = FeatureTaps(
            self.teacher, [t for _, t in self.at_pairs], 'teacher')

        if noise_seed is None:
            noise_seed = int(torch.randint(0, 2**31 - 1, ()).item())
        self.noise_seed = int(noise_seed)
        self.num_iters = 0
        self._probe_shapes()

    # ------------------------------------------------------------------
    # construction helpers
    @staticmethod
    def _check_settings(input_shape, batch_size, generator_steps,
                        student_steps, student_batch) -> None:
        if input_shape is not None and len(input_shape) != 3:
            raise ValueError('`input_shape` must be (C, H, W), but got '
                             f'{input_shape}.')
        for name, value, low in (('batch_size', batch_size, 1),
                                 ('generator_steps', generator_steps, 1),
                                 ('student_steps', student_steps, 1)):
            if not isinstance(value, int) or value < low:
                raise ValueError(f'`{name}` must be an integer >= {low}, but '
                                 f'got {value!r}.')
        if student_batch not in STUDENT_BATCH_MODES:
            raise ValueError(f'`student_batch` must be one of '
                             f'{STUDENT_BATCH_MODES}, but got '
                             f'{student_batch!r}.')

    def _generator_defaults(self, generator):
        if isinstance(generator, nn.Module):
            return generator
        generator = copy.deepcopy(generator)
        channels, height, width = self.input_shape
        if height != width:
            raise ValueError('The generator makes square images, but the '
                             f'teacher input is {height} x {width}.')
        generator.setdefault('out_channels', channels)
        generator.setdefault('img_size', height)
        return generator

    @torch.no_grad()
    def _probe_shapes(self) -> None:
        """Run each network once on a tiny batch so that wrong shapes, class
        counts and layer names fail now, not after hours of training."""
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
            with self.teacher_taps.record():
                teacher_logits = self.teacher(fake, mode='tensor')
            with self.student_taps.record():
                student_logits = self.student(fake, mode='tensor')
            check_class_counts(teacher_logits, student_logits)
            check_attention_pairs(self.at_pairs, self.student_taps.features(),
                                  self.teacher_taps.features())
        finally:
            for module, mode in modes.items():
                module.train(mode)

    # ------------------------------------------------------------------
    # state
    def get_extra_state(self) -> torch.Tensor:
        """The noise stream's position ``[noise_seed, num_iters]``, saved
        with the weights (a tensor, so mmengine can broadcast it)."""
        return torch.tensor([self.noise_seed, self.num_iters])

    def set_extra_state(self, state: torch.Tensor) -> None:
        self.noise_seed, self.num_iters = (int(v) for v in state.tolist())

    # ------------------------------------------------------------------
    # training
    def sample_noise(self, iteration: int, step: int) -> torch.Tensor:
        """Latent noise for one step, a pure function of (seed, rank,
        iteration, step)."""
        device = next(self.generator.parameters()).device
        key = [self.noise_seed, get_rank(), iteration, step]
        seed = 0
        for part in key:
            seed = (seed * 1_000_003 + part) % (2**62)
        rng = torch.Generator(device=device)
        rng.manual_seed(seed)
        return torch.randn(
            self.batch_size, self.latent_dim, generator=rng, device=device)

    def train_step(self, data: Optional[dict],
                   optim_wrapper: OptimWrapperDict) -> Dict[str, torch.Tensor]:
        """One ZSKT iteration: generator steps, then student steps.

        Args:
            data: Ignored; ZSKT reads no training data.
            optim_wrapper (OptimWrapperDict): Holds 'generator' and
                'student' optimizer wrappers.
        """
        generator_ow = optim_wrapper['generator']
        student_ow = optim_wrapper['student']
        iteration = self.num_iters
        z = self.sample_noise(iteration, 0)
        log_vars: Dict[str, torch.Tensor] = {}
        for _ in range(self.generator_steps):
            log_vars['loss_generator'] = self._generator_step(z, generator_ow)

        for step in range(self.student_steps):
            if step == 0 or self.student_batch == 'fresh':
                if self.student_batch == 'fresh':
                    z = self.sample_noise(iteration,
                                          self.generator_steps + step)
                images, teacher_logits, teacher_feats = self._pseudo_batch(z)
            student_log = self._student_step(images, teacher_logits,
                                             teacher_feats, student_ow)
        log_vars.update(student_log)
        self.num_iters += 1
        return log_vars

    def _generator_step(self, z: torch.Tensor,
                        generator_ow: OptimWrapper) -> torch.Tensor:
        """Update G to maximise the divergence; the student is not updated
        and accumulates no gradient."""
        with generator_ow.optim_context(self.generator), \
                self._student_no_sync():
            images = self.generator(z)
            teacher_logits = self.teacher(images, mode='tensor')
            student_logits = self.student(images, mode='tensor')
            loss = self.generator_loss(student_logits, teacher_logits)
        params = [p for p in self.generator.parameters() if p.requires_grad]
        generator_ow.backward(generator_ow.scale_loss(loss), inputs=params)
        if generator_ow.should_update():
            generator_ow.step()
            generator_ow.zero_grad()
        return loss.detach()

    @torch.no_grad()
    def _pseudo_batch(
        self, z: torch.Tensor
    ) -> Tuple[torch.Tensor, torch.Tensor, List[torch.Tensor]]:
        """Images from the current generator and the teacher's view of
        them, without autograd history."""
        images = self.generator(z)
        with self.teacher_taps.record():
            teacher_logits = self.teacher(images, mode='tensor')
        return images, teacher_logits, self.teacher_taps.features()

    def _student_step(self, images: torch.Tensor,
                      teacher_logits: torch.Tensor,
                      teacher_feats: List[torch.Tensor],
                      student_ow: OptimWrapper) -> Dict[str, torch.Tensor]:
        with student_ow.optim_context(self.student):
            with self.student_taps.record():
                student_logits = self.student(images, mode='tensor')
            losses = {
                'loss_kl': self.student_loss(student_logits, teacher_logits)
            }
            if self.at_pairs:
                losses['loss_at'] = sum(
                    self.at_loss(s, t) for s, t in zip(
                        self.student_taps.features(), teacher_feats))
        loss, log_vars = self.parse_losses(losses)
        student_ow.update_params(loss)
        log_vars['loss_student'] = log_vars.pop('loss')
        return {k: v.detach() for k, v in log_vars.items()}

    def _student_no_sync(self):
        """DDP's ``no_sync`` on the student if it is wrapped: the generator
        step must not make DDP wait for student gradients."""
        no_sync = getattr(self.student, 'no_sync', None)
        return no_sync() if no_sync is not None else contextlib.nullcontext()
