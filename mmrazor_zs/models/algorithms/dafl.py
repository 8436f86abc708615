# Copyright (c) mmrazor_zs contributors. All rights reserved.
from typing import Dict, Union

import torch.nn as nn

from mmrazor_zs.registry import MODELS
from .generator_distiller import GeneratorDistiller


@MODELS.register_module()
class DAFL(GeneratorDistiller):
    """Data-Free Learning of student networks.

    Chen et al., `Data-Free Learning of Student Networks
    <https://arxiv.org/abs/1904.01186>`_, ICCV 2019. The generator is trained
    against the teacher alone, ``L_G = oh * CE(t, argmax t) + ie *
    sum_c pbar_c log10 pbar_c + a * (-mean |f|)`` (Eq. 2-5, with ``f`` the
    teacher's features before its classifier), and the student distils the
    teacher on the same images, detached, with ``KL(T || S)`` summed over
    classes and averaged over the batch. The released ``DAFL-train.py``
    (huawei-noah/Efficient-Computing 225ddd2, lines 168-185) takes one
    backward of both losses and steps both networks on one batch: here
    ``student_batch='generator'`` with one generator and one student step,
    the same update (the student's loss reads no generator gradient).

    Args:
        teacher (dict | nn.Module): The teacher classifier.
        student (dict | nn.Module): The student classifier.
        generator (dict | nn.Module): Defaults to
            ``dict(type='DAFLGenerator')``.
        generator_losses (dict): Name -> term. Defaults to the released
            code's CIFAR weights, ``onehot`` 0.05 (OnehotLikeLoss),
            ``entropy`` 5 (InformationEntropyLoss, log10) and
            ``activation`` 0.01 (ActivationLoss on ``feature_layer``).
        student_loss (dict): Defaults to ``KLDivergence(tau=1,
            reduction='batchmean')`` (``kdloss``, lines 97-101); MMRazor
            uses tau 6 with weight tau^2 = 36.
        feature_layer (str | int): The teacher layer for the activation
            term. Defaults to 'neck' (mmpretrain's global pooling, the
            released ResNet's ``out_feature``).
        batch_size (int): Defaults to 1024 (the released CIFAR-10 recipe).
        student_batch (str): Defaults to 'generator' (the joint step).
        generator_steps (int): Defaults to 1.
        student_steps (int): Defaults to 1.
        **kwargs: The other settings of :class:`GeneratorDistiller`
            (``teacher_ckpt``, ``input_shape``, ``seed``, ...).
    """

    def __init__(self,
                 teacher: Union[dict, nn.Module],
                 student: Union[dict, nn.Module],
                 generator: Union[dict,
                                  nn.Module] = dict(type='DAFLGenerator'),
                 generator_losses: Dict[str, Union[dict, nn.Module]] = dict(
                     onehot=dict(type='OnehotLikeLoss', loss_weight=0.05),
                     entropy=dict(
                         type='InformationEntropyLoss',
                         log_base=10,
                         loss_weight=5.0),
                     activation=dict(type='ActivationLoss', loss_weight=0.01)),
                 student_loss: dict = dict(
                     type='KLDivergence', tau=1.0, reduction='batchmean'),
                 feature_layer: Union[str, int] = 'neck',
                 batch_size: int = 1024,
                 student_batch: str = 'generator',
                 generator_steps: int = 1,
                 student_steps: int = 1,
                 **kwargs) -> None:
        super().__init__(
            teacher,
            student,
            generator,
            generator_losses=generator_losses,
            student_loss=student_loss,
            feature_layer=feature_layer,
            batch_size=batch_size,
            student_batch=student_batch,
            generator_steps=generator_steps,
            student_steps=student_steps,
            **kwargs)
