# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .attention_transfer import AttentionTransferLoss, attention_map
from .kl_divergence import KLDivergence

__all__ = ['AttentionTransferLoss', 'KLDivergence', 'attention_map']
