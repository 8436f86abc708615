# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""mmrazor_zs: data-free (zero-shot) knowledge distillation on mmengine."""
from .version import __version__

__all__ = ['__version__']
