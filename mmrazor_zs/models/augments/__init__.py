# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .zskd_augment_family import ZSKDAugmentFamily, released_family

__all__ = ['ZSKDAugmentFamily', 'released_family']
