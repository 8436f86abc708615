# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Weighted loss terms that declare what they read.

The synthesis steps of data-free distillation (a generator step of
:class:`~mmrazor_zs.models.algorithms.GeneratorDistiller`, a step of an
inversion synthesizer) minimise a sum of terms built from configs. Each
term's ``inputs`` (a class or instance attribute) names the quantities it
reads, in the order its ``forward`` takes them:

- ``images``: the batch the teacher sees (after any augmentation);
- ``synthesized_images``: the batch before augmentation (inversion only);
- ``labels``: the classes the batch is synthesised for (inversion only);
- ``teacher_logits``, ``teacher_features`` (at one layer),
  ``teacher_bn_statistics`` (at every BatchNorm2d input);
- ``student_logits``.

:class:`LossTerms` builds the terms, checks their declarations once, hooks
the teacher for what they read, and computes the inputs and the losses of a
batch.
"""
import contextlib
import functools
import operator
from typing import Dict, Iterable, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn

from mmrazor_zs.registry import MODELS
from .bn_statistics import BatchNormStatistics
from .feature_taps import FeatureTaps

TERM_INPUTS = ('images', 'synthesized_images', 'labels', 'teacher_logits',
               'teacher_features', 'teacher_bn_statistics', 'student_logits')


def sum_of(losses: Iterable[torch.Tensor]) -> torch.Tensor:
    """The sum of one or more losses in their order, without Python's start
    value 0 (``sum`` adds it: one more operation and backward node in every
    step, for the same value)."""
    return functools.reduce(operator.add, losses)


def inputs_of(term: nn.Module) -> Tuple[str, ...]:
    """What a loss term reads: its ``inputs`` attribute, in call order."""
    return tuple(getattr(term, 'inputs', None) or ())


class LossTerms(nn.Module):
    """Named loss terms and the teacher taps they need.

    Args:
        terms (dict): Name -> loss config (or module); each has ``inputs``.
        teacher (nn.Module): The teacher the terms read.
        available (Sequence[str]): The inputs the caller provides; a term
            reading anything else is refused at build time.
        feature_layer (str | int): The teacher layer behind
            ``teacher_features``. Defaults to 'neck'.
        bn_momentum (float, optional): ``momentum`` of the
            :class:`BatchNormStatistics` behind ``teacher_bn_statistics``.
            Defaults to None.
        owner (str): How error messages name the terms' config key.
            Defaults to 'losses'.
    """

    def __init__(self,
                 terms: Dict[str, Union[dict, nn.Module]],
                 teacher: nn.Module,
                 available: Sequence[str] = TERM_INPUTS,
                 feature_layer: Union[str, int] = 'neck',
                 bn_momentum: Optional[float] = None,
                 owner: str = 'losses') -> None:
        super().__init__()
        if not terms:
            raise ValueError(f'`{owner}` is empty: at least one loss term is '
                             'needed.')
        self.terms = nn.ModuleDict({
            name: cfg if isinstance(cfg, nn.Module) else MODELS.build(cfg)
            for name, cfg in terms.items()
        })
        self.needed = self._needed_inputs(available, owner)
        self.feature_taps = FeatureTaps(
            teacher,
            [feature_layer] if 'teacher_features' in self.needed else [],
            'teacher')
        self.bn_statistics = BatchNormStatistics(
            teacher,
            bn_momentum) if 'teacher_bn_statistics' in self.needed else None
        if self.bn_statistics is not None and not self.bn_statistics.layers:
            readers = self.readers('teacher_bn_statistics')
            raise ValueError(
                f'The terms {readers} of `{owner}` match the batch-norm '
                'statistics of the teacher, but the teacher has no '
                'BatchNorm2d layer; use a teacher with batch norm, or drop '
                'those terms.')

    def _needed_inputs(self, available: Sequence[str], owner: str) -> set:
        needed: set = set()
        for name, term in self.terms.items():
            inputs = inputs_of(term)
            if not inputs or not set(inputs) <= set(TERM_INPUTS):
                raise ValueError(
                    f'The loss {name!r} of `{owner}` ({type(term).__name__}) '
                    'must declare what it reads in an attribute `inputs`, a '
                    f'tuple drawn from {TERM_INPUTS}; got {inputs!r}.')
            missing = set(inputs) - set(available)
            if missing:
                raise ValueError(
                    f'The loss {name!r} of `{owner}` ({type(term).__name__}) '
                    f'reads {sorted(missing)}, which this algorithm does '
                    f'not provide (it provides {list(available)}).')
            needed.update(inputs)
        return needed

    def __getitem__(self, name: str) -> nn.Module:
        return self.terms[name]

    def __contains__(self, name: str) -> bool:
        return name in self.terms

    def items(self):
        """(name, term) pairs, in config order."""
        return self.terms.items()

    def readers(self, key: str) -> list:
        """The names of the terms that read ``key``."""
        return [
            name for name, term in self.terms.items() if key in inputs_of(term)
        ]

    @property
    def needs_student(self) -> bool:
        return 'student_logits' in self.needed

    def teacher_inputs(self, teacher: nn.Module,
                       images: torch.Tensor) -> Dict[str, torch.Tensor]:
        """Run the teacher on ``images`` and return what the terms read of
        it: its logits, and its features / batch-norm statistics when a term
        reads them."""
        with contextlib.ExitStack() as stack:
            stack.enter_context(self.feature_taps.record())
            if self.bn_statistics is not None:
                stack.enter_context(self.bn_statistics.record())
            inputs = dict(
                images=images, teacher_logits=teacher(images, mode='tensor'))
        if self.feature_taps.layers:
            inputs['teacher_features'] = self.feature_taps.features()[0]
        if self.bn_statistics is not None:
            inputs['teacher_bn_statistics'] = self.bn_statistics.statistics()
        return inputs

    def forward(
        self, inputs: Dict[str, torch.Tensor], skip: Sequence[str] = ()
    ) -> Dict[str, torch.Tensor]:
        """Each term's loss on ``inputs``, by name, in config order.

        Args:
            inputs (dict): What the terms read, by input name.
            skip (Sequence[str]): Input names whose readers are left out this
                time (e.g. ``'student_logits'`` before the student terms
                start). Defaults to ().
        """
        return {
            name: term(*(inputs[key] for key in inputs_of(term)))
            for name, term in self.terms.items()
            if not set(inputs_of(term)) & set(skip)
        }
