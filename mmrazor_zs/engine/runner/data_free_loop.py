# Copyright (c) mmrazor_zs contributors. All rights reserved.
from typing import List, Optional, Tuple

from mmengine.runner import IterBasedTrainLoop
from mmengine.runner.utils import calc_dynamic_intervals

from mmrazor_zs.registry import LOOPS
from mmrazor_zs.utils import check_positive_int


class NoTrainingData:
    """Stands where mmengine expects the training dataloader.

    mmengine's Runner reads ``train_dataloader.dataset`` (for its metainfo)
    when it saves and resumes checkpoints, and its length (the epoch length
    of parameter schedulers); a data-free run has no dataset, and its whole
    run counts as one epoch of ``num_iters`` iterations, as in mmengine's
    iteration-based loop.

    Args:
        num_iters (int): Iterations of the run.
    """
    dataset = None

    def __init__(self, num_iters: int) -> None:
        self.num_iters = num_iters

    def __len__(self) -> int:
        return self.num_iters

    def __repr__(self) -> str:
        return f'NoTrainingData(num_iters={self.num_iters})'


@LOOPS.register_module()
class DataFreeTrainLoop(IterBasedTrainLoop):
    """Iteration-based training that reads no data.

    Every iteration calls ``model.train_step(None, optim_wrapper)``; the
    algorithm makes its own inputs (latent noise, a generator, or the
    teacher). Validation, hooks, checkpoints and resuming behave as in
    mmengine's ``IterBasedTrainLoop``.

    Args:
        runner (Runner): The runner.
        dataloader: The config's ``train_dataloader``; must be empty
            (``dict()``), since a data-free run has no training data.
        max_iters (int): Total training iterations.
        val_begin (int): The iteration that begins validating.
            Defaults to 1.
        val_interval (int): Validation interval. Defaults to 1000.
        dynamic_intervals (list[tuple[int, int]], optional): Milestones and
            the validation interval after each. Defaults to None.
    """

    def __init__(
            self,
            runner,
            dataloader,
            max_iters: int,
            val_begin: int = 1,
            val_interval: int = 1000,
            dynamic_intervals: Optional[List[Tuple[int, int]]] = None) -> None:
        if dataloader not in (None, {}) and not isinstance(
                dataloader, NoTrainingData):
            raise ValueError(
                'DataFreeTrainLoop reads no training data, but the config '
                f'sets `train_dataloader={dataloader}`. Set '
                '`train_dataloader = dict()`.')
        check_positive_int('max_iters', max_iters, 'DataFreeTrainLoop')
        self._runner = runner
        self._max_iters = max_iters
        self.dataloader = NoTrainingData(self._max_iters)
        self._max_epochs = 1
        self._epoch = 0
        self._iter = 0
        self.val_begin = val_begin
        self.val_interval = val_interval
        self.stop_training = False
        self.dynamic_milestones, self.dynamic_intervals = \
            calc_dynamic_intervals(val_interval, dynamic_intervals)

    def run(self):
        """Train until ``max_iters``, validating every ``val_interval``."""
        self.runner.call_hook('before_train')
        self.runner.call_hook('before_train_epoch')
        while self._iter < self._max_iters and not self.stop_training:
            self.runner.model.train()
            self.run_iter()
            self._decide_current_val_interval()
            if (self.runner.val_loop is not None
                    and self._iter >= self.val_begin
                    and (self._iter % self.val_interval == 0
                         or self._iter == self._max_iters)):
                self.runner.val_loop.run()
        self.runner.call_hook('after_train_epoch')
        self.runner.call_hook('after_train')
        return self.runner.model

    def run_iter(self, data_batch=None) -> None:
        """One training iteration without data."""
        self.runner.call_hook(
            'before_train_iter', batch_idx=self._iter, data_batch=None)
        outputs = self.runner.model.train_step(
            None, optim_wrapper=self.runner.optim_wrapper)
        self.runner.call_hook(
            'after_train_iter',
            batch_idx=self._iter,
            data_batch=None,
            outputs=outputs)
        self._iter += 1
