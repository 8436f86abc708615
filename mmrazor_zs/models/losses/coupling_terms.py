# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""CPNet's two teacher-coupled synthesis terms, as LannCX/CPNet 3f3d397
computes them (``datafree/synthesis/cpnet.py`` lines 150-165 and 254-262;
``datafree/hooks.py`` ``apply_cp_reverse_norm``, lines 137-150): the stage-wise
coupling of the generator's maps to the teacher's activations, and the label-
feature alignment through the pseudo-inverse of the teacher's classifier."""
import math
from typing import Sequence

import torch
import torch.nn.functional as F


def renormalize_to_running(inputs: torch.Tensor, mean: torch.Tensor,
                           var: torch.Tensor, running_mean: torch.Tensor,
                           running_var: torch.Tensor) -> torch.Tensor:
    """A batch-norm layer's input standardised with the batch's statistics.

    and given the layer's running ones: ``(x - mean) / sqrt(var) *
    sqrt(running_var) + running_mean`` per channel, without an epsilon (the
    code's ``apply_cp_reverse_norm``), as a target without history.

    Args:
        inputs (Tensor): The layer's input (N, C, H, W).
        mean, var (Tensor): The statistics (C, ) it is standardised with.
        running_mean, running_var (Tensor): The layer's running statistics.
    """

    def per_channel(t: torch.Tensor) -> torch.Tensor:
        return t.detach().float()[None, :, None, None]

    standardised = (inputs.detach().float() -
                    per_channel(mean)) / per_channel(var).sqrt()
    return standardised * per_channel(running_var).sqrt() + per_channel(
        running_mean)


def stage_coupling_loss(maps: Sequence[torch.Tensor],
                        targets: Sequence[torch.Tensor]) -> torch.Tensor:
    """``sum_i MSE(map_i, target_i)``: the generator's map before each stage
    against the teacher's renormalised activation at the coupled layer (the
    code's ``loss_xn``, unweighted).

    Raises:
        ValueError: If the counts or a pair's shapes differ.
    """
    if len(maps) != len(targets):
        raise ValueError(f'{len(maps)} generator maps but {len(targets)} '
                         'teacher targets.')
    total = maps[0].new_zeros((), dtype=torch.float32)
    for index, (produced, target) in enumerate(zip(maps, targets)):
        if produced.shape != target.shape:
            raise ValueError(
                f'The generator map {index} has shape '
                f'{tuple(produced.shape)} but the teacher\'s activation '
                f'there has {tuple(target.shape)}.')
        total = total + F.mse_loss(produced.float(), target)
    return total


def clamped_pseudo_inverse(matrix: torch.Tensor, floor: float) -> torch.Tensor:
    """The pseudo-inverse of ``matrix`` with its singular values clamped below
    at ``floor`` before they are inverted (the code's ``compute_pinv``)."""
    u, s, vh = torch.linalg.svd(matrix.detach().float(), full_matrices=False)
    return vh.T @ torch.diag(1 / s.clamp(min=floor)) @ u.T


def label_feature_alignment(features: torch.Tensor, labels: torch.Tensor,
                            inverse: torch.Tensor, bias: torch.Tensor,
                            smoothing: float) -> torch.Tensor:
    """CPNet's feature-level term: how far the teacher's penultimate features
    are from a feature its classifier maps to the label-smoothed target,
    measured along the direction that shifts every logit alike.

    With the classifier ``logits = W f + b`` (W: K x D), ``P`` the clamped
    pseudo-inverse of ``W^T`` (:func:`clamped_pseudo_inverse`, K x D),
    ``delta = log((1 - s)(K - 1) / s)`` (the logit gap whose softmax gives
    the target class ``1 - s``), ``a = f - (delta y - b) P`` and ``u = 1 P``,
    the loss is ``mean_i |cos(a_i, u)|`` (the code's ``compute_dis``, which
    adds it to the adversarial loss: it is weighted by ``adv``).

    Args:
        features (Tensor): The classifier's inputs (N, D).
        labels (Tensor): The classes the images are made for (N, ).
        inverse (Tensor): ``P`` (K, D).
        bias (Tensor): ``b`` (K, ).
        smoothing (float): ``s``, in (0, 1) (the code's 0.1).
    """
    num_classes = inverse.shape[0]
    delta = math.log((1 - smoothing) * (num_classes - 1) / smoothing)
    onehot = F.one_hot(labels, num_classes).float()
    offset = features.float() - (onehot * delta -
                                 bias.detach().float()) @ inverse
    uniform = torch.ones_like(onehot) @ inverse
    return F.cosine_similarity(offset, uniform).abs().mean()
