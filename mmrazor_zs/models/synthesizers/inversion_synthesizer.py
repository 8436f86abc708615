# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""The synthesis round shared by the inversion methods.

A round makes one batch of images from the teacher (and, for the adversarial
terms, against the student): start from fresh parameters (an image tensor,
latent codes, a generator), take ``steps`` optimiser steps on a weighted sum of
loss terms computed on an augmented view of the batch, and keep the iterate of
lowest loss. DeepInversion optimises the pixels, CMI a re-initialised generator
and its codes, Fast a copy of a meta-learned generator; each subclass says what
is optimised (:meth:`begin_round`, :meth:`render`), how its optimisers step
(:meth:`step`) and what happens around a step. The gradients are computed here,
once for every method: :func:`round_backward` asks autograd for the round's own
tensors only.
"""
import io
from typing import Dict, List, NamedTuple, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmengine.dist import all_reduce, broadcast, get_world_size

from mmrazor_zs.utils import (PixelSpace, check_choice, check_positive_int,
                              temporarily_eval)
from mmrazor_zs.utils.precision import FLOAT32, Precision
from ..augments.differentiable import (jitter_and_flip, random_crop_flip,
                                       random_resized_crop_flip)
from ..utils.build import BuildTimeProbe
from ..utils.loss_terms import TERM_INPUTS, LossTerms, sum_of

LABELS = ('random', 'cycle', 'balanced')
KEEP = ('best', 'best_after_step', 'last', 'last_step')
AUGMENTS = ('jitter_flip', 'crop_flip', 'resized_crop_flip', 'jitter_crop')


def round_backward(loss: torch.Tensor,
                   tensors: Sequence[torch.Tensor],
                   loss_scale: float = 1.0) -> None:
    """The gradients of a synthesis step: those of ``loss`` with respect to the
    round's own ``tensors`` and nothing else.

    The tensors' earlier gradients are dropped first; ``backward(inputs=...)``
    leaves every other leaf autograd reaches (the student's and the teacher's
    weights) without a gradient, so a subclass cannot leak one. A
    ``loss_scale`` other than 1 (float16: ``Precision`` of
    ``mmrazor_zs.utils.precision``) multiplies the loss before the backward
    pass and divides the tensors' gradients after it, so they come out
    unscaled.
    """
    for tensor in tensors:
        tensor.grad = None
    if loss_scale == 1.0:
        loss.backward(inputs=list(tensors))
        return
    (loss * loss_scale).backward(inputs=list(tensors))
    for tensor in tensors:
        if tensor.grad is not None:
            tensor.grad.div_(loss_scale)


def average_gradients_over_ranks(parameters) -> None:
    """Under DDP, replace each gradient by its mean over the ranks, so that a
    synthesizer's persistent networks step identically everywhere."""
    if get_world_size() == 1:
        return
    for param in parameters:
        if param.grad is not None:
            all_reduce(param.grad, op='mean')


def broadcast_from_first_rank(tensors) -> None:
    """Under DDP, overwrite ``tensors`` on every rank with rank 0's values (a
    network drawn or updated per rank made the same everywhere)."""
    if get_world_size() == 1:
        return
    for tensor in tensors:
        broadcast(tensor, src=0)


def keep_lower(
    loss: torch.Tensor, best_loss: Optional[torch.Tensor],
    current: Dict[str, torch.Tensor],
    kept: Dict[str,
               torch.Tensor]) -> Tuple[torch.Tensor, Dict[str, torch.Tensor]]:
    """The lower of ``loss`` and ``best_loss`` and the tensors kept with it:

    ``current`` (detached) when ``loss`` is lower or first. Chosen on the
    device: no host synchronisation.
    """
    loss = loss.detach()
    if best_loss is None:
        return loss.clone(), {
            k: v.detach().clone()
            for k, v in current.items()
        }
    better = loss < best_loss
    return torch.where(better, loss, best_loss), {
        k: torch.where(better, v.detach(), kept[k])
        for k, v in current.items()
    }


