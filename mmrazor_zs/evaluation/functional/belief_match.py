# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Transition curves and the mean transition error (MTE) of ZSKT.

Micaelli & Storkey, `Zero-shot Knowledge Transfer via Adversarial Belief
Matching <https://arxiv.org/abs/1905.09768>`_, NeurIPS 2019, section 4.4:
starting from a test image on which student and teacher agree (class i),
take K plain gradient steps towards every other class j on the student,
``x <- x - xi * grad_x CE(student(x), j)``, recording ``p_j`` under both
networks before each step. MTE is the mean over images, classes and steps
of ``|p_j(teacher) - p_j(student)|``; it depends on K and xi, so report
them with it.
"""
from typing import TYPE_CHECKING, Dict, Iterable

import torch
import torch.nn as nn
import torch.nn.functional as F

if TYPE_CHECKING:
    from mmrazor_zs.models.algorithms.base import TeacherStudentModel


def transition_curves(student: nn.Module,
                      teacher: nn.Module,
                      inputs: torch.Tensor,
                      labels: torch.Tensor,
                      num_steps: int = 100,
                      step_size: float = 1.0,
                      batch_size: int = 100) -> Dict[str, torch.Tensor]:
    """``p_j`` along the student's gradient path to every other class.

    Images are stepped ``batch_size`` at a time (each with one copy per
    target class); every image's curves are independent of the others'.

    Args:
        student, teacher (nn.Module): Classifiers called as
            ``model(x, mode='tensor')``, in eval mode.
        inputs (Tensor): Images in the networks' input space (N, C, H, W),
            each one both networks classify as ``labels``.
        labels (Tensor): The agreed class i of every image (N, ).
        num_steps (int): K, the number of recorded points and steps.
            Defaults to 100.
        step_size (float): xi. Defaults to 1.0.
        batch_size (int): Images stepped together. Defaults to 100.

    Returns:
        dict: ``student`` and ``teacher``, each (N, classes - 1, K): the
        probability of target class j at step k; ``targets`` (N,
        classes - 1), the classes j.
    """
    parts = [
        _curves_of_batch(student, teacher, inputs[i:i + batch_size],
                         labels[i:i + batch_size], num_steps, step_size)
        for i in range(0, inputs.shape[0], batch_size)
    ]
    return {key: torch.cat([part[key] for part in parts]) for key in parts[0]}


def _curves_of_batch(student: nn.Module, teacher: nn.Module,
                     inputs: torch.Tensor, labels: torch.Tensor,
                     num_steps: int,
                     step_size: float) -> Dict[str, torch.Tensor]:
    """The curves of one batch of images; arguments and result as
    :func:`transition_curves`."""
    with torch.no_grad():
        num_classes = teacher(inputs[:1], mode='tensor').shape[1]
    n = inputs.shape[0]
    others = torch.arange(num_classes, device=inputs.device).expand(n, -1)
    keep = others != labels.view(-1, 1)
    targets = others[keep].view(n, num_classes - 1)
    # one copy of every image per target class, stepped independently
    x = inputs.repeat_interleave(num_classes - 1, dim=0).detach().clone()
    flat_targets = targets.reshape(-1)
    rows = torch.arange(flat_targets.numel(), device=inputs.device)
    student_p, teacher_p = [], []
    for _ in range(num_steps):
        x.requires_grad_(True)
        with torch.enable_grad():
            logits = student(x, mode='tensor')
            loss = F.cross_entropy(logits, flat_targets, reduction='sum')
            grad, = torch.autograd.grad(loss, x)
        with torch.no_grad():
            student_p.append(logits.softmax(1)[rows, flat_targets])
            teacher_p.append(
                teacher(x, mode='tensor').softmax(1)[rows, flat_targets])
            x = x.detach() - step_size * grad
    shape = (n, num_classes - 1, num_steps)
    return dict(
        student=torch.stack(student_p, 1).view(shape).cpu(),
        teacher=torch.stack(teacher_p, 1).view(shape).cpu(),
        targets=targets.cpu())


def mean_transition_error(curves: Dict[str, torch.Tensor]) -> float:
    """MTE: mean of ``|p_j(teacher) - p_j(student)|`` over images, target
    classes and steps."""
    return float((curves['teacher'] - curves['student']).abs().mean())


@torch.no_grad()
def agreeing_inputs(model: 'TeacherStudentModel', dataloader: Iterable,
                    num_images: int) -> Dict[str, torch.Tensor]:
    """The first ``num_images`` test images, in order, on which
    ``model.student`` and ``model.teacher`` predict the same class.

    Args:
        model (TeacherStudentModel): A distillation algorithm (student,
            teacher and the data preprocessor of real images).
        dataloader (Iterable): The test dataloader.
        num_images (int): How many to keep (fewer if the set runs out).

    Returns:
        dict: ``inputs`` in the networks' input space and their agreed
        ``labels``.
    """
    kept_inputs, kept_labels, kept = [], [], 0
    for data_batch in dataloader:
        inputs = model.data_preprocessor(data_batch, False)['inputs']
        student = model.student(inputs, mode='tensor').argmax(1)
        teacher = model.teacher(inputs, mode='tensor').argmax(1)
        agree = student == teacher
        kept_inputs.append(inputs[agree][:num_images - kept])
        kept_labels.append(student[agree][:num_images - kept])
        kept += kept_inputs[-1].shape[0]
        if kept >= num_images:
            break
    if not kept:
        raise ValueError('The student and the teacher agree on no test '
                         'image, so there is no transition to measure.')
    return dict(inputs=torch.cat(kept_inputs), labels=torch.cat(kept_labels))
