# Copyright (c) mmrazor_zs contributors. All rights reserved.
import os.path as osp

from mmpretrain.datasets import CIFAR10
from mmpretrain.datasets.utils import check_md5

from mmrazor_zs.registry import DATASETS


@DATASETS.register_module()
class OfflineCIFAR10(CIFAR10):
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

    def load_data_list(self):
        if not self.download:
            self._check_local_files()
        return super().load_data_list()

    def _check_local_files(self) -> None:
        root = self.data_prefix['root']
        folder = osp.join(root, self.base_folder)
        entries = self.train_list + self.test_list + [
            [self.meta['filename'], self.meta['md5']]
        ]
        missing = [name for name, _ in entries
                   if not osp.isfile(osp.join(folder, name))]
        if missing:
            raise FileNotFoundError(
                f'CIFAR-10 is not in {folder}: missing {missing}. Download '
                f'the python version ({self.filename}) from {self.url}, '
                f'extract it into {root} so that {folder} holds data_batch_1'
                '..data_batch_5, test_batch and batches.meta, or set '
                '`data_root` to the folder that contains '
                f'{self.base_folder}. Nothing is downloaded unless '
                '`download=True`.')
        for name, md5 in entries:
            path = osp.join(folder, name)
            if md5 is not None and not check_md5(path, md5):
                raise ValueError(
                    f'{path} is not the official CIFAR-10 file (md5 '
                    'mismatch): it is corrupt or from another dataset. '
                    'Extract the archive again, or set `verify_md5=False` '
                    'for a file you made yourself.')
