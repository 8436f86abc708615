# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .belief_match_hook import BeliefMatchHook
from .distill_summary_hook import DistillSummaryHook
from .finite_loss_hook import FiniteLossHook, NonFiniteLossError
from .image_pool_hook import ImagePoolHook
from .reseed_hook import ReseedHook
from .synthetic_samples_hook import SyntheticSamplesHook

__all__ = [
    'BeliefMatchHook', 'DistillSummaryHook', 'FiniteLossHook', 'ImagePoolHook',
    'NonFiniteLossError', 'ReseedHook', 'SyntheticSamplesHook'
]
