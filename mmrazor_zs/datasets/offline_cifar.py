# Copyright (c) mmrazor_zs contributors. All rights reserved.
import os.path as osp
from typing import Dict, List, Optional

from mmpretrain.datasets import CIFAR10, CIFAR100
from mmpretrain.datasets.utils import check_md5

from mmrazor_zs.registry import DATASETS


class OfflineCIFARMixin(CIFAR10):
    """Read the official CIFAR python files under ``data_root``, never download
    unless asked to, and say which files are missing or corrupt.

    Mixed in before mmpretrain's ``CIFAR10`` or ``CIFAR100``, whose
    ``base_folder``, ``train_list``, ``test_list``, ``meta``, ``filename``
    and ``url`` name the files and the official archive; it derives from
    ``CIFAR10`` to say so (the method resolution order of the datasets is the
    same as with a plain mixin). ``cifar_name`` and ``cifar_files`` only word
    the messages.

    Args:
        data_root (str): Folder that contains ``base_folder``.
        split (str): 'train' or 'test'. Defaults to 'train'.
        download (bool): Download the archive when missing (needs network).
            Defaults to False.
        verify_md5 (bool): Check each file against the official md5.
            Defaults to True.
        **kwargs: Other arguments of mmpretrain's ``CIFAR10``.
    """

    cifar_name: str = ''
    cifar_files: str = ''
    # set by CIFAR10 / CIFAR100: ``[file name, md5 or None]`` entries and
    # the meta file's name, md5 and key of the class names
    train_list: List[list]
    test_list: List[list]
    meta: Dict[str, Optional[str]]

    def __init__(self,
                 data_root: str = '',
                 split: str = 'train',
                 download: bool = False,
                 verify_md5: bool = True,
                 **kwargs) -> None:
        self.verify_md5 = verify_md5
        if not verify_md5:
            self.train_list = [[name, None] for name, _ in self.train_list]
            self.test_list = [[name, None] for name, _ in self.test_list]
            self.meta = dict(self.meta, md5=None)
        super().__init__(
            data_root=data_root, split=split, download=download, **kwargs)

    def load_data_list(self) -> List[dict]:
        """Check the local files (unless downloading), then read them with
        mmpretrain's reader.

        Returns:
            list[dict]: One ``dict(img, gt_label)`` per image.

        Raises:
            FileNotFoundError: If a file is missing.
            ValueError: If a file fails the md5 check.
        """
        if not self.download:
            self._check_local_files()
        return super().load_data_list()

    def _check_local_files(self) -> None:
        """Raise a FileNotFoundError naming the missing files and where to get
        them, or a ValueError naming a file whose md5 is not the official one
        (unless ``verify_md5=False``)."""
        root = self.data_prefix['root']
        folder = osp.join(root, self.base_folder)
        entries = self.train_list + self.test_list + [[
            self.meta['filename'], self.meta['md5']
        ]]
        missing = [
            name for name, _ in entries
            if not osp.isfile(osp.join(folder, name))
        ]
        if missing:
            raise FileNotFoundError(
                f'{self.cifar_name} is not in {folder}: missing {missing}. '
                f'Download the python version ({self.filename}) from '
                f'{self.url}, extract it into {root} so that {folder} holds '
                f'{self.cifar_files}, or set `data_root` to the folder that '
                f'contains {self.base_folder}. Nothing is downloaded unless '
                '`download=True`.')
        for name, md5 in entries:
            path = osp.join(folder, name)
            if md5 is not None and not check_md5(path, md5):
                raise ValueError(
                    f'{path} is not the official {self.cifar_name} file (md5 '
                    'mismatch): it is corrupt or from another dataset. '
                    'Extract the archive again, or set `verify_md5=False` '
                    'for a file you made yourself.')


@DATASETS.register_module()
class OfflineCIFAR10(OfflineCIFARMixin, CIFAR10):
    """mmpretrain's CIFAR-10 that never downloads unless asked to.

    Reads the official python batches (``cifar-10-batches-py/data_batch_1``
    .. ``data_batch_5``, ``test_batch``, ``batches.meta``) under
    ``data_root``. A missing folder or file is reported with what to put
    where; a file whose md5 differs from the official one is reported as
    corrupt.

    Args:
        data_root (str): Folder that contains ``cifar-10-batches-py``.
        split (str): 'train' or 'test'. Defaults to 'train'.
        download (bool): Download the archive when missing (needs network).
            Defaults to False.
        verify_md5 (bool): Check each file against the official md5.
            Defaults to True.
        **kwargs: Other arguments of mmpretrain's ``CIFAR10``.
    """

    cifar_name = 'CIFAR-10'
    cifar_files = 'data_batch_1..data_batch_5, test_batch and batches.meta'


@DATASETS.register_module()
class OfflineCIFAR100(OfflineCIFARMixin, CIFAR100):
    """mmpretrain's CIFAR-100 that never downloads unless asked to.

    Reads the official python files (``cifar-100-python/train``, ``test``
    and ``meta``) under ``data_root``: images from ``data`` (N x 3072 uint8,
    each row the 3 x 32 x 32 channels, returned as 32 x 32 x 3), labels from
    ``fine_labels`` (0..99; ``coarse_labels`` are not used) and the class
    names from the ``fine_label_names`` of ``meta`` unless ``metainfo`` gives
    them. A missing folder or file is reported with what to put where; a
    file whose md5 differs from the official one is reported as corrupt.

    Args:
        data_root (str): Folder that contains ``cifar-100-python``.
        split (str): 'train' or 'test'. Defaults to 'train'.
        download (bool): Download the archive when missing (needs network).
            Defaults to False.
        verify_md5 (bool): Check each file against the official md5.
            Defaults to True.
        **kwargs: Other arguments of mmpretrain's ``CIFAR100``.
    """

    # no built-in names: mmpretrain's CIFAR10.load_data_list then reads
    # ``meta['key']`` (fine_label_names) from the meta file
    METAINFO: dict = {}
    cifar_name = 'CIFAR-100'
    cifar_files = 'train, test and meta'

    def _load_meta(self) -> None:
        """Read the class names as mmpretrain does (``fine_label_names`` of
        ``meta``, unless ``metainfo`` gives them), as a tuple: the file holds a
        list."""
        super()._load_meta()
        self._metainfo['classes'] = tuple(self._metainfo['classes'])
