# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""A hook for the reliability tests: the training process hits a fault at a
chosen iteration, as a cluster job killed without warning or a run whose
weights blow up."""
import os
import signal

import torch
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmrazor_zs.registry import HOOKS

#: "ITERATION:FAULT"; unset: no fault. FAULT is one of
#: after_train_iter (SIGKILL after the iteration, before its checkpoint),
#: saving_checkpoint (SIGKILL while the checkpoint is being written),
#: nan_weights (a student weight becomes NaN before the iteration).
FAULT_ENV = 'MMRAZOR_ZS_TEST_FAULT'


@HOOKS.register_module(force=True)
class FaultInjectionHook(Hook):
    """Inject the fault named by ``MMRAZOR_ZS_TEST_FAULT`` (1-based
    iterations)."""

    priority = 'VERY_HIGH'

    def __init__(self) -> None:
        spec = os.environ.get(FAULT_ENV)
        self.at_iter, self.point = (None, None) if not spec else (int(
            spec.split(':')[0]), spec.split(':')[1])

    def _kill_if(self, runner, point: str) -> None:
        if self.point == point and runner.iter + 1 == self.at_iter:
            os.kill(os.getpid(), signal.SIGKILL)

    def before_train_iter(self, runner, batch_idx, data_batch=None) -> None:
        if self.point == 'nan_weights' and runner.iter + 1 == self.at_iter:
            model = runner.model.module if is_model_wrapper(
                runner.model) else runner.model
            with torch.no_grad():
                next(model.student.parameters()).fill_(float('nan'))

    def after_train_iter(self,
                         runner,
                         batch_idx,
                         data_batch=None,
                         outputs=None) -> None:
        self._kill_if(runner, 'after_train_iter')

    def before_save_checkpoint(self, runner, checkpoint) -> None:
        meta = checkpoint['meta']
        if self.point == 'saving_checkpoint' and meta['iter'] == self.at_iter:
            by_epoch = next(
                hook.by_epoch for hook in runner.hooks
                if type(hook).__name__ == 'CheckpointHook')
            name = (f"epoch_{meta['epoch']}.pth"
                    if by_epoch else f"iter_{meta['iter']}.pth")
            path = os.path.join(runner.work_dir, f'{name}.tmp-{os.getpid()}')
            with open(path, 'wb') as file:
                file.write(b'PK\x03\x04 half a checkpoint')
            os.kill(os.getpid(), signal.SIGKILL)
