# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .impressions import (synthesis_settings, synthesize_impressions,
                          teacher_fingerprint)

__all__ = [
    'synthesis_settings', 'synthesize_impressions', 'teacher_fingerprint'
]
