# Copyright (c) mmrazor_zs contributors. All rights reserved.
from typing import Dict, Union

import torch.nn as nn

from mmrazor_zs.registry import MODELS
from .generator_distiller import GeneratorDistiller


@MODELS.register_module()
class DFQ(GeneratorDistiller):
    """A generator matched to the teacher's batch-norm statistics, as the zju-
    vipa zoo runs DFQ.

    After Choi et al., `Data-Free Network Quantization With Adversarial
    Knowledge Distillation <https://arxiv.org/abs/2005.04136>`_, CVPRW 2020,
    in the form of zju-vipa/DataFree 9e79fa9 (``--method dfq``,
    ``datafree/synthesis/generative.py`` lines 52-75 and
    ``datafree_kd.py``): one generator step minimises
    ``bn * BNS + oh * CE(t, argmax t) + adv * (-KL(T || S)) + balance *
    sum_c pbar_c ln pbar_c`` (BNS: :class:`BatchNormStatisticsLoss` over
    every BN layer of the teacher; no agreement mask) with the student in
    eval mode, then ``kd_steps`` student steps each on a fresh batch made by
    the generator in eval mode, with ``KL(T || S)`` at temperature 1 (the
    scripts' ``--T 20`` is ignored by ``datafree_kd.py:259``).

    Args:
        teacher (dict | nn.Module): The teacher classifier; it must have
            batch-norm layers.
        student (dict | nn.Module): The student classifier.
        generator (dict | nn.Module): Defaults to ``dict(type=
            'DFQGenerator')`` (sigmoid pixels, normalised by the algorithm's
            ``pixel_space``, i.e. the teacher's normalisation).
        generator_losses (dict): Defaults to the WRN script's weights
            (``scripts/dfq/dfq_cifar10_wrn402_wrn161.sh``): ``bn`` 1,
            ``onehot`` 1, ``adversarial`` -1 (KL, batchmean), ``balance``
            20 (natural log).
        student_loss (dict): Defaults to ``KLDivergence(tau=1,
            reduction='batchmean')``.
        batch_size (int): Defaults to 256.
        student_steps (int): ``kd_steps``. Defaults to 10.
        student_batch (str): Defaults to 'fresh'.
        student_mode_in_generator_step (str): Defaults to 'eval' (the
            zoo's).
        generator_mode_for_student (str): Defaults to 'eval' (the zoo's);
            Fast-Datafree samples with the generator in train mode.
        **kwargs: The other settings of :class:`GeneratorDistiller`
            (``teacher_ckpt``, ``input_shape``, ``seed``, ...).
    """

    def __init__(self,
                 teacher: Union[dict, nn.Module],
                 student: Union[dict, nn.Module],
                 generator: Union[dict, nn.Module] = dict(type='DFQGenerator'),
                 generator_losses: Dict[str, Union[dict, nn.Module]] = dict(
                     bn=dict(type='BatchNormStatisticsLoss', loss_weight=1.0),
                     onehot=dict(type='OnehotLikeLoss', loss_weight=1.0),
                     adversarial=dict(
                         type='KLDivergence',
                         tau=1.0,
                         reduction='batchmean',
                         loss_weight=-1.0),
                     balance=dict(
                         type='InformationEntropyLoss',
                         log_base=2.718281828459045,
                         loss_weight=20.0)),
                 student_loss: dict = dict(
                     type='KLDivergence', tau=1.0, reduction='batchmean'),
                 batch_size: int = 256,
                 student_steps: int = 10,
                 student_batch: str = 'fresh',
                 student_mode_in_generator_step: str = 'eval',
                 generator_mode_for_student: str = 'eval',
                 **kwargs) -> None:
        super().__init__(
            teacher,
            student,
            generator,
            generator_losses=generator_losses,
            student_loss=student_loss,
            batch_size=batch_size,
            student_steps=student_steps,
            student_batch=student_batch,
            student_mode_in_generator_step=student_mode_in_generator_step,
            generator_mode_for_student=generator_mode_for_student,
            **kwargs)
