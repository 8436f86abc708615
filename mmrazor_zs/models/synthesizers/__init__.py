# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .class_similarity import (class_similarity, concentration_matrix,
                               dirichlet_concentration, find_linear_layer,
                               min_max, sample_dirichlet)
from .impression_optimizer import ImpressionOptimizer

__all__ = [
    'ImpressionOptimizer', 'class_similarity', 'concentration_matrix',
    'dirichlet_concentration', 'find_linear_layer', 'min_max',
    'sample_dirichlet'
]
