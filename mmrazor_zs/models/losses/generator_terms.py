# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""The teacher-only terms with which DAFL-style generators are trained.

Chen et al., `Data-Free Learning of Student Networks
<https://arxiv.org/abs/1904.01186>`_, ICCV 2019, Eq. 2-5 and the released
``DAFL-train.py`` (huawei-noah/Efficient-Computing 225ddd2, lines 168-185);
the zju-vipa DataFree zoo (9e79fa9, ``datafree/synthesis/generative.py``)
uses the same terms for DFQ with a natural-log entropy.

Each term declares in ``inputs`` what it reads from a generator step
(see :class:`~mmrazor_zs.models.algorithms.GeneratorDistiller`).
"""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from mmrazor_zs.registry import MODELS


@MODELS.register_module()
class OnehotLikeLoss(nn.Module):
    """Cross-entropy of the teacher's logits against their own arg-max, ``CE(t,
    argmax t)``: pushes generated images towards confident teacher outputs
    (DAFL's L_oh).

    Args:
        loss_weight (float): Multiplier. Defaults to 1.0.
    """

    inputs = ('teacher_logits', )

    def __init__(self, loss_weight: float = 1.0) -> None:
        super().__init__()
        self.loss_weight = loss_weight

    def forward(self, teacher_logits: torch.Tensor) -> torch.Tensor:
        logits = teacher_logits.float()
        return self.loss_weight * F.cross_entropy(logits, logits.argmax(1))


@MODELS.register_module()
class InformationEntropyLoss(nn.Module):
    """Negative entropy of the batch-mean teacher belief,
    ``sum_c pbar_c log pbar_c`` with ``pbar = mean_i softmax(t_i)``;
    minimising it balances the classes of a generated batch (DAFL's L_ie).

    Args:
        log_base (float): Base of the logarithm: 10 in the released DAFL
            code (``torch.log10``, line 179) and MMRazor's
            ``InformationEntropyLoss``; ``math.e`` in the zju-vipa zoo's
            ``balance`` term. Defaults to 10.
        loss_weight (float): Multiplier. Defaults to 1.0.
    """

    inputs = ('teacher_logits', )

    def __init__(self, log_base: float = 10.0, loss_weight: float = 1.0):
        super().__init__()
        if log_base <= 0 or log_base == 1:
            raise ValueError('`log_base` must be positive and not 1, but got '
                             f'{log_base}.')
        self.log_base = log_base
        self.loss_weight = loss_weight

    def forward(self, teacher_logits: torch.Tensor) -> torch.Tensor:
        mean_belief = F.softmax(teacher_logits.float(), dim=1).mean(0)
        negative_entropy = (mean_belief * mean_belief.log()).sum()
        return self.loss_weight * negative_entropy / math.log(self.log_base)


@MODELS.register_module()
class ActivationLoss(nn.Module):
    """``-mean |f|`` of the teacher's features before its classifier: rewards
    images that activate the teacher strongly (DAFL's L_a).

    A tuple of features (an mmpretrain neck's output) uses its last
    element.

    Args:
        loss_weight (float): Multiplier. Defaults to 1.0.
    """

    inputs = ('teacher_features', )

    def __init__(self, loss_weight: float = 1.0) -> None:
        super().__init__()
        self.loss_weight = loss_weight

    def forward(self, teacher_features) -> torch.Tensor:
        if isinstance(teacher_features, (tuple, list)):
            teacher_features = teacher_features[-1]
        return -self.loss_weight * teacher_features.float().abs().mean()
