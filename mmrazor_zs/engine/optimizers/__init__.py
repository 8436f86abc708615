# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .separate_constructor import SeparateOptimWrapperConstructor

__all__ = ['SeparateOptimWrapperConstructor']
