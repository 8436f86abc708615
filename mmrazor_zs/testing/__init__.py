# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .tiny_models import tiny_classifier_cfg, tiny_zskt_cfg

__all__ = ['tiny_classifier_cfg', 'tiny_zskt_cfg']
