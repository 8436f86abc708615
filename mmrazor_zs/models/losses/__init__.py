# Copyright (c) mmrazor_zs contributors. All rights reserved.
from ..utils.bn_statistics import BatchNormStatisticsLoss
from .attention_transfer import AttentionTransferLoss, attention_map
from .generator_terms import (ActivationLoss, InformationEntropyLoss,
                              OnehotLikeLoss)
from .image_priors import L2Prior, TotalVariationPrior
from .inversion_terms import AgreementMaskedKL, LabelCrossEntropy
from .js_competition import JensenShannonCompetition
from .kl_divergence import KLDivergence
from .l1_logits import L1Logits

__all__ = [
    'ActivationLoss', 'AgreementMaskedKL', 'AttentionTransferLoss',
    'BatchNormStatisticsLoss', 'InformationEntropyLoss',
    'JensenShannonCompetition', 'KLDivergence', 'L1Logits',
    'LabelCrossEntropy', 'L2Prior', 'OnehotLikeLoss', 'TotalVariationPrior',
    'attention_map'
]
