# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .bn_statistics import BatchNormStatistics
from .build import build_submodel, model_config_from_file
from .feature_taps import FeatureTaps
from .forward_recorder import ForwardRecorder, batch_norm_paths
from .instance_means import InstanceMeans
from .pair_checks import (as_layer_pairs, check_attention_pairs,
                          check_class_counts)
from .student_weights import STUDENT_PREFIX, student_weights
from .teacher_checkpoint import TeacherCheckpointError, load_teacher_checkpoint

__all__ = [
    'BatchNormStatistics', 'FeatureTaps', 'ForwardRecorder', 'InstanceMeans',
    'batch_norm_paths', 'STUDENT_PREFIX', 'TeacherCheckpointError',
    'as_layer_pairs', 'build_submodel', 'check_attention_pairs',
    'check_class_counts', 'load_teacher_checkpoint', 'model_config_from_file',
    'student_weights'
]
