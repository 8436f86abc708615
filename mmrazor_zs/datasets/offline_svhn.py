# Copyright (c) mmrazor_zs contributors. All rights reserved.
import os.path as osp
from typing import List

import numpy as np
from mmpretrain.datasets import BaseDataset

from mmrazor_zs.registry import DATASETS
from mmrazor_zs.utils import check_choice

SPLIT_FILES = {'train': 'train_32x32.mat', 'test': 'test_32x32.mat'}
OFFICIAL_URL = 'http://ufldl.stanford.edu/housenumbers/'


@DATASETS.register_module()
class OfflineSVHN(BaseDataset):
    """SVHN cropped digits from the official MATLAB files, never downloaded.

    Netzer et al., `Reading Digits in Natural Images with Unsupervised
    Feature Learning <http://ufldl.stanford.edu/housenumbers/>`_, NIPS
    Workshop 2011; ZSKT's other dataset. Reads ``train_32x32.mat`` (73,257
    images) or ``test_32x32.mat`` (26,032) of format 2 from ``data_root``:
    ``X`` is uint8 ``(32, 32, 3, N)`` with ``X[:, :, :, i]`` the RGB image
    ``i`` as H x W x C, ``y`` holds ``N`` labels 1..10 where 10 is the
    digit 0. Items are mmpretrain's: a uint8 H x W x C ``img`` and the digit
    as ``gt_label``. A missing file is reported with where to put it and
    where it comes from; a file that is not such a MATLAB file is named.

    Args:
        data_root (str): Folder with ``train_32x32.mat`` and / or
            ``test_32x32.mat``.
        split (str): 'train' or 'test' (only its file is read). Defaults to
            'train'.
        **kwargs: Other arguments of mmpretrain's ``BaseDataset``
            (``pipeline``, ``test_mode``, ...).
    """
    METAINFO = {'classes': tuple(str(d) for d in range(10))}

    def __init__(self,
                 data_root: str = '',
                 split: str = 'train',
                 **kwargs) -> None:
        check_choice('split', split, SPLIT_FILES, 'OfflineSVHN')
        self.split = split
        super().__init__(ann_file='', data_root=data_root, **kwargs)

    @property
    def mat_file(self) -> str:
        """The MATLAB file of the split."""
        return osp.join(self.data_root, SPLIT_FILES[self.split])

    def load_data_list(self) -> List[dict]:
        """Read and check the split's MATLAB file.

        Returns:
            list[dict]: One ``dict(img, gt_label)`` per image: a uint8
            ``(32, 32, 3)`` array and the digit 0..9.

        Raises:
            FileNotFoundError: If the file is missing.
            ValueError: If it is not a MATLAB file of the official layout.
        """
        from scipy.io import loadmat
        path = self.mat_file
        if not osp.isfile(path):
            raise FileNotFoundError(
                f'OfflineSVHN: {path} does not exist. Put the official '
                f'cropped-digits file {SPLIT_FILES[self.split]} (format 2, '
                f'from {OFFICIAL_URL}) in {self.data_root or "."}, or set '
                '`data_root` to the folder that holds it. Nothing is '
                'downloaded.')
        try:
            content = loadmat(path, variable_names=['X', 'y'])
        except Exception as err:  # scipy raises many types on bad files
            raise ValueError(
                f'OfflineSVHN: {path} is not a MATLAB v5 file that '
                f'scipy.io.loadmat can read ({err}). Download it again from '
                f'{OFFICIAL_URL}.') from None
        images, labels = self._check(path, content.get('X'), content.get('y'))
        labels = np.where(labels == 10, 0, labels)
        images = np.ascontiguousarray(images.transpose(3, 0, 1, 2))
        return [
            dict(img=image, gt_label=int(label))
            for image, label in zip(images, labels)
        ]

    @staticmethod
    def _check(path: str, images, labels) -> tuple:
        """The images and flat labels, if the arrays have the official layout;
        a ValueError naming the file otherwise."""
        layout = ('the official layout is X: uint8 (32, 32, 3, N), y: N '
                  'labels in 1..10')
        if images is None or labels is None:
            raise ValueError(f'OfflineSVHN: {path} lacks the variable X or '
                             f'y; {layout}.')
        labels = labels.reshape(-1)
        well_formed = (
            images.dtype == np.uint8 and images.ndim == 4
            and images.shape[:3] == (32, 32, 3)
            and images.shape[3] == labels.size)
        if not well_formed:
            raise ValueError(
                f'OfflineSVHN: {path} holds X {images.dtype} '
                f'{images.shape} and {labels.size} labels; {layout}.')
        if labels.size and (labels.min() < 1 or labels.max() > 10):
            raise ValueError(
                f'OfflineSVHN: {path} has labels in {labels.min()}..'
                f'{labels.max()}; {layout}.')
        return images, labels.astype(np.int64)
