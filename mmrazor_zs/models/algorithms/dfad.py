# Copyright (c) mmrazor_zs contributors. All rights reserved.
from typing import Dict, Union

import torch.nn as nn

from mmrazor_zs.registry import MODELS
from .generator_distiller import GeneratorDistiller


@MODELS.register_module()
class DFAD(GeneratorDistiller):
    """Data-Free Adversarial Distillation.

    Fang et al., `Data-Free Adversarial Distillation
    <https://arxiv.org/abs/1912.11006>`_, arXiv 2019. The student and the
    generator play a min-max game on the mean absolute difference of the
    logits (Eq. 4-6). The released ``DFAD_cifar.py``
    (VainF/Data-Free-Adversarial-Distillation c161591, lines 23-46) takes,
    per iteration, 5 student steps on fresh detached batches
    (``L_S = mean |S(x) - T(x)|``) and then one generator step on a fresh
    batch (``L_G = -mean |S(x) - T(x)|``), the student in train mode
    throughout (its BN statistics move in the generator step too).

    Args:
        teacher (dict | nn.Module): The teacher classifier.
        student (dict | nn.Module): The student classifier.
        generator (dict | nn.Module): Defaults to the released
            ``GeneratorA``: ``dict(type='DAFLGenerator', latent_dim=256,
            hidden_bn_eps=1e-5)``.
        generator_losses (dict): Defaults to
            ``adversarial=L1Logits(loss_weight=-1)``.
        student_loss (dict): Defaults to ``L1Logits()``.
        batch_size (int): Defaults to 256.
        student_steps (int): Defaults to 5.
        order (str): Defaults to 'student_first'.
        student_batch (str): Defaults to 'fresh'.
        **kwargs: The other settings of :class:`GeneratorDistiller`
            (``teacher_ckpt``, ``input_shape``, ``seed``, ...).
    """

    def __init__(self,
                 teacher: Union[dict, nn.Module],
                 student: Union[dict, nn.Module],
                 generator: Union[dict, nn.Module] = dict(
                     type='DAFLGenerator', latent_dim=256, hidden_bn_eps=1e-5),
                 generator_losses: Dict[str, Union[dict, nn.Module]] = dict(
                     adversarial=dict(type='L1Logits', loss_weight=-1.0)),
                 student_loss: dict = dict(type='L1Logits'),
                 batch_size: int = 256,
                 student_steps: int = 5,
                 order: str = 'student_first',
                 student_batch: str = 'fresh',
                 **kwargs) -> None:
        super().__init__(
            teacher,
            student,
            generator,
            generator_losses=generator_losses,
            student_loss=student_loss,
            batch_size=batch_size,
            student_steps=student_steps,
            order=order,
            student_batch=student_batch,
            **kwargs)
