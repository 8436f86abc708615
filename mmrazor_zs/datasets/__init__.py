# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .digits import Digits
from .offline_cifar import OfflineCIFAR10

__all__ = ['Digits', 'OfflineCIFAR10']
