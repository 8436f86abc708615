# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Noise augmentations of ZSKD's released code, for uint8 images."""
import numpy as np
from mmcv.transforms import BaseTransform

from mmrazor_zs.registry import TRANSFORMS


@TRANSFORMS.register_module()
class GaussianNoise(BaseTransform):
    """Add N(0, std^2) noise (0..255 scale) with probability ``prob``.

    The noisy image is clipped to 0..255 and truncated back to uint8
    (numpy's ``astype``), not rounded as
    :func:`~mmrazor_zs.utils.quantize_pixels` rounds synthesised pixels:
    this is a data-pipeline transform on 0..255 arrays, where the
    truncation's bias of half a level on average is small next to the noise
    (``std`` levels), and rounding would change the seeded ZSKD runs.

    Args:
        std (float): Standard deviation of the noise on the 0..255 scale.
            Defaults to 10.0.
        prob (float): Probability of adding noise to an image.
            Defaults to 0.5.
    """

    def __init__(self, std: float = 10.0, prob: float = 0.5) -> None:
        self.std = std
        self.prob = prob

    def transform(self, results: dict) -> dict:
        """Add the noise to ``results['img']`` with probability ``prob``.

        Args:
            results (dict): The item, with a uint8 ``img``.

        Returns:
            dict: The same item, its ``img`` replaced when noise was added.
        """
        if np.random.rand() < self.prob:
            img = results['img'].astype(np.float32)
            img += np.random.normal(0, self.std, img.shape)
            results['img'] = np.clip(img, 0, 255).astype(np.uint8)
        return results


@TRANSFORMS.register_module()
class SaltPepperNoise(BaseTransform):
    """Set a fraction ``amount`` of pixels to 0 or 255 with probability
    ``prob``.

    Half of the expected ``amount`` becomes black (pepper), half white
    (salt), on every channel of the pixel.

    Args:
        amount (float): Expected fraction of pixels changed.
            Defaults to 0.02.
        prob (float): Probability of adding noise to an image.
            Defaults to 0.5.
    """

    def __init__(self, amount: float = 0.02, prob: float = 0.5) -> None:
        self.amount = amount
        self.prob = prob

    def transform(self, results: dict) -> dict:
        """Add the noise to ``results['img']`` with probability ``prob``.

        Args:
            results (dict): The item, with a uint8 ``img`` (H x W or
                H x W x C).

        Returns:
            dict: The same item, its ``img`` replaced when noise was added.
        """
        if np.random.rand() < self.prob:
            img = results['img'].copy()
            mask = np.random.rand(*img.shape[:2])
            img[mask < self.amount / 2] = 0
            img[mask > 1 - self.amount / 2] = 255
            results['img'] = img
        return results
