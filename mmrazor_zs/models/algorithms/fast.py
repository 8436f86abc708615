# Copyright (c) mmrazor_zs contributors. All rights reserved.
from typing import Optional, Union

import torch.nn as nn

from mmrazor_zs.registry import MODELS
from .inversion_distiller import InversionDistiller


@MODELS.register_module()
class Fast(InversionDistiller):
    """Fast data-free distillation: a meta-learned generator makes each round's
    batch in a few steps; the student distils on the pool.

    Fang et al., `Up to 100x Faster Data-free Knowledge Distillation
    <https://arxiv.org/abs/2112.06253>`_, AAAI 2022. The defaults are
    zju-vipa/Fast-Datafree 0dcecbc's ``scripts/fast_cifar.sh`` (ResNet-34
    -> ResNet-18, Fast-5): batch 256; ``warmup`` 20 rounds of synthesis
    only, then a round per 400 student steps with ``KL_20``; a
    :class:`FastMetaSynthesizer` with 5 steps, ``lr_g`` 3e-3, ``lr_z``
    0.01, first-order MAML, ``bn`` 10 with momentum 0.9, ``oh`` 0.5 and
    ``adv`` 1.33 (the agreement-masked KL, from the code's
    ``ep >= warmup``: round 19 counted from 0, one round before the
    student's first step), the first layers re-drawn at round 139
    (``ep == 120 + warmup``). Fast-2 and Fast-10 are (2, 5e-3, 0.015) and
    (10, 2e-3, 0.01) for (steps, lr_g, lr_z).

    The default synthesizer is :attr:`synthesizer_defaults`, with the two
    rounds that follow ``warmup_rounds`` (``student_terms_from_round`` and
    ``reset_first_layers_at_round``); a config's ``synthesizer`` overrides
    any key (a given ``losses`` replaces the default terms).

    Args:
        teacher (dict | nn.Module): The teacher; it must have batch norm.
        student (dict | nn.Module): The student.
        synthesizer (dict, optional): Overrides of the default synthesizer.
            Defaults to None.
        warmup_rounds (int): Defaults to 20.
        **kwargs: :class:`InversionDistiller`'s arguments.
    """

    synthesizer_defaults = dict(
        type='FastMetaSynthesizer',
        batch_size=256,
        steps=5,
        lr_g=3e-3,
        lr_z=0.01,
        meta='fomaml',
        augment=dict(type='crop_flip', padding=4, flip=True),
        labels='random',
        bn_momentum=0.9,
        losses=dict(
            bn=dict(type='BatchNormStatisticsLoss', loss_weight=10.0),
            onehot=dict(type='LabelCrossEntropy', loss_weight=0.5),
            adversarial=dict(type='AgreementMaskedKL', loss_weight=-1.33)))

    def __init__(self,
                 teacher: Union[dict, nn.Module],
                 student: Union[dict, nn.Module],
                 synthesizer: Optional[dict] = None,
                 warmup_rounds: int = 20,
                 **kwargs) -> None:
        rounds = dict(
            student_terms_from_round=max(warmup_rounds - 1, 0),
            reset_first_layers_at_round=119 + warmup_rounds)
        super().__init__(
            teacher,
            student,
            synthesizer=dict(rounds, **(synthesizer or {})),
            warmup_rounds=warmup_rounds,
            **kwargs)
