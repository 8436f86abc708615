# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .impressions import (impressions_dir, prepare_impressions,
                          synthesis_settings, synthesize_from_config,
                          synthesize_impressions, teacher_fingerprint)

__all__ = [
    'impressions_dir', 'prepare_impressions', 'synthesis_settings',
    'synthesize_from_config', 'synthesize_impressions', 'teacher_fingerprint'
]
