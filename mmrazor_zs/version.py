# Copyright (c) mmrazor_zs contributors. All rights reserved.
__version__ = '0.1.0'
