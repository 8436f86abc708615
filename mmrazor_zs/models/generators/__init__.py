# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .zskt_generator import ZSKTGenerator

__all__ = ['ZSKTGenerator']
