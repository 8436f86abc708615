# Copyright (c) mmrazor_zs contributors. All rights reserved.
from typing import Dict, Optional

import torch
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmrazor_zs.evaluation.functional import (agreeing_inputs,
                                              mean_transition_error,
                                              transition_curves)
from mmrazor_zs.registry import HOOKS


@HOOKS.register_module()
class BeliefMatchHook(Hook):
    """Add ZSKT's mean transition error (MTE) to the metrics of test runs (and,
    with ``on_val=True``, of every validation).

    Micaelli & Storkey, NeurIPS 2019, section 4.4; see
    :func:`mmrazor_zs.evaluation.functional.transition_curves`. Logged as
    ``belief/mte``, with ``belief/steps`` (K) and ``belief/step_size`` (xi)
    beside it, since the value depends on both. A hook rather than an
    mmengine metric, because metrics see predictions but not the networks,
    and MTE needs gradients of the student. The default budget is small
    (100 images, K = 20); ``tools/analysis_tools/belief_match.py`` runs the
    paper's (1000 images, K = 100) and draws the curves.

    Args:
        num_images (int): Agreeing test images used. Defaults to 100.
        steps (int): K. Defaults to 20.
        step_size (float): xi. Defaults to 1.0.
        on_val (bool): Also after validations. Defaults to False.
    """

    priority = 'ABOVE_NORMAL'

    def __init__(self,
                 num_images: int = 100,
                 steps: int = 20,
                 step_size: float = 1.0,
                 on_val: bool = False) -> None:
        self.num_images = num_images
        self.steps = steps
        self.step_size = step_size
        self.on_val = on_val

    def _measure(self, runner, dataloader, mode: str,
                 metrics: Optional[Dict[str, float]]) -> None:
        """Measure the MTE on the agreeing images of ``dataloader``, log it
        under ``{mode}/belief/...`` and add it to ``metrics``.

        Args:
            runner (Runner): The runner.
            dataloader (DataLoader): The images to start from.
            mode (str): 'test' or 'val', the prefix of the logged scalars.
            metrics (dict, optional): The evaluation's metrics, updated in
                place; None only logs.
        """
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        was_training = model.training
        model.eval()
        chosen = agreeing_inputs(model, dataloader, self.num_images)
        curves = transition_curves(model.student, model.teacher,
                                   chosen['inputs'], chosen['labels'],
                                   self.steps, self.step_size)
        model.train(was_training)
        result = {
            'belief/mte': mean_transition_error(curves),
            'belief/steps': self.steps,
            'belief/step_size': self.step_size,
        }
        for key, value in result.items():
            runner.message_hub.update_scalar(f'{mode}/{key}', value)
        if metrics is not None:
            metrics.update(result)

    @torch.no_grad()
    def after_test_epoch(self,
                         runner,
                         metrics: Optional[Dict[str, float]] = None) -> None:
        """Measure the MTE on the test set.

        Args:
            runner (Runner): The runner.
            metrics (dict, optional): The test metrics, updated in place.
                Defaults to None.
        """
        self._measure(runner, runner.test_dataloader, 'test', metrics)

    @torch.no_grad()
    def after_val_epoch(self,
                        runner,
                        metrics: Optional[Dict[str, float]] = None) -> None:
        """Measure the MTE on the validation set if ``on_val``.

        Args:
            runner (Runner): The runner.
            metrics (dict, optional): The validation metrics, updated in
                place. Defaults to None.
        """
        if self.on_val:
            self._measure(runner, runner.val_dataloader, 'val', metrics)
