# Copyright (c) mmrazor_zs contributors. All rights reserved.
from mmrazor_zs.registry import MODELS
from .inversion_distiller import InversionDistiller

#: The zju-vipa zoo's DeepInversion terms (DataFree 9e79fa9,
#: ``datafree_kd.py`` lines 247-254 and ``scripts/deepinv/``): ``bn`` 10,
#: ``oh`` 1, ``tv`` 1e-3 on the batch before jitter, ``l2`` 0.
ZJU_DEEPINVERSION_LOSSES = dict(
    bn=dict(type='BatchNormStatisticsLoss', loss_weight=10.0),
    onehot=dict(type='LabelCrossEntropy', loss_weight=1.0),
    tv=dict(
        type='TotalVariationPrior',
        form='mean_abs',
        image='synthesized',
        loss_weight=1e-3))


@MODELS.register_module()
class DeepInversion(InversionDistiller):
    """DeepInversion: images inverted from the teacher's batch-norm
    statistics, then distilled on.

    Yin et al., `Dreaming to Distill: Data-free Knowledge Transfer via
    DeepInversion <https://arxiv.org/abs/1912.08795>`_, CVPR 2020, Eq. 2-4.
    A :class:`DeepInversionSynthesizer` optimises each batch of pixels for
    ``CE(t, y) + bn * BNS + tv * TV (+ l2 * ||x||)``; the student learns
    ``KL_20(T || S)`` on the pool. Defaults: the zju-vipa zoo's loop
    (DataFree 9e79fa9: a round of 1,000 Adam steps at lr 0.1 per 400
    student steps, batch 256, SGD 0.1 and cosine for the student, set in
    the configs); the paper's offline form (every batch first, NVlabs
    2413af1) is ``round_interval=None`` with ``warmup_rounds`` batches.

    The default synthesizer (:attr:`synthesizer_defaults`, which a config's
    ``synthesizer`` overrides key by key; a given ``losses`` replaces the
    default terms): ``DeepInversionSynthesizer`` with steps 1000, lr 0.1,
    betas (0.5, 0.99), roll up to 4 px + flip, random sorted labels, clip
    to pixels, the terms of :data:`ZJU_DEEPINVERSION_LOSSES`.

    Args:
        teacher (dict | nn.Module): The teacher; it must have batch norm.
        student (dict | nn.Module): The student.
        **kwargs: :class:`InversionDistiller`'s arguments.
    """

    synthesizer_defaults = dict(
        type='DeepInversionSynthesizer',
        batch_size=256,
        steps=1000,
        lr=0.1,
        betas=(0.5, 0.99),
        augment=dict(type='jitter_flip', max_shift=4, flip=True),
        labels='random',
        clip=True,
        losses=ZJU_DEEPINVERSION_LOSSES)


@MODELS.register_module()
class ADI(DeepInversion):
    """Adaptive DeepInversion: DeepInversion with a competition term that makes
    images on which the student and the teacher disagree.

    Yin et al., CVPR 2020, Eq. 8: ``- adv * JS(p_s || p_t)`` at temperature
    3 is added to the synthesis loss, with the student in eval mode, in
    the form the zju-vipa zoo computes it (``JensenShannonCompetition
    (form='zju')``, ``adv`` 1 as in ``scripts/deepinv/
    deepinv_cifar10_wrn402_wrn161.sh``; the zoo's "DeepInv" runs are this
    ADI loop). NVlabs' ``1 - clamp(JS, 0, 1)`` is ``form='nvlabs'`` with a
    positive weight.
    """

    synthesizer_defaults = dict(
        DeepInversion.synthesizer_defaults,
        losses=dict(
            ZJU_DEEPINVERSION_LOSSES,
            competition=dict(
                type='JensenShannonCompetition',
                tau=3.0,
                form='zju',
                loss_weight=-1.0)))
