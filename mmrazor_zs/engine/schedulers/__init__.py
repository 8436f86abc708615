# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .fractional_multistep_lr import FractionalMultiStepLR

__all__ = ['FractionalMultiStepLR']
