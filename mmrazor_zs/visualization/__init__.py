# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .grids import class_grid, to_display_images

__all__ = ['class_grid', 'to_display_images']
