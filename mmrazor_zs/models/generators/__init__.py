# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .presets import DAFLGenerator, DFQGenerator, PixelGenerator, ZSKTGenerator
from .upsample_generator import UpsampleGenerator

__all__ = [
    'DAFLGenerator', 'DFQGenerator', 'PixelGenerator', 'UpsampleGenerator',
    'ZSKTGenerator'
]
