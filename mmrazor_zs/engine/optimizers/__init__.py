# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .autocast_optim_wrapper import AutocastOptimWrapper
from .device_optim_wrapper import DeviceOptimWrapper
from .separate_constructor import SeparateOptimWrapperConstructor

__all__ = [
    'AutocastOptimWrapper', 'DeviceOptimWrapper',
    'SeparateOptimWrapperConstructor'
]
