# Copyright (c) mmrazor_zs contributors. All rights reserved.
import os.path as osp
from typing import List, Optional

from mmpretrain.datasets import BaseDataset

from mmrazor_zs.registry import DATASETS
from mmrazor_zs.storage import (ShardStoreError, read_manifest, read_shard,
                                shard_path)
from mmrazor_zs.utils import resolve_checkpoint, sha256_file


@DATASETS.register_module()
class DataImpressions(BaseDataset):
    """The data impressions of a finished ZSKD synthesis.

    Items hold ``img`` (uint8 H x W x C), ``gt_score`` (the teacher's
    softmax at tau on ``img``, the uint8 image as stored), ``gt_label``
    (the class it was made for) and ``beta``.

    Args:
        data_root (str): Folder with ``manifest.json`` and the shards.
        teacher_ckpt (str, optional): The config's teacher checkpoint; a
            manifest made by another teacher (sha256) is refused. None skips
            the check. Defaults to None.
        **kwargs: Other arguments of mmpretrain's ``BaseDataset``.

    Raises:
        ShardStoreError: If the folder holds no finished synthesis, is
            empty or incomplete, or was made by another teacher.
    """

    def __init__(self,
                 data_root: str,
                 teacher_ckpt: Optional[str] = None,
                 **kwargs) -> None:
        self.teacher_ckpt = teacher_ckpt
        super().__init__(ann_file='', data_root=data_root, **kwargs)

    def load_data_list(self) -> List[dict]:
        """One item per impression of the finished set, in plan order."""
        folder = self.data_root
        manifest = read_manifest(folder)
        if self.teacher_ckpt is not None:
            local = resolve_checkpoint(self.teacher_ckpt)
            expected = sha256_file(local) if osp.isfile(local) else None
            if manifest['teacher_sha256'] != expected:
                raise ShardStoreError(
                    f'The impressions in {folder} were made by another '
                    f'teacher (sha256 {manifest["teacher_sha256"][:12]}...), '
                    f'not by {self.teacher_ckpt}. Synthesise them again for '
                    'this teacher, in another folder.')
        if not manifest['shards']:
            raise ShardStoreError(f'{folder} holds no impressions.')
        items = []
        for spec in manifest['shards']:
            path = shard_path(folder, spec['index'])
            if not osp.isfile(path):
                raise ShardStoreError(
                    f'{folder} is incomplete: {osp.basename(path)} is '
                    'missing. Run the synthesis again to make it.')
            shard = read_shard(path, spec)
            for image, label in zip(shard['images'].numpy(),
                                    shard['labels'].numpy()):
                items.append(
                    dict(
                        img=image,
                        gt_score=label,
                        gt_label=spec['label'],
                        beta=spec['beta']))
        return items
