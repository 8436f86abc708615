# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .distill_summary_hook import DistillSummaryHook
from .finite_loss_hook import FiniteLossHook, NonFiniteLossError
from .reseed_hook import ReseedHook

__all__ = [
    'DistillSummaryHook', 'FiniteLossHook', 'NonFiniteLossError', 'ReseedHook'
]
