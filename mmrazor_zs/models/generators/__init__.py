# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .coupled_generator import CoupledGenerator
from .label_embeddings import (load_label_embeddings, random_label_embeddings,
                               save_label_embeddings)
from .momentum_generator import MomentumGenerator
from .noisy_layer_generator import NoisyLabelCodes, NoisyLayerGenerator
from .presets import DAFLGenerator, DFQGenerator, PixelGenerator, ZSKTGenerator
from .spatial_latent_generator import (ProjectedSpatialGenerator,
                                       SpatialLatentGenerator)
from .upsample_generator import UpsampleGenerator

__all__ = [
    'CoupledGenerator', 'DAFLGenerator', 'DFQGenerator', 'MomentumGenerator',
    'NoisyLabelCodes', 'NoisyLayerGenerator', 'PixelGenerator',
    'ProjectedSpatialGenerator', 'SpatialLatentGenerator', 'UpsampleGenerator',
    'ZSKTGenerator', 'load_label_embeddings', 'random_label_embeddings',
    'save_label_embeddings'
]
