# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Noise augmentations of ZSKD's released code, for uint8 images."""
import numpy as np
from mmcv.transforms import BaseTransform

from mmrazor_zs.registry import TRANSFORMS


@TRANSFORMS.register_module()
class GaussianNoise(BaseTransform):
    """Add N(0, std^2) noise (0..255 scale) with probability ``prob``."""

    def __init__(self, std: float = 10.0, prob: float = 0.5) -> None:
        self.std = std
        self.prob = prob

    def transform(self, results: dict) -> dict:
        if np.random.rand() < self.prob:
            img = results['img'].astype(np.float32)
            img += np.random.normal(0, self.std, img.shape)
            results['img'] = np.clip(img, 0, 255).astype(np.uint8)
        return results


@TRANSFORMS.register_module()
class SaltPepperNoise(BaseTransform):
    """Set a fraction ``amount`` of pixels to 0 or 255 with probability
    ``prob``."""

    def __init__(self, amount: float = 0.02, prob: float = 0.5) -> None:
        self.amount = amount
        self.prob = prob

    def transform(self, results: dict) -> dict:
        if np.random.rand() < self.prob:
            img = results['img'].copy()
            mask = np.random.rand(*img.shape[:2])
            img[mask < self.amount / 2] = 0
            img[mask > 1 - self.amount / 2] = 255
            results['img'] = img
        return results
