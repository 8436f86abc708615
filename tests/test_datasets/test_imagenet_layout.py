# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""A fake ImageNet in the layout mmpretrain's ImageNet dataset reads
(``train/<wnid>/<wnid>_<n>.JPEG``, ``val/ILSVRC2012_val_<n>.JPEG``, and
``meta/train.txt``/``meta/val.txt`` of "path label" lines, as mmpretrain's data
preparation leaves a real copy), read as the ImageNet configs read it."""
from pathlib import Path
from typing import Sequence

import numpy as np
from PIL import Image

#: the first ImageNet classes, as their WordNet ids (labels 0, 1, 2)
WNIDS = ('n01440764', 'n01443537', 'n01484850')


def write_fake_imagenet(root: Path,
                        wnids: Sequence[str] = WNIDS,
                        per_class: int = 2,
                        size: int = 224) -> Path:
    """Random RGB JPEGs of ``size`` x ``size`` in ImageNet's layout.

    Args:
        root (Path): The folder that stands for ``data/imagenet``.
        wnids (Sequence[str]): The classes, labelled by their position.
            Defaults to the first three ImageNet classes.
        per_class (int): Images per class and split. Defaults to 2.
        size (int): Side in pixels. Defaults to 224.

    Returns:
        Path: ``root``.
    """
    rng = np.random.default_rng(0)
    (root / 'meta').mkdir(parents=True, exist_ok=True)
    lines = dict(train=[], val=[])
    for label, wnid in enumerate(wnids):
        for index in range(per_class):
            train = f'{wnid}/{wnid}_{index}.JPEG'
            val = f'ILSVRC2012_val_{len(lines["val"]) + 1:08d}.JPEG'
            for split, name in (('train', train), ('val', val)):
                path = root / split / name
                path.parent.mkdir(parents=True, exist_ok=True)
                pixels = rng.integers(0, 256, (size, size, 3), np.uint8)
                Image.fromarray(pixels).save(path, quality=90)
                lines[split].append(f'{name} {label}')
    for split, rows in lines.items():
        (root / 'meta' / f'{split}.txt').write_text('\n'.join(rows) + '\n')
    return root


def test_mmpretrain_reads_the_fake_imagenet(tmp_path):
    from mmpretrain.datasets import ImageNet
    write_fake_imagenet(tmp_path / 'imagenet')
    for split in ('train', 'val'):
        dataset = ImageNet(
            data_root=str(tmp_path / 'imagenet'),
            split=split,
            pipeline=[
                dict(type='mmpretrain.LoadImageFromFile'),
                dict(type='mmpretrain.CenterCrop', crop_size=224),
                dict(type='mmpretrain.PackInputs')
            ])
        assert len(dataset) == 6
        assert [int(dataset.get_data_info(i)["gt_label"])
                for i in range(6)] == [0, 0, 1, 1, 2, 2]
        assert tuple(dataset[0]['inputs'].shape) == (3, 224, 224)
