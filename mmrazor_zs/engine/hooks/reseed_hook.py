# Copyright (c) mmrazor_zs contributors. All rights reserved.
import random
from typing import Optional

import numpy as np
import torch
from mmengine.dist import get_rank
from mmengine.hooks import Hook

from mmrazor_zs.registry import HOOKS

EPOCH, ITERATION = 0, 1


def reseed_everything(seed: int, rank: int, kind: int, counter: int) -> None:
    """Seed python's ``random``, numpy's global generator and torch (CPU and
    every CUDA device) from ``(seed, rank, kind, counter)`` mixed by
    :class:`numpy.random.SeedSequence`, so that nearby counters give
    unrelated streams."""
    words = np.random.SeedSequence([seed, rank, kind, counter]).generate_state(
        2, dtype=np.uint32)
    value = int(words[0]) << 32 | int(words[1])
    random.seed(value)
    np.random.seed(int(words[0]))
    torch.manual_seed(value)


@HOOKS.register_module()
class ReseedHook(Hook):
    """Make every random draw of training a function of where it happens.

    Before each epoch and each iteration, the global generators (python,
    numpy, torch CPU and CUDA) are reseeded from (seed, rank, epoch or
    iteration). What a run draws at iteration ``i`` (data augmentation,
    dropout, the dataloader's worker seeds) therefore does not depend on
    what happened before: a run resumed from a checkpoint draws exactly what
    an uninterrupted run draws, without storing generator states in the
    checkpoint, for any number of processes; and validation (which draws
    too, e.g. the dataloader's base seed) cannot shift the training
    streams. Samplers are already functions of (seed, epoch).

    Dataloader workers with ``persistent_workers=True`` keep their own
    generators across epochs, outside this hook's reach; for bit-exact
    resume use ``num_workers=0`` or non-persistent workers.

    Args:
        seed (int, optional): Base seed. Defaults to the runner's
            ``randomness.seed``.
    """

    priority = 'VERY_HIGH'

    def __init__(self, seed: Optional[int] = None) -> None:
        self.seed = seed

    @property
    def run_seed(self) -> int:
        """The base seed, known from ``before_train`` on.

        Raises:
            RuntimeError: If asked before ``before_train``, without
                ``seed``.
        """
        if self.seed is None:
            raise RuntimeError(
                'ReseedHook has no seed yet: it takes the runner\'s '
                '`randomness.seed` in `before_train`; give `seed` to use the '
                'hook outside a Runner.')
        return self.seed

    def before_train(self, runner) -> None:
        """Take the runner's seed unless ``seed`` was given.

        Args:
            runner (Runner): The runner.
        """
        if self.seed is None:
            self.seed = int(runner.seed)

    def before_train_epoch(self, runner) -> None:
        """Reseed from (seed, rank, epoch).

        Args:
            runner (Runner): The runner.
        """
        reseed_everything(self.run_seed, get_rank(), EPOCH, runner.epoch)

    def before_train_iter(self,
                          runner,
                          batch_idx: int,
                          data_batch=None) -> None:
        """Reseed from (seed, rank, iteration).

        Args:
            runner (Runner): The runner.
            batch_idx (int): The iteration in the epoch.
            data_batch (dict | tuple | list, optional): The batch.
                Defaults to None.
        """
        reseed_everything(self.run_seed, get_rank(), ITERATION, runner.iter)
