# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .class_similarity import (class_similarity, concentration_matrix,
                               dirichlet_concentration, find_linear_layer,
                               min_max, sample_dirichlet)
from .cmi_synthesizer import CMISynthesizer, ProjectionHead
from .cpnet_synthesizer import CPNetSynthesizer
from .deepinversion_synthesizer import DeepInversionSynthesizer
from .fast_meta_synthesizer import FastMetaSynthesizer
from .generator_synthesizer import GeneratorSynthesizer
from .impression_optimizer import ImpressionOptimizer
from .impression_synthesis import ImpressionSynthesis
from .inversion_synthesizer import InversionSynthesizer, Synthesis
from .nayer_synthesizer import NAYERSynthesizer

__all__ = [
    'CMISynthesizer', 'CPNetSynthesizer', 'DeepInversionSynthesizer',
    'FastMetaSynthesizer', 'GeneratorSynthesizer', 'ImpressionOptimizer',
    'ImpressionSynthesis', 'InversionSynthesizer', 'NAYERSynthesizer',
    'ProjectionHead', 'Synthesis', 'class_similarity', 'concentration_matrix',
    'dirichlet_concentration', 'find_linear_layer', 'min_max',
    'sample_dirichlet'
]
