# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Class similarity and Dirichlet soft targets of ZSKD.

Nayak et al., `Zero-Shot Knowledge Distillation in Deep Networks
<https://arxiv.org/abs/1905.08114>`_, ICML 2019, section 3.1: the rows of
the teacher's final linear layer are class vectors; their cosine
similarities, min-max normalised, give each class k a concentration vector
alpha_k, and the soft target of a data impression of class k is a sample of
``Dir(beta * alpha_k)``.
"""
from typing import Optional

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

EPS = 1e-4


def find_linear_layer(model: nn.Module,
                      path: Optional[str] = None) -> nn.Linear:
    """The teacher's final linear layer, by module path or the last one.

    Raises:
        ValueError: If ``path`` is not a linear layer of ``model`` (the
            linear layers found are listed) or there is none.
    """
    linears = [
        name for name, module in model.named_modules()
        if isinstance(module, nn.Linear)
    ]
    if not linears:
        raise ValueError('The teacher has no nn.Linear layer to take class '
                         'vectors from.')
    modules = dict(model.named_modules())
    if path is None:
        return modules[linears[-1]]
    if not isinstance(modules.get(path), nn.Linear):
        raise ValueError(f'{path!r} is not a linear layer of the teacher. '
                         f'Linear layers found: {linears}')
    return modules[path]


def class_similarity(weight: torch.Tensor) -> torch.Tensor:
    """Cosine similarity between the class vectors (rows of ``weight``, shape
    classes x features); the bias is not used."""
    unit = F.normalize(weight.detach().double(), dim=1)
    return unit @ unit.t()


def min_max(values: torch.Tensor, dim: Optional[int] = None) -> torch.Tensor:
    """Rescale to [0, 1] over ``dim`` (each row with ``dim=1``) or over the
    whole tensor (``dim=None``)."""
    if dim is None:
        low, high = values.min(), values.max()
    else:
        low = values.min(dim, keepdim=True).values
        high = values.max(dim, keepdim=True).values
    return (values - low) / (high - low).clamp_min(1e-12)


def concentration_matrix(similarity: torch.Tensor,
                         released_code: bool = False) -> torch.Tensor:
    """Row k is class k's concentration alpha_k.

    The paper min-max normalises each row; the released code normalises the
    whole matrix (and each row again when sampling, see
    :func:`dirichlet_concentration`).
    """
    return min_max(similarity, dim=None if released_code else 1)


def dirichlet_concentration(alpha: torch.Tensor,
                            beta: float,
                            released_code: bool = False) -> torch.Tensor:
    """The concentration of ``Dir`` for scale ``beta`` and row ``alpha``.

    Paper: ``beta * alpha + 1e-4`` (so that no entry is zero). Released
    code: the row is min-max normalised after scaling, which divides
    ``beta`` out again, so every scale samples as ``beta = 1``; kept as a
    switch to reproduce its numbers.
    """
    scaled = beta * alpha
    if released_code:
        scaled = min_max(scaled)
    return scaled + EPS


def sample_dirichlet(concentration: torch.Tensor, num: int,
                     seed: int) -> torch.Tensor:
    """``num`` soft targets from ``Dir(concentration)``, reproducible from
    ``seed``; shape (num, classes), float32, rows sum to one."""
    rng = np.random.default_rng(seed)
    samples = rng.dirichlet(concentration.double().cpu().numpy(), size=num)
    return torch.from_numpy(samples).float()
