# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .grids import class_grid, to_display_images
from .histogram import class_histogram_image

__all__ = ['class_grid', 'class_histogram_image', 'to_display_images']
