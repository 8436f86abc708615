# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""A Runner whose ``load_from`` fails on a checkpoint that does not fit."""
from typing import Callable, Union

from mmengine.model import is_model_wrapper
from mmengine.runner import Runner
from mmengine.runner.checkpoint import (_load_checkpoint,
                                        _load_checkpoint_to_model)

from mmrazor_zs.models.utils.teacher_checkpoint import (state_dict_of,
                                                        state_dict_problems)


class CheckpointMismatchError(ValueError):
    """A checkpoint's weights do not fit the model built from the config."""


class CheckedLoadRunner(Runner):
    """mmengine's Runner, except that ``load_checkpoint`` (``load_from``,
    ``tools/test.py``'s checkpoint, ``--resume``) refuses a checkpoint with
    missing, unexpected or mis-shaped keys instead of logging them and going on
    with partly random weights.

    Set ``partial_load = True`` on the instance (the tools'
    ``--partial-load``) for mmengine's behaviour: load the keys that fit.
    """

    partial_load = False

    def load_checkpoint(self,
                        filename: str,
                        map_location: Union[str, Callable] = 'cpu',
                        strict: bool = False,
                        revise_keys: list = [(r'^module.', '')]) -> dict:
        """Load ``filename`` into the model, as mmengine's Runner does.

        Raises:
            CheckpointMismatchError: If the checkpoint does not fit the
                model and ``partial_load`` is off; it lists the missing,
                unexpected and mis-shaped keys.
        """
        checkpoint = _load_checkpoint(filename, map_location=map_location)
        self.call_hook('after_load_checkpoint', checkpoint=checkpoint)
        model = self.model.module if is_model_wrapper(
            self.model) else self.model
        if not self.partial_load:
            self._check_fits(model, checkpoint, filename)
        checkpoint = _load_checkpoint_to_model(
            model, checkpoint, strict, revise_keys=revise_keys)
        self._has_loaded = True
        self.logger.info(f'Load checkpoint from {filename}')
        return checkpoint

    @staticmethod
    def _check_fits(model, checkpoint: dict, filename: str) -> None:
        problems = state_dict_problems(model.state_dict(),
                                       state_dict_of(checkpoint, filename))
        if problems:
            raise CheckpointMismatchError(
                f'{filename} does not fit the model built from the config '
                f'({type(model).__name__}): ' + '; '.join(problems) +
                '. Give the checkpoint of the config\'s model (for a '
                'student config, extract the student first with '
                'tools/model_converters/extract_student.py), or pass '
                '--partial-load to load only the keys that fit.')
