# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .lenet5 import LeNet5Backbone
from .wide_resnet_cifar import WideResNetCIFAR

__all__ = ['LeNet5Backbone', 'WideResNetCIFAR']
