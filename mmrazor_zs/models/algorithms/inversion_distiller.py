# Copyright (c) mmrazor_zs contributors. All rights reserved.
import copy
import time
from typing import Dict, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmengine.dist import barrier, get_dist_info
from mmengine.optim import OptimWrapper, OptimWrapperDict

from mmrazor_zs.registry import MODELS
from mmrazor_zs.storage import ImagePool
from mmrazor_zs.storage.image_pool import ShardedImages
from mmrazor_zs.utils import (PIXEL_ROUNDINGS, PixelSpace, check_choice,
                              check_positive_int, dequantize_pixels)
from mmrazor_zs.utils.precision import FLOAT32, Precision, precision_of
from ..augments.differentiable import (random_crop_flip,
                                       random_resized_crop_flip)
from ..utils.keyed_random import keyed_generator
from ..utils.pair_checks import check_input_channels
from .base import TeacherStudentModel

#: how the student's batches are augmented (``pool_augment.type``)
POOL_AUGMENTS = ('crop_flip', 'resized_crop_flip')
#: where the pool is kept for the student steps (``pool_storage``)
POOL_STORAGES = ('device', 'host')


class InversionDistiller(TeacherStudentModel):
    """Distillation on a growing pool of synthesised images: the loop of the
    inversion and memory family (DeepInversion / ADI, CMI, Fast).

    Before the first student step ``warmup_rounds + rounds_per_interval``
    synthesis rounds run (``warmup_rounds`` when ``round_interval`` is
    None), then ``rounds_per_interval`` more before every
    ``round_interval``-th student step. A round asks the
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
    optimisers) is part of its ``state_dict``. Rounds that depend on
    nothing but their index (a synthesizer with ``rounds_are_independent``
    whose terms do not read the student, before the first student step:
    DeepInversion's offline synthesis) are not redone when the pool
    already holds their shard whole, so a synthesis of days killed in its
    warm-up, which has no checkpoint yet, continues where it stopped (the
    :class:`ImagePoolHook` claims the folder for the run's settings, so
    the shards kept are this run's).

    A subclass states its paper's synthesizer in the class attribute
    :attr:`synthesizer_defaults`, which the ``synthesizer`` of a config
    overrides key by key.

    Args:
        teacher (dict | nn.Module): The teacher classifier, frozen.
        student (dict | nn.Module): The student classifier.
        synthesizer (dict, optional): An :class:`InversionSynthesizer`
            config, or the overrides of :attr:`synthesizer_defaults` (a
            given ``losses`` replaces the default terms); its teacher,
            input shape, class count and ``pixel_space`` are filled in.
            Defaults to None.
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
        rounds_per_interval (int): Rounds at the start of every interval
            (NAYER's ``g_loops``; the zoo's one synthesis call per epoch is
            one round). Defaults to 1.
        warmup_rounds (int): Rounds before the first interval (Fast's
            ``warmup``). Defaults to 0.
        pool_augment (dict): The student batches' augmentation: ``type``
            'crop_flip' (the default: ``random_crop_flip``'s pad-crop-flip,
            ``padding``, ``flip``) or 'resized_crop_flip' (per image a
            random resized crop of area ``scale`` and aspect ``ratio``
            back to the image size, then a flip with probability 0.5: the
            ImageNet training pipeline, torchvision's ``RandomResizedCrop``
            scale (0.08, 1)). Defaults to ``dict(padding=4, flip=True)``.
        pool_storage (str): Where the pool is kept for the student steps:
            'device' (all of it on the student's device: fastest, for pools
            that fit) or 'host' (the shards memory-mapped from disk, each
            batch gathered there and copied to the device: for pools of
            ImageNet size). Defaults to 'device'.
        pool_rounding (str): How the pool stores pixels as uint8 levels:
            'truncate', as the zju-vipa zoos' PNGs (``astype('uint8')``),
            or 'round' to the nearest level (see :class:`ImagePool`).
            Defaults to 'truncate'.
        seed (int, optional): Seed of the synthesis and sampling streams;
            None draws it from the run's seed. Defaults to None.
        trust_teacher_ckpt (bool): Unpickle the teacher checkpoint without
            ``weights_only``. Defaults to False.
        data_preprocessor (dict, optional): Preprocessor of real images; its
            ``mean``/``std`` are the teacher's normalisation (needed: the
            synthesizer makes pixels). Defaults to None.
        init_cfg (dict, optional): Initialisation config. Defaults to None.
        runtime (dict, optional): The networks' layout and compilation
            (:class:`TeacherStudentModel`). Defaults to None.

    Raises:
        ValueError: If a setting is out of range, or the teacher's
            normalisation is unknown.
    """

    #: the paper's synthesizer, overridden key by key by ``synthesizer``
    synthesizer_defaults: dict = {}
    input_shape: Tuple[int, ...]
    pixel_space: PixelSpace

    def __init__(self,
                 teacher: Union[dict, nn.Module],
                 student: Union[dict, nn.Module],
                 synthesizer: Optional[dict] = None,
                 student_loss: dict = dict(
                     type='KLDivergence',
                     tau=20.0,
                     reduction='batchmean',
                     loss_weight=400.0),
                 teacher_ckpt: Optional[str] = None,
                 input_shape: Optional[Sequence[int]] = None,
                 batch_size: int = 256,
                 round_interval: Optional[int] = 400,
                 rounds_per_interval: int = 1,
                 warmup_rounds: int = 0,
                 pool_augment: dict = dict(padding=4, flip=True),
                 pool_storage: str = 'device',
                 pool_rounding: str = 'truncate',
                 seed: Optional[int] = None,
                 trust_teacher_ckpt: bool = False,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None,
                 runtime: Optional[dict] = None) -> None:
        owner = type(self).__name__
        check_positive_int('batch_size', batch_size, owner)
        if round_interval is not None:
            check_positive_int('round_interval', round_interval, owner)
        check_positive_int('rounds_per_interval', rounds_per_interval, owner)
        check_positive_int('warmup_rounds', warmup_rounds, owner, minimum=0)
        if round_interval is None and warmup_rounds < 1:
            raise ValueError('With `round_interval=None` every round runs '
                             'before training, so `warmup_rounds` must be '
                             '>= 1.')
        super().__init__(teacher, student, teacher_ckpt, trust_teacher_ckpt,
                         data_preprocessor, init_cfg, runtime)
        self.input_shape = self.resolve_input_shape(input_shape, teacher)
        self.batch_size = batch_size
        self.round_interval = round_interval
        self.rounds_per_interval = rounds_per_interval
        self.warmup_rounds = warmup_rounds
        self.pool_augment = dict(pool_augment)
        self.pool_augment_type = self.pool_augment.pop('type', 'crop_flip')
        check_choice('pool_augment.type', self.pool_augment_type,
                     POOL_AUGMENTS, owner)
        check_choice('pool_storage', pool_storage, POOL_STORAGES, owner)
        self.pool_storage = pool_storage
        check_choice('pool_rounding', pool_rounding, PIXEL_ROUNDINGS, owner)
        self.pool_rounding = pool_rounding
        if self.pixel_space is None:
            raise ValueError(
                'The synthesizer makes pixels and needs the teacher\'s '
                'normalisation; set `data_preprocessor` with `mean` and `std` '
                '(0..255 scale), or give the teacher by its config file '
                '(`teacher=dict(cfg_path=...)`) whose data_preprocessor has '
                'them.')
        self.student_loss = MODELS.build(student_loss)
        overrides = synthesizer or {}
        self.synthesizer = MODELS.build(
            dict(copy.deepcopy(self.synthesizer_defaults), **overrides),
            default_args=dict(
                teacher=self.teacher,
                input_shape=self.input_shape,
                num_classes=self._teacher_classes(),
                pixel_space=self.pixel_space))
        self.seed = self.resolve_seed(seed)
        self.num_iters = 0
        self.rounds_done = 0
        self.synthesis_seconds = 0.0
        self.pool: Optional[ImagePool] = None
        self._pool_images: Optional[Union[torch.Tensor, ShardedImages]] = None

    @torch.no_grad()
    def _teacher_classes(self) -> int:
        """The teacher's class count, from its logits on one image of zeros
        (its input channels checked first, for a clear error)."""
        check_input_channels(dict(teacher=self.teacher), self.input_shape)
        images = torch.zeros((1, ) + self.input_shape)
        return self.teacher(images, mode='tensor').shape[1]

    # ------------------------------------------------------------------
    # state
    def get_extra_state(self) -> torch.Tensor:
        """``[seed, num_iters, rounds_done]`` (a tensor, so mmengine can
        broadcast it); the synthesis time travels with the
        :class:`DistillSummaryHook`'s record, as it is not reproducible."""
        return torch.tensor([self.seed, self.num_iters, self.rounds_done])

    def set_extra_state(self, state: torch.Tensor) -> None:
        """Restore the counters of :meth:`get_extra_state`."""
        self.seed, self.num_iters, self.rounds_done = (
            int(v) for v in state.tolist())
        self._pool_images = None

    def attach_pool(self, folder: str) -> None:
        """Keep the synthesised images in ``folder`` (the
        :class:`ImagePoolHook` calls this with a folder in the work dir)."""
        rank, world_size = get_dist_info()
        self.pool = ImagePool(folder, rank, world_size, self.pool_rounding)
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
        intervals = iteration // self.round_interval + 1
        return self.warmup_rounds + intervals * self.rounds_per_interval

    def train_step(self, data: Optional[dict],
                   optim_wrapper: OptimWrapperDict) -> Dict[str, torch.Tensor]:
        """Synthesis rounds when due, then one student step on the pool.

        Args:
            data: Ignored; no training data is read.
            optim_wrapper (OptimWrapperDict): Holds the 'student' wrapper.
        """
        pool = self.pool
        if pool is None:
            raise RuntimeError(
                f'{type(self).__name__} keeps its images in an image pool '
                'in the work dir; add `dict(type=\'ImagePoolHook\')` to '
                '`custom_hooks`.')
        log_vars: Dict[str, torch.Tensor] = {}
        if self.rounds_done < self.rounds_due(self.num_iters):
            log_vars.update(
                self._synthesize_until(pool, self.rounds_due(self.num_iters),
                                       precision_of(optim_wrapper['student'])))
        if self._pool_images is None:
            images = pool.load(
                before_round=self.rounds_done,
                mmap=self.pool_storage == 'host')
            if isinstance(images, torch.Tensor):  # 'device'
                images = images.to(self._device())
            self._pool_images = images
        log_vars.update(
            self._student_step(self._pool_images, optim_wrapper['student']))
        self.num_iters += 1
        return log_vars

    def _synthesize_until(
            self,
            pool: ImagePool,
            rounds: int,
            precision: Precision = FLOAT32) -> Dict[str, torch.Tensor]:
        """Synthesis rounds into ``pool`` until ``rounds`` are done, in the
        student wrapper's ``precision``; returns the last round's log."""
        rank, world_size = get_dist_info()
        device = self._device()
        log_vars: Dict[str, torch.Tensor] = {}
        self._sync(device)
        start = time.perf_counter()
        while self.rounds_done < rounds:
            if self._round_is_kept(pool):
                self.rounds_done += 1
                continue
            rng = keyed_generator((self.seed, rank, 0, self.rounds_done))
            with self._student_no_sync():
                synthesis = self.synthesizer.synthesize(
                    self.teacher, self.student, self.rounds_done, rng,
                    precision)
            pool.add(synthesis.pixels, self.rounds_done)
            log_vars = synthesis.log_vars
            self.rounds_done += 1
        self._sync(device)
        self.synthesis_seconds += time.perf_counter() - start
        if world_size > 1:
            barrier()  # every rank's shards are written
        self._pool_images = None
        return log_vars

    def _round_is_kept(self, pool: ImagePool) -> bool:
        """Whether the next round is one that depends on nothing but its index
        and its shard is already whole in the (claimed) pool."""
        synthesizer = self.synthesizer
        return (self.num_iters == 0 and synthesizer.rounds_are_independent
                and not synthesizer.losses.needs_student
                and pool.has_round(self.rounds_done))

    def _device(self) -> torch.device:
        """The student's device."""
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

    def augment_pool_batch(self, pixels: torch.Tensor,
                           rng: torch.Generator) -> torch.Tensor:
        """The configured ``pool_augment`` of a student batch."""
        if self.pool_augment_type == 'crop_flip':
            return random_crop_flip(pixels, generator=rng, **self.pool_augment)
        return random_resized_crop_flip(
            pixels, generator=rng, **self.pool_augment)

    def _student_step(self, pool: Union[torch.Tensor, ShardedImages],
                      student_ow: OptimWrapper) -> Dict[str, torch.Tensor]:
        """One student step on a batch of the ``pool``'s uint8 images."""
        indices = self.pool_batch_indices(self.num_iters, pool.shape[0])
        rank, _ = get_dist_info()
        rng = keyed_generator((self.seed, rank, 2, self.num_iters))
        pixels = dequantize_pixels(pool[indices.to(pool.device)].to(
            self._device(), non_blocking=True))
        pixels = self.augment_pool_batch(pixels, rng)
        images = self.pixel_space.normalize(pixels)
        with student_ow.optim_context(self.student):
            with torch.no_grad():
                teacher_logits = self.teacher(images, mode='tensor')
            student_logits = self.student(images, mode='tensor')
            losses = dict(
                loss_distill=self.student_loss(student_logits, teacher_logits))
        return self.update_student(losses, student_ow)
