# Copyright (c) mmrazor_zs contributors. All rights reserved.
from typing import List

import numpy as np
import torch
import torch.nn.functional as F
from mmpretrain.datasets import BaseDataset

from mmrazor_zs.registry import DATASETS
from mmrazor_zs.utils import check_choice, quantize_pixels

SPLITS = ('train', 'test')


@DATASETS.register_module()
class Digits(BaseDataset):
    """scikit-learn's bundled handwritten digits as an mmpretrain dataset.

    The 1,797 8 x 8 images (UCI optical digits, pixel values 0..16) ship
    inside scikit-learn, so nothing is downloaded. Images are scaled to
    0..255, upsampled bilinearly to ``img_size`` and stored as uint8
    ``(H, W, 1)`` arrays. The split is stratified and fixed by ``seed``: with
    the defaults, 1,347 training and 450 test images.

    Args:
        split (str): 'train' or 'test'. Defaults to 'train'.
        img_size (int): Side of the upsampled images. Defaults to 32.
        test_fraction (float): Fraction of images in the test split.
            Defaults to 0.25.
        seed (int): Seed of the split. Defaults to 0.
        **kwargs: Other arguments of mmpretrain's ``BaseDataset``
            (``pipeline``, ``test_mode``, ...).
    """
    METAINFO = {'classes': tuple(str(d) for d in range(10))}

    def __init__(self,
                 split: str = 'train',
                 img_size: int = 32,
                 test_fraction: float = 0.25,
                 seed: int = 0,
                 **kwargs) -> None:
        check_choice('split', split, SPLITS, 'Digits')
        self.split = split
        self.img_size = img_size
        self.test_fraction = test_fraction
        self.seed = seed
        super().__init__(ann_file='', **kwargs)

    def load_data_list(self) -> List[dict]:
        """Load the split from scikit-learn and upsample it.

        Returns:
            list[dict]: One ``dict(img, gt_label)`` per image: a uint8
            ``(img_size, img_size, 1)`` array and the digit.
        """
        from sklearn.datasets import load_digits
        from sklearn.model_selection import train_test_split
        digits = load_digits()
        indices = np.arange(len(digits.target))
        train_idx, test_idx = train_test_split(
            indices,
            test_size=self.test_fraction,
            random_state=self.seed,
            stratify=digits.target)
        chosen = np.sort(train_idx if self.split == 'train' else test_idx)
        images = torch.from_numpy(digits.images[chosen] / 16.0).float()
        images = F.interpolate(
            images[:, None],
            size=(self.img_size, self.img_size),
            mode='bilinear',
            align_corners=False)
        images = quantize_pixels(images)
        arrays = images.permute(0, 2, 3, 1).numpy()
        return [
            dict(img=image, gt_label=int(label))
            for image, label in zip(arrays, digits.target[chosen])
        ]
