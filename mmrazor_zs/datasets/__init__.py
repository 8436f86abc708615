# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .class_balanced_subset import ClassBalancedSubset
from .data_impressions import DataImpressions
from .digits import Digits
from .offline_cifar import OfflineCIFAR10, OfflineCIFAR100
from .offline_mnist import OfflineFashionMNIST, OfflineMNIST
from .offline_svhn import OfflineSVHN
from .transforms import GaussianNoise, SaltPepperNoise

__all__ = [
    'ClassBalancedSubset', 'DataImpressions', 'Digits', 'GaussianNoise',
    'OfflineCIFAR10', 'OfflineCIFAR100', 'OfflineFashionMNIST', 'OfflineMNIST',
    'OfflineSVHN', 'SaltPepperNoise'
]
