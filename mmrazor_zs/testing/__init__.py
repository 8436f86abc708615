# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .optim import generator_student_wrappers, parameter_copies
from .timing import seconds_per_step
from .tiny_models import (tiny_classifier_cfg, tiny_generator_family_cfg,
                          tiny_zskt_cfg)

__all__ = [
    'generator_student_wrappers', 'parameter_copies', 'seconds_per_step',
    'tiny_classifier_cfg', 'tiny_generator_family_cfg', 'tiny_zskt_cfg'
]
