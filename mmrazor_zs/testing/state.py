# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Snapshots of a module's state for the hygiene tests."""
from typing import TYPE_CHECKING, Dict

import torch
import torch.nn as nn

if TYPE_CHECKING:
    from mmrazor_zs.models.algorithms.inversion_distiller import \
        InversionDistiller


def state_copy(module: nn.Module) -> Dict[str, torch.Tensor]:
    """A detached copy of the module's ``state_dict`` tensors."""
    return {
        k: v.detach().clone()
        for k, v in module.state_dict().items() if isinstance(v, torch.Tensor)
    }


def same_state(a: Dict[str, torch.Tensor], b: Dict[str, torch.Tensor]) -> bool:
    """Same keys, bit-identical tensors."""
    return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)


def synthesis_round_is_clean(model: 'InversionDistiller') -> bool:
    """Run one synthesis round of an inversion algorithm and tell whether only
    the round's own tensors changed: no gradient reaches the student or the
    teacher, their weights and BN buffers stay, and the student's train mode is
    restored.

    (The synthesizer's own state, e.g. Fast's meta-generator, may change.)
    """
    from mmrazor_zs.models.utils.keyed_random import keyed_generator
    model.student.train()
    for param in model.student.parameters():
        param.grad = None
    teacher, student = state_copy(model.teacher), state_copy(model.student)
    model.synthesizer.synthesize(model.teacher, model.student, 0,
                                 keyed_generator((0, )))
    return (same_state(teacher, state_copy(model.teacher))
            and same_state(student, state_copy(model.student))
            and all(p.grad is None for p in model.student.parameters())
            and all(p.grad is None for p in model.teacher.parameters())
            and model.student.training)
