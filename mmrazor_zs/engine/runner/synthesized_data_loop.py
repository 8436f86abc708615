# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Epoch-based training on data that a synthesis stage makes first (ZSKD's data
impressions), so that ``tools/train.py`` runs both stages without a special
case."""
import contextlib
import copy
import os.path as osp
import random
from typing import Any, Dict, Iterator, List, Optional, Tuple, Union

import numpy as np
import torch
from mmengine.runner import EpochBasedTrainLoop
from torch.utils.data import DataLoader

from mmrazor_zs.registry import LOOPS, MODELS
from mmrazor_zs.storage import read_manifest
from mmrazor_zs.storage.impression_store import MANIFEST


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

    The synthesis runs while the Runner builds this loop, before the
    ``before_run`` hooks; the :class:`DistillSummaryHook`'s whole-run clock
    starts earlier (when the Runner registers its hooks), so it counts it.

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
        self.synthesis_folder = folder
        if isinstance(dataloader, dict):
            dataloader = copy.deepcopy(dataloader)
            dataset = dataloader['dataset']
            if dataset.get('data_root') is None:
                dataset['data_root'] = folder
        super().__init__(runner, dataloader, max_epochs, val_begin,
                         val_interval, dynamic_intervals)

    def synthesis_summary(self) -> Dict[str, Any]:
        """The synthesised set's size and the time that made it, from the
        ``manifest.json`` in its folder (empty without one).

        Returns:
            dict: ``synthesized_images`` (the manifest's ``total``),
            ``synthesis_time_s`` (its ``synthesis_wall_time_s``: the time of
            the process that finished the set, so for a set made in several
            interrupted runs only the last one's) and ``synthesis_seed``
            (the seed its settings were made with).
        """
        if not osp.isfile(osp.join(self.synthesis_folder, MANIFEST)):
            return {}
        manifest = read_manifest(self.synthesis_folder)
        return dict(
            synthesized_images=manifest.get('total'),
            synthesis_time_s=manifest.get('synthesis_wall_time_s'),
            synthesis_seed=manifest.get('settings', {}).get('seed'))
