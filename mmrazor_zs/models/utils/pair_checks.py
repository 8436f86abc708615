# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Build-time checks that a teacher and a student fit each other, shared by
the distillation algorithms that probe both networks on a tiny batch."""
from typing import Sequence, Tuple, Union

import torch

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
