# Copyright (c) mmrazor_zs contributors. All rights reserved.
import time
from typing import Dict, Optional, Sequence, Union

import torch
import torch.nn as nn
from mmengine.dist import barrier, get_dist_info
from mmengine.optim import OptimWrapperDict

from mmrazor_zs.datasets.image_pool import ImagePool
from mmrazor_zs.registry import MODELS
from ..augments.differentiable import random_crop_flip
from ..utils import check_class_counts
from ..utils.keyed_random import keyed_generator
from ..utils.pair_checks import check_input_channels
from ..utils.teacher_inputs import infer_input_shape, teacher_normalization
from .base import TeacherStudentModel


class InversionDistiller(TeacherStudentModel):
    """Distillation on a growing pool of synthesised images: the loop of the
    inversion and memory family (DeepInversion / ADI, CMI, Fast).

    Before the first student step ``warmup_rounds + 1`` synthesis rounds
    run (``warmup_rounds`` when ``round_interval`` is None), then one more
    before every ``round_interval``-th student step. A round asks the
    ``synthesizer`` for a batch (see :class:`InversionSynthesizer`), whose
    pixels go to the :class:`ImagePool` in the work dir, one shard per
    (round, rank). Each student step (one iteration) takes ``batch_size``
    pool images, without replacement within a pass over the pool (a new
    permutation per pass, drawn afresh after every round, as the zoo's new
    shuffled DataLoader after each addition), augments them
    (``pool_augment``: pad-crop-flip, as the CIFAR training pipeline the
    zoo re-reads its pool with), lets the teacher label them and minimises
    ``student_loss``. Offline synthesis (NVlabs' DeepInversion: every image
    first, then distillation) is ``round_interval=None`` with the number
    of batches as ``warmup_rounds``.

    Everything is keyed by (seed, rank, round or iteration): a resumed run
    redoes what the uninterrupted one did, and rewrites the same shards.
    The round counter travels in the checkpoint; the synthesizer's own
    state (a meta-generator, a memory bank, moving averages, persistent
    optimisers) is part of its ``state_dict``.

    Args:
        teacher (dict | nn.Module): The teacher classifier, frozen.
        student (dict | nn.Module): The student classifier.
        synthesizer (dict): An :class:`InversionSynthesizer` config; its
            teacher, input shape, class count and normalisation are filled
            in.
        student_loss (dict): Loss on (student logits, teacher logits).
            Defaults to the zoo's ``KLDiv(T=20)``:
            ``KLDivergence(tau=20, reduction='batchmean', loss_weight=400)``.
        teacher_ckpt (str, optional): Teacher checkpoint (path or URL).
        input_shape (Sequence[int], optional): The teacher's (C, H, W);
            None infers it. Defaults to None.
        batch_size (int): Pool images per student step and rank.
            Defaults to 256.
        round_interval (int, optional): Student steps per synthesis round
            (the zoo's ``kd_steps``); None: no round after the warm-up.
            Defaults to 400.
        warmup_rounds (int): Rounds before the first student step (Fast's
            ``warmup``). Defaults to 0.
        pool_augment (dict): ``random_crop_flip`` arguments of the student
            batches (``padding``, ``flip``). Defaults to
            ``dict(padding=4, flip=True)``.
        seed (int, optional): Seed of the synthesis and sampling streams;
            None draws it from the run's seed. Defaults to None.
        trust_teacher_ckpt (bool): Unpickle the teacher checkpoint without
            ``weights_only``. Defaults to False.
        data_preprocessor (dict, optional): Preprocessor of real images; its
            ``mean``/``std`` are the teacher's normalisation.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 teacher: Union[dict, nn.Module],
                 student: Union[dict, nn.Module],
                 synthesizer: dict,
                 student_loss: dict = dict(
                     type='KLDivergence',
                     tau=20.0,
                     reduction='batchmean',
                     loss_weight=400.0),
                 teacher_ckpt: Optional[str] = None,
                 input_shape: Optional[Sequence[int]] = None,
                 batch_size: int = 256,
                 round_interval: Optional[int] = 400,
                 warmup_rounds: int = 0,
                 pool_augment: dict = dict(padding=4, flip=True),
                 seed: Optional[int] = None,
                 trust_teacher_ckpt: bool = False,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        if round_interval is not None and (not isinstance(round_interval, int)
                                           or round_interval < 1):
            raise ValueError('`round_interval` must be an integer >= 1 or '
                             f'None, but got {round_interval!r}.')
        if not isinstance(warmup_rounds, int) or warmup_rounds < 0:
            raise ValueError('`warmup_rounds` must be an integer >= 0, but '
                             f'got {warmup_rounds!r}.')
        if round_interval is None and warmup_rounds < 1:
            raise ValueError('With `round_interval=None` every round runs '
                             'before training, so `warmup_rounds` must be '
                             '>= 1.')
        super().__init__(teacher, student, teacher_ckpt, trust_teacher_ckpt,
                         data_preprocessor, init_cfg)
        if input_shape is None:
            input_shape = infer_input_shape(self.teacher, teacher,
                                            'model.input_shape')
        self.input_shape = tuple(input_shape)
        self.batch_size = batch_size
        self.round_interval = round_interval
        self.warmup_rounds = warmup_rounds
        self.pool_augment = dict(pool_augment)
        normalization = self._normalization(teacher, data_preprocessor)
        self.student_loss = MODELS.build(student_loss)
        with torch.no_grad():
            check_input_channels(
                dict(teacher=self.teacher, student=self.student),
                self.input_shape)
            probe = torch.zeros((2, ) + self.input_shape)
            teacher_logits = self.teacher(probe, mode='tensor')
            was_training = self.student.training
            self.student.eval()
            check_class_counts(teacher_logits,
                               self.student(probe, mode='tensor'))
            self.student.train(was_training)
        self.synthesizer = MODELS.build(
            synthesizer,
            default_args=dict(
                teacher=self.teacher,
                input_shape=self.input_shape,
                num_classes=teacher_logits.shape[1],
                **normalization))
        if seed is None:
            seed = int(torch.randint(0, 2**31 - 1, ()).item())
        self.seed = int(seed)
        self.num_iters = 0
        self.rounds_done = 0
        self.synthesis_seconds = 0.0
        self.pool: Optional[ImagePool] = None
        self._pool_images: Optional[torch.Tensor] = None

    @staticmethod
    def _normalization(teacher_spec, data_preprocessor) -> dict:
        found = teacher_normalization(teacher_spec, data_preprocessor)
        if found is None:
            raise ValueError(
                'The synthesizer makes pixels and needs the teacher\'s '
                'normalisation; set `data_preprocessor` with `mean` and `std` '
                '(0..255 scale), or give the teacher by its config file '
                '(`teacher=dict(cfg_path=...)`) whose data_preprocessor has '
                'them.')
        return found

    # ------------------------------------------------------------------
    # state
    def get_extra_state(self) -> torch.Tensor:
        """``[seed, num_iters, rounds_done]`` (a tensor, so mmengine can
        broadcast it); the synthesis time travels with the
        :class:`DistillSummaryHook`'s record, as it is not reproducible."""
        return torch.tensor([self.seed, self.num_iters, self.rounds_done])

    def set_extra_state(self, state: torch.Tensor) -> None:
        self.seed, self.num_iters, self.rounds_done = (
            int(v) for v in state.tolist())
        self._pool_images = None

    def attach_pool(self, folder: str) -> None:
        """Keep the synthesised images in ``folder`` (the
        :class:`ImagePoolHook` calls this with a folder in the work dir)."""
        rank, world_size = get_dist_info()
        self.pool = ImagePool(folder, rank, world_size)
        self._pool_images = None

    def synthesis_summary(self) -> Dict[str, float]:
        """Synthesis time and synthesised images so far (all ranks), as the
        Fast paper reports them."""
        _, world_size = get_dist_info()
        return dict(
            synthesis_time_s=round(self.synthesis_seconds, 1),
            synthesized_images=self.rounds_done * self.synthesizer.batch_size *
            world_size)

    # ------------------------------------------------------------------
    # training
    def rounds_due(self, iteration: int) -> int:
        """Rounds done before the student step of ``iteration``."""
        if self.round_interval is None:
            return self.warmup_rounds
        return self.warmup_rounds + iteration // self.round_interval + 1

    def train_step(self, data: Optional[dict],
                   optim_wrapper: OptimWrapperDict) -> Dict[str, torch.Tensor]:
        """Synthesis rounds when due, then one student step on the pool.

        Args:
            data: Ignored; no training data is read.
            optim_wrapper (OptimWrapperDict): Holds the 'student' wrapper.
        """
        if self.pool is None:
            raise RuntimeError(
                f'{type(self).__name__} keeps its images in an image pool '
                'in the work dir; add `dict(type=\'ImagePoolHook\')` to '
                '`custom_hooks`.')
        log_vars: Dict[str, torch.Tensor] = {}
        if self.rounds_done < self.rounds_due(self.num_iters):
            log_vars.update(
                self._synthesize_until(self.rounds_due(self.num_iters)))
        if self._pool_images is None:
            self._pool_images = self.pool.load(
                before_round=self.rounds_done).to(self._device())
        log_vars.update(self._student_step(optim_wrapper['student']))
        self.num_iters += 1
        return log_vars

    def _synthesize_until(self, rounds: int) -> Dict[str, torch.Tensor]:
        rank, world_size = get_dist_info()
        device = self._device()
        log_vars: Dict[str, torch.Tensor] = {}
        self._sync(device)
        start = time.perf_counter()
        while self.rounds_done < rounds:
            rng = keyed_generator((self.seed, rank, 0, self.rounds_done))
            with self._student_no_sync():
                synthesis = self.synthesizer.synthesize(
                    self.teacher, self.student, self.rounds_done, rng)
            self.pool.add(synthesis.pixels, self.rounds_done)
            log_vars = synthesis.log_vars
            self.rounds_done += 1
        self._sync(device)
        self.synthesis_seconds += time.perf_counter() - start
        if world_size > 1:
            barrier()  # every rank's shards are written
        self._pool_images = None
        return log_vars

    def _device(self) -> torch.device:
        return next(self.student.parameters()).device

    @staticmethod
    def _sync(device: torch.device) -> None:
        """Wait for the device (synthesis time counts finished work)."""
        if device.type == 'cuda':
            torch.cuda.synchronize(device)

    def pool_batch_indices(self, iteration: int,
                           pool_size: int) -> torch.Tensor:
        """The pool positions of ``iteration``'s student batch: slices of a
        stream of permutations of the pool, restarted after each round."""
        rank, _ = get_dist_info()
        if self.round_interval is None:
            round_start, steps_in = 0, iteration
        else:
            round_start = iteration - iteration % self.round_interval
            steps_in = iteration % self.round_interval
        first = steps_in * self.batch_size
        last = first + self.batch_size
        passes = range(first // pool_size, (last - 1) // pool_size + 1)
        stream = torch.cat([
            torch.randperm(
                pool_size,
                generator=keyed_generator(
                    (self.seed, rank, 1, round_start, p))) for p in passes
        ])
        offset = passes[0] * pool_size
        return stream[first - offset:last - offset]

    def _student_step(self, student_ow) -> Dict[str, torch.Tensor]:
        pool = self._pool_images
        indices = self.pool_batch_indices(self.num_iters, pool.shape[0])
        rank, _ = get_dist_info()
        rng = keyed_generator((self.seed, rank, 2, self.num_iters))
        pixels = pool[indices.to(pool.device)].float().div_(255)
        pixels = random_crop_flip(pixels, generator=rng, **self.pool_augment)
        images = self.synthesizer.normalize(pixels)
        with torch.no_grad():
            teacher_logits = self.teacher(images, mode='tensor')
        with student_ow.optim_context(self.student):
            student_logits = self.student(images, mode='tensor')
            losses = dict(
                loss_distill=self.student_loss(student_logits, teacher_logits))
        loss, log_vars = self.parse_losses(losses)
        student_ow.update_params(loss)
        log_vars['loss_student'] = log_vars.pop('loss')
        return {k: v.detach() for k, v in log_vars.items()}
