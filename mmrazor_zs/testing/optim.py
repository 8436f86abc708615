# Copyright (c) mmrazor_zs contributors. All rights reserved.
from typing import TYPE_CHECKING, List

import torch
import torch.nn as nn
from mmengine.optim import OptimWrapper, OptimWrapperDict

if TYPE_CHECKING:
    from mmrazor_zs.models.algorithms.generator_distiller import \
        GeneratorDistiller


def generator_student_wrappers(model: 'GeneratorDistiller',
                               generator_lr: float = 1e-3,
                               student_lr: float = 1e-3,
                               kind: str = 'Adam') -> OptimWrapperDict:
    """The 'generator' and 'student' optimizer wrappers a generator-based
    algorithm's ``train_step`` takes, both of ``torch.optim.<kind>``."""
    optimizer = getattr(torch.optim, kind)
    return OptimWrapperDict(
        generator=OptimWrapper(
            optimizer(model.generator.parameters(), lr=generator_lr)),
        student=OptimWrapper(
            optimizer(model.student.parameters(), lr=student_lr)))


def parameter_copies(module: nn.Module) -> List[torch.Tensor]:
    """Detached copies of a module's parameters, to compare later."""
    return [p.detach().clone() for p in module.parameters()]


def record_detached_inputs(module: nn.Module) -> List[torch.Tensor]:
    """A list that fills, as ``module`` runs, with copies of its inputs that
    have no autograd history: a generator-family student's step batches (its
    call in a generator step runs on images with history)."""
    batches: List[torch.Tensor] = []

    def record(_, args) -> None:
        if not args[0].requires_grad:
            batches.append(args[0].detach().clone())

    module.register_forward_pre_hook(record)
    return batches
