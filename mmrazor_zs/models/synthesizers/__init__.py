# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .class_similarity import (class_similarity, concentration_matrix,
                               dirichlet_concentration, find_linear_layer,
                               min_max, sample_dirichlet)
from .deepinversion_synthesizer import DeepInversionSynthesizer
from .impression_optimizer import ImpressionOptimizer
from .inversion_synthesizer import InversionSynthesizer, Synthesis

__all__ = [
    'DeepInversionSynthesizer', 'ImpressionOptimizer', 'InversionSynthesizer',
    'Synthesis', 'class_similarity', 'concentration_matrix',
    'dirichlet_concentration', 'find_linear_layer', 'min_max',
    'sample_dirichlet'
]
