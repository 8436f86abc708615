# Copyright (c) mmrazor_zs contributors. All rights reserved.
from typing import List, Optional, Protocol, Union

import numpy as np
import torch
from mmengine.logging import MMLogger
from torch.utils.data import Dataset

from mmrazor_zs.registry import DATASETS
from mmrazor_zs.utils import check_positive_int


class LabelledDataset(Protocol):
    """What :class:`ClassBalancedSubset` needs of the full dataset: a length,
    items by index and the labels of each item, as mmpretrain's classification
    datasets have."""

    def __len__(self) -> int:
        ...

    def __getitem__(self, index: int) -> dict:
        ...

    def get_cat_ids(self, index: int) -> List[int]:
        """The labels of image ``index``."""
        ...


@DATASETS.register_module()
class ClassBalancedSubset(Dataset):
    """M images of every class of a labelled dataset: the training set of few-
    shot distillation.

    As in the few-shot KD+AT baseline of ZSKT (Micaelli & Storkey, `Zero-shot
    Knowledge Transfer via Adversarial Belief Matching
    <https://arxiv.org/abs/1905.09768>`_, NeurIPS 2019; released code
    polo5/FewShotKnowledgeTransfer): the indices of the whole dataset are
    shuffled by a seeded generator and the first ``num_per_class`` images
    of each class in that order are kept, so every seed draws a different
    subset. The subset is a function of the labels, ``num_per_class`` and
    the seed only: a resumed run trains on the same images.

    The seed is ``seed`` when given. Otherwise it is torch's initial seed,
    which mmengine's Runner sets to the run's ``randomness.seed`` before it
    builds the dataloaders: runs with different seeds (e.g.
    ``tools/analysis_tools/multi_seed.py``) then use different subsets, as
    the released code does. With ``randomness.diff_rank_seed=True`` give
    ``seed`` explicitly, or ranks would draw different subsets.

    Args:
        dataset (dict | LabelledDataset): The full dataset (config or
            object) with one label per image (``get_cat_ids``), e.g. any
            mmpretrain classification dataset.
        num_per_class (int): M, the images kept of every class.
        seed (int, optional): Seed of the draw. None takes the run's seed,
            see above. Defaults to None.
    """

    def __init__(self,
                 dataset: Union[dict, LabelledDataset],
                 num_per_class: int,
                 seed: Optional[int] = None) -> None:
        check_positive_int('num_per_class', num_per_class,
                           'ClassBalancedSubset')
        self.dataset: LabelledDataset = DATASETS.build(dataset) if isinstance(
            dataset, dict) else dataset
        self.num_per_class = num_per_class
        self.seed = torch.initial_seed() if seed is None else int(seed)
        self.indices = self._draw()
        MMLogger.get_current_instance().info(
            f'ClassBalancedSubset: {num_per_class} images per class, '
            f'{len(self.indices)} of {len(self.dataset)} (seed {self.seed}).')

    @property
    def metainfo(self) -> dict:
        """The metainfo of the full dataset."""
        return getattr(self.dataset, 'metainfo', {})

    def _labels(self) -> np.ndarray:
        """The one label of every image of the full dataset, in order.

        Returns:
            np.ndarray: int64 labels, one per image.

        Raises:
            ValueError: If an image has no label or several.
        """
        labels = []
        for index in range(len(self.dataset)):
            cat_ids = self.dataset.get_cat_ids(index)
            if len(cat_ids) != 1:
                raise ValueError(
                    'ClassBalancedSubset needs one label per image, but '
                    f'image {index} has {len(cat_ids)}: {list(cat_ids)}.')
            labels.append(int(cat_ids[0]))
        return np.asarray(labels, dtype=np.int64)

    def _draw(self) -> np.ndarray:
        """Draw the subset: the first ``num_per_class`` images of every class
        in a permutation seeded by ``seed``.

        Returns:
            np.ndarray: The sorted indices of the kept images in the full
            dataset.

        Raises:
            ValueError: If a class has fewer than ``num_per_class`` images.
        """
        labels = self._labels()
        classes = self.metainfo.get('classes')
        num_classes = len(classes) if classes else int(labels.max()) + 1
        order = np.random.default_rng(self.seed).permutation(len(labels))
        chosen, short = [], []
        for label in range(num_classes):
            found = order[labels[order] == label][:self.num_per_class]
            if len(found) < self.num_per_class:
                name = classes[label] if classes else label
                short.append(f'{name!r} ({len(found)})')
            chosen.append(found)
        if short:
            raise ValueError(
                f'`num_per_class={self.num_per_class}` but these classes '
                f'have fewer images: {", ".join(short)}. Lower '
                '`num_per_class` to at most the smallest class.')
        return np.sort(np.concatenate(chosen))

    @property
    def full_size(self) -> int:
        """The number of images of the full dataset."""
        return len(self.dataset)

    def __len__(self) -> int:
        return len(self.indices)

    def __getitem__(self, index: int) -> dict:
        return self.dataset[int(self.indices[index])]

    def __repr__(self) -> str:
        return (f'ClassBalancedSubset(num_per_class={self.num_per_class}, '
                f'seed={self.seed}, {len(self)} of {self.full_size} images '
                f'of {type(self.dataset).__name__})')
