# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""mmrazor_zs: data-free (zero-shot) knowledge distillation on mmengine."""
import warnings

# mmcv-lite lacks the compiled ops; mmcv warns about one of them on import
# although nothing here uses it. Silence exactly that message, before any
# submodule imports mmcv.
warnings.filterwarnings(
    'ignore',
    message='Fail to import ``MultiScaleDeformableAttention``',
    category=UserWarning)

from .version import __version__  # noqa: E402

__all__ = ['__version__']
