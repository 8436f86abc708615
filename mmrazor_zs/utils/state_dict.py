# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Whether a checkpoint's weights fit a model: the checks shared by the teacher
loading, the Runner's ``load_from`` / ``--resume`` and the tools."""
import re
from collections import OrderedDict
from typing import Any, Dict, List

import torch

from .checkpoint import CheckpointError
from .misc import short_list

__all__ = ['state_dict_of', 'state_dict_problems']

PREFIXES_TO_STRIP = (r'^module\.', )


def state_dict_of(checkpoint: Any, filename: str) -> Dict[str, torch.Tensor]:
    """The model weights in an mmengine/mmpretrain checkpoint or a bare state
    dict, with DDP's ``module.`` prefix removed.

    Args:
        checkpoint (Any): What the file unpickled to.
        filename (str): The file, for the error.

    Returns:
        dict[str, Tensor]: The weights by key.

    Raises:
        CheckpointError: If ``checkpoint`` holds no state dict.
    """
    if isinstance(checkpoint, dict) and 'state_dict' in checkpoint:
        checkpoint = checkpoint['state_dict']
    if not isinstance(checkpoint, dict) or not all(
            isinstance(v, torch.Tensor) or k.endswith('_extra_state')
            for k, v in checkpoint.items()):
        raise CheckpointError(
            f'{filename} holds no state dict: expected an mmengine/'
            "mmpretrain checkpoint (a dict with 'state_dict') or a dict of "
            'tensors.', 'Point at the checkpoint of the model.')
    state_dict = OrderedDict()
    for key, value in checkpoint.items():
        for pattern in PREFIXES_TO_STRIP:
            key = re.sub(pattern, '', key)
        state_dict[key] = value
    return state_dict


def state_dict_problems(expected: Dict[str, torch.Tensor],
                        loaded: Dict[str, torch.Tensor]) -> List[str]:
    """How ``loaded`` differs from a model's state dict ``expected``.

    Args:
        expected (dict): The model's ``state_dict()``.
        loaded (dict): The weights read from a checkpoint.

    Returns:
        list[str]: One entry each for missing, unexpected and mis-shaped
        keys (the shapes of both sides), shortened after a few; empty when
        the checkpoint fits.
    """
    missing = [k for k in expected if k not in loaded]
    unexpected = [k for k in loaded if k not in expected]
    # an extra state (``_extra_state``) is whatever its module saves, e.g.
    # serialised optimiser states whose size grows: no shape to compare
    mis_shaped = [
        f'{k} (checkpoint {tuple(loaded[k].shape)}, model '
        f'{tuple(expected[k].shape)})' for k in expected
        if k in loaded and not k.endswith('_extra_state')
        and loaded[k].shape != expected[k].shape
    ]
    problems: List[str] = []
    if missing:
        problems.append(f'missing keys: {short_list(missing)}')
    if unexpected:
        problems.append(f'unexpected keys: {short_list(unexpected)}')
    if mis_shaped:
        problems.append(f'shape mismatches: {short_list(mis_shaped)}')
    return problems
