# Copyright (c) mmrazor_zs contributors. All rights reserved.
from typing import Union

import torch.nn as nn

from mmrazor_zs.registry import MODELS
from .inversion_distiller import InversionDistiller


@MODELS.register_module()
class CMI(InversionDistiller):
    """Contrastive Model Inversion: per round a re-initialised generator
    inverts the teacher with a contrastive term against a memory bank of
    earlier rounds; the student distils on the pool.

    Fang et al., `Contrastive Model Inversion for Data-Free Knowledge
    Distillation <https://arxiv.org/abs/2105.08584>`_, IJCAI 2021. The
    defaults are zju-vipa/DataFree 9e79fa9's
    ``scripts/cmi/scratch_cmi_cifar10_wrn402_wrn161.sh``: synthesis batch
    256 of 200 steps at ``lr_g`` 1e-3, ``bn`` 1, ``oh`` 1, ``adv`` 0.5
    (the agreement-masked KL with the student), ``cr`` 0.8 at ``cr_T``
    0.1, head 256, bank 40,960, 4,096 negatives; the student takes 400
    steps per round at batch 128 on the pool with ``KL_20``.

    The default synthesizer is :attr:`synthesizer_defaults`, which a
    config's ``synthesizer`` overrides key by key (a given ``losses``
    replaces the default terms).

    Args:
        teacher (dict | nn.Module): The teacher; it must have batch norm.
        student (dict | nn.Module): The student.
        batch_size (int): Pool images per student step. Defaults to 128.
        **kwargs: :class:`InversionDistiller`'s arguments.
    """

    synthesizer_defaults = dict(
        type='CMISynthesizer',
        batch_size=256,
        steps=200,
        lr_g=1e-3,
        augment=dict(type='crop_flip', padding=4, flip=True),
        labels='random',
        head_dim=256,
        bank_size=40960,
        negatives=4096,
        contrast_weight=0.8,
        contrast_temperature=0.1,
        losses=dict(
            bn=dict(type='BatchNormStatisticsLoss', loss_weight=1.0),
            onehot=dict(type='LabelCrossEntropy', loss_weight=1.0),
            adversarial=dict(type='AgreementMaskedKL', loss_weight=-0.5)))

    def __init__(self,
                 teacher: Union[dict, nn.Module],
                 student: Union[dict, nn.Module],
                 batch_size: int = 128,
                 **kwargs) -> None:
        super().__init__(teacher, student, batch_size=batch_size, **kwargs)
