# Copyright (c) mmrazor_zs contributors. All rights reserved.
import os.path as osp
from typing import List

from mmpretrain.datasets import MNIST, FashionMNIST

from mmrazor_zs.registry import DATASETS
from mmrazor_zs.utils import check_choice

SPLITS = ('train', 'test')


class OfflineIdxMixin(MNIST):
    """Read the official idx files from ``data_root``, never download, and say
    exactly which files are missing or malformed.

    Mixed in before mmpretrain's ``MNIST`` or ``FashionMNIST``, whose
    ``train_list``, ``test_list`` and ``url_prefix`` name the files; it
    derives from ``MNIST`` to say so (the method resolution order of the
    datasets is the same as with a plain mixin).

    Args:
        data_root (str): Folder with the four uncompressed idx files.
        split (str): 'train' or 'test'. Defaults to 'train'.
        download (bool): Download when missing. Defaults to False.
        **kwargs: Other arguments of mmpretrain's ``MNIST``.
    """

    def __init__(self,
                 data_root: str = '',
                 split: str = 'train',
                 download: bool = False,
                 **kwargs) -> None:
        check_choice('split', split, SPLITS, type(self).__name__)
        super().__init__(
            data_root=data_root,
            test_mode=split == 'test',
            download=download,
            **kwargs)

    def _check_local_files(self) -> None:
        """Raise a FileNotFoundError naming the idx files missing from
        ``data_root`` and where to get them."""
        root = self.data_prefix['root']
        names = [name[:-3] for name, _ in self.train_list + self.test_list]
        missing = [n for n in names if not osp.isfile(osp.join(root, n))]
        if missing:
            raise FileNotFoundError(
                f'{type(self).__name__}: {root} lacks {missing}. Put the '
                f'four uncompressed idx files ({", ".join(names)}) there '
                f'(download the .gz files from {self.url_prefix} and gunzip '
                'them, or, offline, run `python tools/dataset_converters/'
                'prepare_mnist.py` from the repository: docs/en/'
                'get_started.md). Nothing is downloaded unless '
                '`download=True`.')

    def load_data_list(self) -> List[dict]:
        """Check the local files (unless downloading), then read them with
        mmpretrain's reader.

        Returns:
            list[dict]: One ``dict(img, gt_label)`` per image.

        Raises:
            FileNotFoundError: If an idx file is missing.
            ValueError: If the files are not valid idx files.
        """
        if not self.download:
            self._check_local_files()
        try:
            return super().load_data_list()
        except (AssertionError, KeyError, ValueError, RuntimeError) as err:
            raise ValueError(
                f'{type(self).__name__}: the files in '
                f"{self.data_prefix['root']} are not valid idx files "
                f'(uint8 images N x 28 x 28, uint8 labels N): {err!r}.'
            ) from None


@DATASETS.register_module()
class OfflineMNIST(OfflineIdxMixin, MNIST):
    """mmpretrain's MNIST over local idx files (``train-images-idx3-ubyte``,
    ``train-labels-idx1-ubyte``, ``t10k-images-idx3-ubyte``,
    ``t10k-labels-idx1-ubyte``), without downloading; arguments as
    :class:`OfflineIdxMixin`."""


@DATASETS.register_module()
class OfflineFashionMNIST(OfflineIdxMixin, FashionMNIST):
    """mmpretrain's Fashion-MNIST over local idx files, without downloading;
    arguments as :class:`OfflineIdxMixin`."""
