# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .zskt import ZSKT

__all__ = ['ZSKT']
