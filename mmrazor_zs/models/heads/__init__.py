# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .alexnet_cifar_head import AlexNetCIFARClsHead

__all__ = ['AlexNetCIFARClsHead']
