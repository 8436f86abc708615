# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .build import build_submodel, model_config_from_file
from .feature_taps import FeatureTaps
from .pair_checks import (as_layer_pairs, check_attention_pairs,
                          check_class_counts)
from .student_weights import STUDENT_PREFIX, student_weights
from .teacher_checkpoint import (TeacherCheckpointError,
                                 load_teacher_checkpoint, state_dict_of)

__all__ = [
    'FeatureTaps', 'STUDENT_PREFIX', 'TeacherCheckpointError',
    'as_layer_pairs', 'build_submodel', 'check_attention_pairs',
    'check_class_counts', 'load_teacher_checkpoint', 'model_config_from_file',
    'state_dict_of', 'student_weights'
]
