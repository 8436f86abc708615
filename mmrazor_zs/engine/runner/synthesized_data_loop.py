# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Epoch-based training on data that a synthesis stage makes first (ZSKD's data
impressions), so that ``tools/train.py`` runs both stages without a special
case."""
import contextlib
import copy
import random
from typing import Dict, Iterator, List, Optional, Tuple, Union

import numpy as np
import torch
from mmengine.runner import EpochBasedTrainLoop
from torch.utils.data import DataLoader

from mmrazor_zs.registry import LOOPS, MODELS


@contextlib.contextmanager
def global_random_state_kept() -> Iterator[None]:
    """Restore the global random states of python, numpy and torch (CPU and
    every CUDA device) on exit, so that what runs inside draws nothing from the
    run's streams."""
    python_state, numpy_state = random.getstate(), np.random.get_state()
    with torch.random.fork_rng(devices=range(torch.cuda.device_count())):
        try:
            yield
        finally:
            random.setstate(python_state)
            np.random.set_state(numpy_state)


@LOOPS.register_module()
class SynthesizedDataTrainLoop(EpochBasedTrainLoop):
    """mmengine's epoch-based training on data a synthesizer makes before the
    first epoch.

    When the loop is built (after the model, before the dataloader) it calls
    ``synthesizer.prepare(runner.cfg, runner.work_dir)``, which makes the
    data unless the work dir already holds a finished set (continuing an
    unfinished one) and returns its folder; the training dataset's
    ``data_root``, when unset, becomes that folder. A resumed run finds the
    set finished and trains on. The synthesis draws nothing from the run's
    random streams: training is the same whether the data was made in this
    process or before.

    ZSKD's configs set
    ``train_cfg = dict(type='SynthesizedDataTrainLoop',
    synthesizer=dict(type='ImpressionSynthesis'), ...)``, whose settings are
    the config's top-level ``synthesis``.

    Args:
        runner (Runner): The runner.
        dataloader (DataLoader | dict): The training dataloader config.
        max_epochs (int): Total training epochs.
        synthesizer (dict): The synthesis stage, built from the ``MODELS``
            registry; it has ``prepare(cfg, work_dir) -> folder``.
        val_begin (int): The epoch that begins validating. Defaults to 1.
        val_interval (int): Validation interval. Defaults to 1.
        dynamic_intervals (list[tuple[int, int]], optional): Milestones and
            the validation interval after each. Defaults to None.
    """

    def __init__(
            self,
            runner,
            dataloader: Union[DataLoader, Dict],
            max_epochs: int,
            synthesizer: dict,
            val_begin: int = 1,
            val_interval: int = 1,
            dynamic_intervals: Optional[List[Tuple[int, int]]] = None) -> None:
        stage = MODELS.build(synthesizer)
        with global_random_state_kept():
            folder = stage.prepare(runner.cfg, runner.work_dir)
        if isinstance(dataloader, dict):
            dataloader = copy.deepcopy(dataloader)
            dataset = dataloader['dataset']
            if dataset.get('data_root') is None:
                dataset['data_root'] = folder
        super().__init__(runner, dataloader, max_epochs, val_begin,
                         val_interval, dynamic_intervals)
