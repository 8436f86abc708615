# Copyright (c) mmrazor_zs contributors. All rights reserved.
from mmrazor_zs.registry import MODELS
from .nayer import NAYER


@MODELS.register_module()
class CPNet(NAYER):
    """CPNet: NAYER's loop with a generator coupled to the teacher's stages.

    CPNet (ICCV 2025, "Coupling the Generator with Teacher for Effective
    Data-Free Knowledge Distillation"; the code at LannCX/CPNet 3f3d397 is
    NAYER's with ``--method cpnet``). The schedule and the student's side
    are :class:`NAYER`'s; the synthesis is :class:`CPNetSynthesizer`'s. The
    defaults are ``cpnet_100.sh`` for CIFAR-100 (``--batch_size 512
    --synthesis_batch_size 400 --lr 0.2 --warmup 20 --epochs 120 --lr_g
    4e-3 --adv 1.33 --bn 10.0 --oh 0.5 --g_steps 40 --g_life 10 --g_loops 2
    --gwp_loops 10``, ``--bn_mmt`` 0.9, ``--le_emb_size`` 1000, ``--T`` 20
    and ``--kd_steps`` 400 by default). ``synthesizer.bn_nodes`` is
    required: the teacher's layers the generator mirrors.

    Differences from the code: its ``synthesize`` logs an undefined
    ``loss_dis`` and stops with a ``NameError`` at the first step; here
    nothing is logged that is not computed. ``--dist`` (0.0 to 1.0 in the
    scripts) is read by the synthesizer and used nowhere, so it is not a
    setting. The code's hooks record every batch-norm input at every step
    and its ``_BN_NODES`` table names four teachers; here the coupled
    layers are a config value. Resume carries NAYER's counters, as
    :class:`NAYER` says. The adversarial term's KL runs from the student to
    the teacher (``AgreementMaskedKL(reverse=True)``), as the code's
    ``kldiv(t_out, s_out)``.

    Args:
        See :class:`NAYER`.
    """

    synthesizer_defaults = dict(
        NAYER.synthesizer_defaults,
        type='CPNetSynthesizer',
        generator=dict(type='CoupledGenerator', noise_dim=1000),
        alignment_weight=1.33,
        cutmix_prob=0.5,
        color_jitter=dict(
            brightness=0.1, contrast=0.1, saturation=0.1, hue=0.1, p=0.4),
        losses=dict(
            bn=dict(type='BatchNormStatisticsLoss', loss_weight=10.0),
            onehot=dict(type='LabelCrossEntropy', loss_weight=0.5),
            adversarial=dict(
                type='AgreementMaskedKL', loss_weight=-1.33, reverse=True)))