class Synthesis(NamedTuple):
    """What a round made: ``pixels`` (N, C, H, W) in [0, 1] without history,
    the ``labels`` they were made for, and log values."""
    pixels: torch.Tensor
    labels: torch.Tensor
    log_vars: Dict[str, torch.Tensor]


class InversionSynthesizer(BuildTimeProbe, nn.Module):
    """A synthesis round: ``steps`` steps on the loss terms, the batch of
    lowest loss kept.

    Each step renders the batch (pixels with autograd history), augments it
    (``augment``), normalises it with the teacher's ``pixel_space``, runs
    the teacher (and the student in eval mode, when a term reads it) and
    minimises the sum of ``losses`` (plus :meth:`extra_losses`) over the
    round's tensors only: the gradients are computed here
    (:func:`round_backward`), and a subclass's :meth:`step` applies them.
    The lowest-loss iterate is tracked on the
    device (no host synchronisation per step); ``keep='last'`` keeps the
    batch after the last step instead, which is what the released
    DeepInversion codes save (``best_inputs = inputs.data`` aliases the
    optimised tensor: NVlabs/DeepInversion 2413af1,
    ``cifar10/deepinversion_cifar10.py`` line 196; zju-vipa/DataFree
    9e79fa9, ``datafree/synthesis/deepinversion.py`` line 100).

    Args:
        teacher (nn.Module): The teacher, hooked for the terms (not kept as
            a submodule).
        input_shape (Sequence[int]): The teacher's input (C, H, W).
        num_classes (int): The teacher's classes.
        pixel_space (PixelSpace): The teacher's pixel space (the algorithm
            passes it, from its ``data_preprocessor``).
        losses (dict): Name -> loss term config; terms may read
            ``images`` (the augmented, normalised view), ``synthesized_
            images`` (normalised, before augmentation), ``labels``,
            ``teacher_logits``, ``teacher_features``,
            ``teacher_bn_statistics`` and ``student_logits``.
        batch_size (int): Images per round and rank. Defaults to 256.
        steps (int): Optimiser steps per round. Defaults to 1000.
        augment (dict): ``type`` 'jitter_flip' (DeepInversion's batch-wide
            roll by up to ``max_shift`` pixels and a flip) or 'crop_flip'
            (per image: pad ``padding``, crop, flip, as the zoo's kornia
            augmentation of CMI and Fast); ``flip`` (bool); or
            'resized_crop_flip' (per image a random resized crop of area
            ``scale`` and aspect ``ratio``, then a flip: Fast's ImageNet
            view); or 'jitter_crop' (the batch-wide roll by up to
            ``max_shift`` and flip, then per image a pad-``padding`` crop
            without flip: NAYER's ImageNet view, tmtuan1307/NAYER c6bedcd
            ``datafree/synthesis/nayer.py`` lines 121-125 and 186-187).
            Defaults to
            ``dict(type='jitter_flip', max_shift=2, flip=False)``.
        labels (str | Sequence[int]): 'random': uniform classes, sorted
            (the zju-vipa zoo); 'cycle': ``0, 1, ..., K-1, 0, 1, ...``
            (NVlabs' CIFAR code); 'balanced': ``0, ..., K-1`` repeated
            ``batch_size // K`` times, then ``batch_size % K`` uniform
            classes (NAYER's ``generate_ys``); a list of classes: the list
            repeated ``batch_size // len(list)`` times, ``batch_size`` a
            multiple of its length (NVlabs' ImageNet code, 2413af1
            ``deepinversion.py`` lines 197-202, 42 classes). Defaults to
            'random'.
        keep (str): 'best', 'last' (see above) or 'best_after_step': the
            iterate the step taken on the lowest loss made, as NVlabs'
            ImageNet code keeps it (2413af1 ``deepinversion.py`` lines
            355-357: the loss is computed before ``optimizer.step()``, the
            batch cloned after it and the clip); 'last_step': the batch the
            last step computed its loss on, before that step's update (Fast's
            ImageNet code, zju-vipa/Fast-Datafree 0dcecbc
            ``datafree/synthesis/fast_meta_imagenet.py`` lines 126 and 169).
            Defaults to 'best'.
        student_terms_from_round (int): Rounds before this one skip the
            terms that read the student (Fast's warm-up: the adversarial
            term starts at the zoo's ``ep >= warmup``). Defaults to 0.
        feature_layer (str | int): Teacher layer of ``teacher_features``.
            Defaults to 'neck'.
        bn_momentum (float, optional): Momentum of the batch-norm
            statistics (Fast's form, updated once per round). Defaults to
            None.

    Raises:
        ValueError: If a setting is out of its range or choices, or
            ``pixel_space`` has a channel count other than the input's.
    """

    #: the synthesizer steps its own optimisers; the runner's optimizer
    #: wrapper leaves it alone
    trains_itself = True
    #: a round depends on nothing but its index (and the student, when a
    #: term reads it): no state carries from round to round, so a finished
    #: round need not be redone after a kill (see ``InversionDistiller``)
    rounds_are_independent = False

    def __init__(self,
                 teacher: nn.Module,
                 input_shape: Sequence[int],
                 num_classes: int,
                 pixel_space: PixelSpace,
                 losses: Dict[str, Union[dict, nn.Module]],
                 batch_size: int = 256,
                 steps: int = 1000,
                 augment: dict = dict(
                     type='jitter_flip', max_shift=2, flip=False),
                 labels: Union[str, Sequence[int]] = 'random',
                 keep: str = 'best',
                 student_terms_from_round: int = 0,
                 feature_layer: Union[str, int] = 'neck',
                 bn_momentum: Optional[float] = None) -> None:
        super().__init__()
        owner = type(self).__name__
        check_positive_int('batch_size', batch_size, owner)
        check_positive_int('steps', steps, owner)
        checked_labels = self._check_labels(labels, batch_size, num_classes,
                                            owner)
        check_choice('keep', keep, KEEP, owner)
        augment = dict(augment)
        augment_type = augment.pop('type', None)
        check_choice('augment.type', augment_type, AUGMENTS, owner)
        if pixel_space.channels != input_shape[0]:
            raise ValueError(
                f'`pixel_space` of {owner} must have {input_shape[0]} '
                f'channels (the teacher\'s input), but got '
                f'{pixel_space.channels}: {pixel_space.extra_repr()}.')
        self.pixel_space = pixel_space
        self.input_shape = tuple(input_shape)
        self.num_classes = num_classes
        self.batch_size = batch_size
        self.steps = steps
        self.augment_type = augment_type
        self.augment_args = augment
        self.labels = checked_labels
        self.keep = keep
        self.student_terms_from_round = student_terms_from_round
        self.losses = LossTerms(
            losses,
            teacher,
            available=TERM_INPUTS,
            feature_layer=feature_layer,
            bn_momentum=bn_momentum,
            owner='synthesizer.losses')

    @staticmethod
    def _check_labels(labels: Union[str, Sequence[int]], batch_size: int,
                      num_classes: int, owner: str) -> Union[str, List[int]]:
        """``labels`` checked: a choice of :data:`LABELS`, or a list of classes
        of the teacher whose length divides ``batch_size``."""
        if isinstance(labels, str):
            check_choice('labels', labels, LABELS, owner)
            return labels
        classes = list(labels)
        if not classes or any(
                isinstance(c, bool) or not isinstance(c, int)
                or not 0 <= c < num_classes for c in classes):
            raise ValueError(
                f'`labels` of {owner} must be one of {LABELS} or a list of '
                f'class indices in [0, {num_classes}), but got {labels!r}.')
        if batch_size % len(classes):
            raise ValueError(
                f'`labels` of {owner} lists {len(classes)} classes, which '
                f'does not divide `batch_size` {batch_size}: use a '
                f'multiple of {len(classes)} or fewer classes.')
        return classes

    @property
    def round_steps(self) -> int:
        """Optimiser steps per round (``steps``; DeepInversion's pooled stage
        adds its own)."""
        return self.steps

    # ------------------------------------------------------------------
    # what a subclass provides
    def begin_round(self, round_index: int,
                    rng: torch.Generator) -> List[torch.Tensor]:
        """Set up the round's parameters and optimiser; return the round's own
        tensors, the only ones that receive gradients (leaves that require
        them, never a weight of the teacher or the student)."""
        raise NotImplementedError

    def render(self) -> torch.Tensor:
        """The current batch as pixels in [0, 1] (with history)."""
        raise NotImplementedError

    def step(self, step: int) -> None:
        """Apply the round's optimisers to the gradients the base has just put
        into the round's tensors (never call ``backward`` here)."""
        raise NotImplementedError

    def mix(self, view: torch.Tensor, labels: torch.Tensor,
            rng: torch.Generator) -> Tuple[torch.Tensor, torch.Tensor]:
        """Mix the augmented ``view`` across the batch (CPNet's CutMix) and
        return it with what the ``labels`` input of the terms becomes (soft
        targets (N, K) once mixed); by default neither changes."""
        return view, labels

    def teacher_view_inputs(self, teacher: nn.Module,
                            view: torch.Tensor) -> Dict[str, torch.Tensor]:
        """What the terms read of the teacher on the augmented ``view`` (CMI
        also records its features here)."""
        return self.losses.teacher_inputs(teacher, view)

    def extra_losses(self, teacher: nn.Module, pixels: torch.Tensor,
                     inputs: Dict[str, torch.Tensor],
                     rng: torch.Generator) -> Dict[str, torch.Tensor]:
        """Losses beyond the configured terms (CMI's contrastive term)."""
        return {}

    def step_extras(self) -> Dict[str, torch.Tensor]:
        """Per-image tensors of the current step kept with the lowest-loss
        batch (CMI's features for its memory bank)."""
        return {}

    def end_round(self, round_index: int, kept: Dict[str,
                                                     torch.Tensor]) -> None:
        """After the last step, with the kept batch's ``pixels`` and
        :meth:`step_extras` (Fast's meta update, moving averages, CMI's
        memory bank)."""
        if self.losses.bn_statistics is not None and \
                self.losses.bn_statistics.momentum is not None:
            self.losses.bn_statistics.update_average()

    def persistent_optimizers(self) -> Dict[str, torch.optim.Optimizer]:
        """Optimisers that live across rounds (Fast's meta-Adam, CMI's head
        Adam); their states are saved with the synthesizer."""
        return {}

    def get_extra_state(self) -> torch.Tensor:
        """The persistent optimisers' states, serialised into a uint8 tensor
        (mmengine broadcasts the state dict's values at start-up, which must be
        non-empty tensors)."""
        buffer = io.BytesIO()
        torch.save(
            {
                name: optimizer.state_dict()
                for name, optimizer in self.persistent_optimizers().items()
            }, buffer)
        return torch.frombuffer(
            bytearray(buffer.getvalue()), dtype=torch.uint8)

    def set_extra_state(self, state: torch.Tensor) -> None:
        """Load the persistent optimisers' states of
        :meth:`get_extra_state`."""
        states = torch.load(
            io.BytesIO(state.cpu().numpy().tobytes()), weights_only=True)
        for name, optimizer in self.persistent_optimizers().items():
            optimizer.load_state_dict(states[name])

    # ------------------------------------------------------------------
    def augment(self, pixels: torch.Tensor,
                rng: torch.Generator) -> torch.Tensor:
        """The configured differentiable augmentation of ``pixels``."""
        if self.augment_type == 'jitter_flip':
            return jitter_and_flip(pixels, generator=rng, **self.augment_args)
        if self.augment_type == 'resized_crop_flip':
            return random_resized_crop_flip(
                pixels, generator=rng, **self.augment_args)
        if self.augment_type == 'jitter_crop':
            args = dict(self.augment_args)
            padding = args.pop('padding')
            jittered = jitter_and_flip(pixels, generator=rng, **args)
            return random_crop_flip(
                jittered, padding=padding, flip=False, generator=rng)
        return random_crop_flip(pixels, generator=rng, **self.augment_args)

    def sample_labels(self, rng: torch.Generator,
                      device: torch.device) -> torch.Tensor:
        """The round's labels, on ``device``."""
        if not isinstance(self.labels, str):
            labels = torch.tensor(self.labels).repeat(self.batch_size //
                                                      len(self.labels))
        elif self.labels == 'cycle':
            labels = torch.arange(self.batch_size) % self.num_classes
        elif self.labels == 'balanced':
            repeats, rest = divmod(self.batch_size, self.num_classes)
            labels = torch.cat([
                torch.arange(self.num_classes).repeat(repeats),
                torch.randint(0, self.num_classes, (rest, ), generator=rng)
            ])
        else:
            labels = torch.randint(
                0, self.num_classes, (self.batch_size, ),
                generator=rng).sort()[0]
        return labels.to(device)

    def synthesize(self,
                   teacher: nn.Module,
                   student: nn.Module,
                   round_index: int,
                   rng: torch.Generator,
                   precision: Precision = FLOAT32) -> Synthesis:
        """Run one round and return the batch it keeps.

        Args:
            teacher (nn.Module): The teacher (eval mode).
            student (nn.Module): The student; run in eval mode when a term
                reads it, and never given a gradient.
            round_index (int): The round, from 0.
            rng (torch.Generator): A CPU generator for the round's labels,
                initial values and augmentation.
            precision (Precision): The forward passes' autocast dtype and
                the backward pass's loss scale (the run's ``--amp``).
                Defaults to float32.
        """
        device = self.pixel_space.mean.device
        labels = self.sample_labels(rng, device)
        self.round_labels = labels
        tensors = self.begin_round(round_index, rng)
        with_student = self.losses.needs_student and \
            round_index >= self.student_terms_from_round
        best_loss, kept = None, {}
        with temporarily_eval(student):
            for step in range(self.round_steps):
                with precision.autocast(device):
                    pixels = self.render()
                    view = self.pixel_space.normalize(
                        self.augment(pixels, rng))
                    view, targets = self.mix(view, labels, rng)
                    inputs = self.teacher_view_inputs(teacher, view)
                    inputs['labels'] = targets
                    if 'synthesized_images' in self.losses.needed:
                        inputs['synthesized_images'] = \
                            self.pixel_space.normalize(pixels)
                    if with_student:
                        inputs['student_logits'] = student(view, mode='tensor')
                    losses = self.losses(
                        inputs,
                        skip=() if with_student else ('student_logits', ))
                    losses.update(
                        self.extra_losses(teacher, pixels, inputs, rng))
                    loss = sum_of(losses.values())
                current = dict(pixels=pixels, **self.step_extras())
                if self.keep in ('last', 'last_step'):
                    kept = {k: v.detach() for k, v in current.items()}
                elif self.keep == 'best':
                    best_loss, kept = keep_lower(loss, best_loss, current,
                                                 kept)
                round_backward(loss, tensors, precision.loss_scale)
                self.step(step)
                if self.keep == 'best_after_step':
                    with torch.no_grad(), precision.autocast(device):
                        after = dict(current, pixels=self.render())
                    best_loss, kept = keep_lower(loss, best_loss, after, kept)
            if self.keep == 'last':
                with torch.no_grad(), precision.autocast(device):
                    kept['pixels'] = self.render()
            self.end_round(round_index, kept)
        log_vars = {f'synthesis/{k}': v.detach() for k, v in losses.items()}
        log_vars['loss_synthesis'] = loss.detach()
        return Synthesis(kept['pixels'], labels, log_vars)
