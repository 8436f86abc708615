# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Build-time checks that a teacher and a student fit each other, shared by the
distillation algorithms that probe both networks on a tiny batch."""
from typing import Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from torch.nn.modules.conv import _ConvNd

from .feature_taps import FeatureTaps

LayerPair = Tuple[Union[str, int], Union[str, int]]


def as_layer_pairs(at_pairs: Sequence) -> list:
    """``at_pairs`` as a list of ``(student_layer, teacher_layer)`` tuples.

    Raises:
        ValueError: If an entry is not a pair.
    """
    pairs = [tuple(pair) for pair in at_pairs]
    for pair in pairs:
        if len(pair) != 2:
            raise ValueError('Each of `at_pairs` must be (student_layer, '
                             f'teacher_layer), but got {pair}.')
    return pairs


def check_class_counts(teacher_logits: torch.Tensor,
                       student_logits: torch.Tensor) -> None:
    """Teacher and student must predict the same number of classes.

    Raises:
        ValueError: Naming both counts and the fix.
    """
    if teacher_logits.shape[1] != student_logits.shape[1]:
        raise ValueError(
            f'The teacher predicts {teacher_logits.shape[1]} classes but the '
            f"student {student_logits.shape[1]}; set the student head's "
            "`num_classes` to the teacher's.")


def check_attention_pairs(at_pairs: Sequence[LayerPair],
                          student_feats: Sequence[torch.Tensor],
                          teacher_feats: Sequence[torch.Tensor]) -> None:
    """Every attention-transfer pair must tap feature maps of equal spatial
    size (the attention maps are compared pixel by pixel).

    Raises:
        ValueError: Naming the pair and both shapes.
    """
    for (s_layer, t_layer), s_feat, t_feat in zip(at_pairs, student_feats,
                                                  teacher_feats):
        if s_feat.dim() != 4 or t_feat.dim() != 4 or \
                s_feat.shape[-2:] != t_feat.shape[-2:]:
            raise ValueError(
                f'Attention transfer pair ({s_layer!r}, {t_layer!r}) needs '
                'feature maps of equal spatial size, but the student gives '
                f'{tuple(s_feat.shape[1:])} and the teacher '
                f'{tuple(t_feat.shape[1:])}.')


def probe_attention_pairs(at_pairs: Sequence[LayerPair], student: nn.Module,
                          student_taps: FeatureTaps, teacher: nn.Module,
                          teacher_taps: FeatureTaps,
                          images: torch.Tensor) -> None:
    """Run both networks on ``images`` with their taps recording, then
    :func:`check_attention_pairs` (a build-time probe of the attention-
    transfer algorithms).

    Raises:
        ValueError: Naming the pair and both shapes.
    """
    with student_taps.record():
        student(images, mode='tensor')
    with teacher_taps.record():
        teacher(images, mode='tensor')
    check_attention_pairs(at_pairs, student_taps.features(),
                          teacher_taps.features())


def first_conv(model: nn.Module) -> Optional[Tuple[str, _ConvNd]]:
    """The first convolution of ``model`` in module order (its input layer for
    the networks of this project), with its path; None when it has none."""
    for name, module in model.named_modules():
        if isinstance(module, _ConvNd):
            return name, module
    return None


def check_input_channels(networks: dict, input_shape: Sequence[int]) -> None:
    """The first convolution of each network must take ``input_shape``'s
    channels (checked before the probe, which would fail inside conv2d).

    Args:
        networks (dict): Role (``'teacher'``, ``'student'``) to network.
        input_shape (Sequence[int]): The configured input (C, H, W).

    Raises:
        ValueError: Naming the network, its first layer, both channel
            counts and the fix.
    """
    for role, network in networks.items():
        found = first_conv(network)
        if found is None or found[1].in_channels == input_shape[0]:
            continue
        name, conv = found
        plural = '' if conv.in_channels == 1 else 's'
        raise ValueError(
            f"The {role}'s first layer ({name}) takes {conv.in_channels} "
            f'channel{plural} but `input_shape={tuple(input_shape)}` says '
            f'{input_shape[0]}; set `model.input_shape` to the images the '
            f'{role} was trained on, e.g. ({conv.in_channels}, '
            f'{input_shape[1]}, {input_shape[2]}).')
