# Copyright (c) mmrazor_zs contributors. All rights reserved.
import math
from typing import Optional

from mmengine.hooks import Hook

from mmrazor_zs.registry import HOOKS
from mmrazor_zs.utils import last_checkpoint


class NonFiniteLossError(FloatingPointError):
    """A loss became NaN or infinite during training."""


@HOOKS.register_module()
class FiniteLossHook(Hook):
    """Stop training at the first NaN or infinite loss, before a checkpoint of
    the poisoned weights can be written.

    Runs after every training iteration ahead of the ``CheckpointHook`` and
    raises :class:`NonFiniteLossError` naming the iteration and every non-
    finite loss term; the checkpoints already written, the last good one
    included, stay as they are. The losses have already been turned into Python
    numbers for the logs, so the check costs no extra device synchronisation.
    """

    priority = 'ABOVE_NORMAL'

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch=None,
                         outputs: Optional[dict] = None) -> None:
        """Raise if a loss of the iteration is NaN or infinite.

        Args:
            runner (Runner): The runner.
            batch_idx (int): The iteration in the epoch.
            data_batch (dict | tuple | list, optional): The batch.
                Defaults to None.
            outputs (dict, optional): The logged outputs of ``train_step``;
                every key with 'loss' in its name is checked.
                Defaults to None.

        Raises:
            NonFiniteLossError: Naming the iteration, every non-finite loss
                term and the last good checkpoint.
        """
        bad = {}
        for name, value in (outputs or {}).items():
            if 'loss' in name:
                number = float(value)
                if not math.isfinite(number):
                    bad[name] = number
        if bad:
            terms = ', '.join(f'{name} = {value}'
                              for name, value in bad.items())
            kept = last_checkpoint(runner.work_dir)
            raise NonFiniteLossError(
                f'Training stopped at iteration {runner.iter + 1}: {terms}. '
                'No checkpoint was written after this iteration; ' +
                (f'the last good checkpoint is {kept}. '
                 if kept else 'no checkpoint had been written yet. ') +
                'Lower the learning rate or clip gradients '
                '(optim_wrapper.clip_grad=dict(max_norm=...)), check the '
                'teacher checkpoint, then resume with --resume.')
