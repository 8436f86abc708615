# Copyright (c) mmrazor_zs contributors. All rights reserved.
from typing import Optional, Union

import torch.nn as nn

from mmrazor_zs.registry import MODELS
from mmrazor_zs.utils import check_positive_int
from .inversion_distiller import InversionDistiller


@MODELS.register_module()
class NAYER(InversionDistiller):
    """NAYER: a generator of label-text embeddings and re-drawn noisy layers
    fills the pool; the student distils on it.

    Tran et al., `NAYER: Noisy Layer Data Generation for Efficient and
    Effective Data-free Knowledge Distillation
    <https://arxiv.org/abs/2310.00258>`_, CVPR 2024. The defaults are
    tmtuan1307/NAYER c6bedcd's ``scripts/nayer_100.sh`` for CIFAR-100
    (``datafree_kd.py`` with ``--synthesis_batch_size 400 --g_steps 40
    --lr_g 4e-3 --bn 10 --oh 0.5 --adv 1.33 --g_life 10 --g_loops 2
    --gwp_loops 10 --warmup 20``, ``--kd_steps`` 400 and ``--bn_mmt`` 0.9
    by default): the code's epoch is a synthesis call of ``loops``
    generator loops (``warmup_loops`` during the ``warmup_epochs``, which
    train no student) followed by ``round_interval`` student steps. Here a
    loop is a round of the :class:`NAYERSynthesizer`: ``warmup_epochs *
    warmup_loops`` warm-up rounds, then ``loops`` rounds per
    ``round_interval`` student steps. The agreement-masked adversarial term
    starts with the first epoch after the warm-up (the code's ``self.ep >
    ep_start`` counts the epoch before comparing). The student's loss is
    the zoo's ``KL`` at T = 20.

    Differences from the code, none of which changes a loss: the code's
    resumed run restarts its warm-up and generator-life counts (its
    synthesis epoch counter is not saved); here they travel with the
    checkpoint. ``--method nayer`` of the released scripts is refused by
    the code's own argument parser (``choices=['nldf']``); here the method
    is the config's ``type``.

    Args:
        teacher (dict | nn.Module): The teacher; it must have batch norm.
        student (dict | nn.Module): The student.
        synthesizer (dict, optional): Overrides of
            :attr:`synthesizer_defaults`; ``generator.label_embeddings`` is
            required (a file, or ``dict(type='random', ...)``).
            Defaults to None.
        warmup_epochs (int): Defaults to 20.
        warmup_loops (int): Defaults to 10.
        loops (int): Defaults to 2.
        generator_life (int): Epochs between generator rebuilds.
            Defaults to 10.
        batch_size (int): Pool images per student step. Defaults to 512.
        **kwargs: :class:`InversionDistiller`'s arguments.
    """

    synthesizer_defaults = dict(
        type='NAYERSynthesizer',
        batch_size=400,
        steps=40,
        lr_g=4e-3,
        augment=dict(type='crop_flip', padding=4, flip=True),
        labels='balanced',
        bn_momentum=0.9,
        generator=dict(type='NoisyLayerGenerator', noise_dim=1000),
        losses=dict(
            bn=dict(type='BatchNormStatisticsLoss', loss_weight=10.0),
            onehot=dict(type='LabelCrossEntropy', loss_weight=0.5),
            adversarial=dict(type='AgreementMaskedKL', loss_weight=-1.33)))

    def __init__(self,
                 teacher: Union[dict, nn.Module],
                 student: Union[dict, nn.Module],
                 synthesizer: Optional[dict] = None,
                 warmup_epochs: int = 20,
                 warmup_loops: int = 10,
                 loops: int = 2,
                 generator_life: int = 10,
                 batch_size: int = 512,
                 **kwargs) -> None:
        for counted in ('warmup_rounds', 'rounds_per_interval'):
            if counted in kwargs:
                raise ValueError(
                    f'NAYER counts its rounds from its epochs; set '
                    '`warmup_epochs`, `warmup_loops` and `loops` instead of '
                    f'`{counted}`.')
        check_positive_int('warmup_epochs', warmup_epochs, 'NAYER', minimum=0)
        check_positive_int('warmup_loops', warmup_loops, 'NAYER')
        warmup_rounds = warmup_epochs * warmup_loops
        schedule = dict(
            warmup_epochs=warmup_epochs,
            warmup_loops=warmup_loops,
            loops=loops,
            generator_life=generator_life,
            student_terms_from_round=warmup_rounds)
        overrides = dict(synthesizer or {})
        generator = dict(self.synthesizer_defaults['generator'],
                         **overrides.pop('generator', {}))
        super().__init__(
            teacher,
            student,
            synthesizer=dict(schedule, generator=generator, **overrides),
            warmup_rounds=warmup_rounds,
            rounds_per_interval=loops,
            batch_size=batch_size,
            **kwargs)
