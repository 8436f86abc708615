# Copyright (c) mmrazor_zs contributors. All rights reserved.
from typing import Dict, Union

from mmengine.logging import MMLogger
from mmengine.runner import EpochBasedTrainLoop
from mmengine.runner.utils import calc_dynamic_intervals
from torch.utils.data import DataLoader

from mmrazor_zs.datasets import ClassBalancedSubset
from mmrazor_zs.registry import LOOPS
from mmrazor_zs.utils import check_positive_int


def scaled_epochs(full_data_epochs: int, full_size: int,
                  subset_size: int) -> int:
    """``floor(full_data_epochs * full_size / subset_size)``, at least 1:
    the epochs over a subset that show as many images as
    ``full_data_epochs`` epochs over the full dataset (computed exactly in
    integers)."""
    return max(1, full_data_epochs * full_size // subset_size)


@LOOPS.register_module()
class FewShotTrainLoop(EpochBasedTrainLoop):
    """Epoch-based training on a few-shot subset, as long as training on the
    full dataset.

    The schedule of the few-shot KD+AT baseline of ZSKT (Micaelli & Storkey,
    `Zero-shot Knowledge Transfer via Adversarial Belief Matching
    <https://arxiv.org/abs/1905.09768>`_, NeurIPS 2019; released code
    polo5/FewShotKnowledgeTransfer): a recipe of ``base_epochs`` epochs over
    the full dataset of n images becomes ``floor(base_epochs * n / m)``
    epochs over the subset of m images, so the student sees as many images
    as full-data training. Each epoch is one pass over the subset in
    batches of the dataloader (the last one smaller unless ``drop_last``),
    so a subset smaller than the batch is one batch per epoch, as in the
    released code. The validation interval is given in full-data epochs and
    scaled the same way; learning-rate milestones given as fractions of the
    run (:class:`FractionalMultiStepLR`) follow the scaled length.

    Everything is computed when the loop is built from the dataset, so
    ``--cfg-options train_dataloader.dataset.num_per_class=M`` changes the
    subset and the schedule together.

    Args:
        runner (Runner): The runner.
        dataloader (DataLoader | dict): The training dataloader; its
            dataset must be a :class:`ClassBalancedSubset`.
        base_epochs (int): Epochs of the full-data recipe.
        val_begin (int): The (subset) epoch that begins validating.
            Defaults to 1.
        val_interval (int): Validation interval in full-data epochs.
            Defaults to 1.
    """

    def __init__(self,
                 runner,
                 dataloader: Union[DataLoader, Dict],
                 base_epochs: int,
                 val_begin: int = 1,
                 val_interval: int = 1) -> None:
        check_positive_int('base_epochs', base_epochs, 'FewShotTrainLoop')
        check_positive_int('val_interval', val_interval, 'FewShotTrainLoop')
        super().__init__(runner, dataloader, base_epochs, val_begin,
                         val_interval)
        subset = self.dataloader.dataset
        if not isinstance(subset, ClassBalancedSubset):
            raise TypeError(
                'FewShotTrainLoop scales the epochs by the size of the full '
                'dataset over the subset, so `train_dataloader.dataset` must '
                'be a ClassBalancedSubset, but it is '
                f'{type(subset).__name__}. Use mmengine\'s '
                'EpochBasedTrainLoop to train on a whole dataset.')
        self.base_epochs = base_epochs
        self._max_epochs = scaled_epochs(base_epochs, subset.full_size,
                                         len(subset))
        self._max_iters = self._max_epochs * len(self.dataloader)
        self.val_interval = scaled_epochs(val_interval, subset.full_size,
                                          len(subset))
        self.dynamic_milestones, self.dynamic_intervals = \
            calc_dynamic_intervals(self.val_interval, None)
        MMLogger.get_current_instance().info(
            f'FewShotTrainLoop: {base_epochs} epochs of {subset.full_size} '
            f'images -> {self._max_epochs} epochs of {len(subset)} '
            f'({self._max_iters} iterations), validation every '
            f'{self.val_interval} epochs.')
