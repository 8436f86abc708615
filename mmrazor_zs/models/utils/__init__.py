# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .build import build_submodel, model_config_from_file
from .feature_taps import FeatureTaps
from .student_weights import STUDENT_PREFIX, student_weights
from .teacher_checkpoint import (TeacherCheckpointError,
                                 load_teacher_checkpoint, state_dict_of)

__all__ = [
    'FeatureTaps', 'STUDENT_PREFIX', 'TeacherCheckpointError',
    'build_submodel', 'load_teacher_checkpoint', 'model_config_from_file',
    'state_dict_of', 'student_weights'
]
