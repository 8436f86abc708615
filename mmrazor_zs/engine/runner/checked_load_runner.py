# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""A Runner whose ``load_from`` fails on a checkpoint that cannot be read or
does not fit."""
from typing import Callable, Union

from mmengine.model import is_model_wrapper
from mmengine.runner import Runner
from mmengine.runner.checkpoint import (_load_checkpoint,
                                        _load_checkpoint_to_model)

from mmrazor_zs.utils import (is_url, load_checkpoint_file, state_dict_of,
                              state_dict_problems)


class CheckpointMismatchError(ValueError):
    """A checkpoint's weights do not fit the model built from the config."""


class CheckedLoadRunner(Runner):
    """mmengine's Runner, except that ``load_checkpoint`` (``load_from``,
    ``tools/test.py``'s checkpoint, ``--resume``) reads a local or http(s)
    checkpoint with :func:`~mmrazor_zs.utils.load_checkpoint_file` (a
    missing, empty, truncated or foreign file is a
    :class:`~mmrazor_zs.utils.CheckpointError` naming it and the fix) and
    refuses a checkpoint with missing, unexpected or mis-shaped keys instead
    of logging them and going on with partly random weights.

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
            CheckpointError: If the file cannot be read as a checkpoint.
            CheckpointMismatchError: If the checkpoint does not fit the
                model and ``partial_load`` is off; it lists the missing,
                unexpected and mis-shaped keys.
        """
        if is_url(filename) or '://' not in filename:
            checkpoint = load_checkpoint_file(filename, map_location)
        else:  # mmengine's other schemes (open-mmlab://, torchvision://)
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
        """Raise :class:`CheckpointMismatchError` unless the weights fit."""
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
