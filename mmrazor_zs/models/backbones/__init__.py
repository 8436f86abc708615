# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .alexnet_cifar import AlexNetCIFAR
from .lenet5 import LeNet5Backbone
from .vgg_cifar import VGGCIFAR
from .wide_resnet_cifar import WideResNetCIFAR

__all__ = ['AlexNetCIFAR', 'LeNet5Backbone', 'VGGCIFAR', 'WideResNetCIFAR']
