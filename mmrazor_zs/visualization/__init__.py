# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .grids import ClassSample, class_grid, label_strip
from .histogram import class_histogram_image

__all__ = ['ClassSample', 'class_grid', 'class_histogram_image', 'label_strip']
