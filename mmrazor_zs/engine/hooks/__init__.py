# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .distill_summary_hook import DistillSummaryHook

__all__ = ['DistillSummaryHook']
