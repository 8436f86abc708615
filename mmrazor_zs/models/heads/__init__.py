# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .alexnet_cifar_head import AlexNetCIFARClsHead
from .torch_linear_init import TorchLinearInit

__all__ = ['AlexNetCIFARClsHead', 'TorchLinearInit']
