# Copyright (c) mmrazor_zs contributors. All rights reserved.
import os
import re
from collections import OrderedDict
from typing import Dict, List, Sequence

import torch
import torch.nn as nn

from mmrazor_zs.utils import (CheckpointError, is_url, load_checkpoint_file,
                              resolve_checkpoint)

PREFIXES_TO_STRIP = (r'^module\.', )


class TeacherCheckpointError(ValueError):
    """A teacher checkpoint does not fit the teacher built from the config."""


def _short_list(keys: Sequence[str], limit: int = 8) -> str:
    shown = ', '.join(keys[:limit])
    return shown + (f', ... ({len(keys) - limit} more)'
                    if len(keys) > limit else '')


def state_dict_of(checkpoint, filename: str) -> Dict[str, torch.Tensor]:
    """The model weights in an mmengine/mmpretrain checkpoint or a bare state
    dict, with DDP's ``module.`` prefix removed."""
    if isinstance(checkpoint, dict) and 'state_dict' in checkpoint:
        checkpoint = checkpoint['state_dict']
    if not isinstance(checkpoint, dict) or not all(
            isinstance(v, torch.Tensor) or k.endswith('_extra_state')
            for k, v in checkpoint.items()):
        raise TeacherCheckpointError(
            f'{filename} holds no state dict: expected an mmengine/'
            "mmpretrain checkpoint (a dict with 'state_dict') or a dict of "
            'tensors.')
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
        problems.append(f'missing keys: {_short_list(missing)}')
    if unexpected:
        problems.append(f'unexpected keys: {_short_list(unexpected)}')
    if mis_shaped:
        problems.append(f'shape mismatches: {_short_list(mis_shaped)}')
    return problems


def load_teacher_checkpoint(teacher: nn.Module,
                            filename: str,
                            trust_checkpoint: bool = False) -> None:
    """Load ``filename`` into ``teacher`` strictly, or explain the mismatch.

    Args:
        teacher (nn.Module): The teacher built from the config.
        filename (str): A local checkpoint path (a relative one missing
            here is also looked for in the installed package) or an
            http(s) URL (downloaded once and checked); see
            :func:`mmrazor_zs.utils.resolve_checkpoint`.
        trust_checkpoint (bool): Allow arbitrary unpickling. Defaults to
            False.

    Raises:
        TeacherCheckpointError: On a missing, corrupt or foreign checkpoint;
            the message lists missing, unexpected and mis-shaped keys.
    """
    if not is_url(filename) and not os.path.isfile(
            resolve_checkpoint(filename)):
        raise TeacherCheckpointError(
            f'Teacher checkpoint not found: {filename}. Set '
            '`model.teacher_ckpt` to an mmpretrain/mmengine checkpoint '
            'of the teacher (train one with the recipe in '
            'configs/teachers/) or pass '
            '`--cfg-options model.teacher_ckpt=PATH`.')
    try:
        checkpoint = load_checkpoint_file(
            resolve_checkpoint(filename), trust_checkpoint=trust_checkpoint)
    except CheckpointError as err:
        raise TeacherCheckpointError(f'Cannot read the teacher '
                                     f'checkpoint: {err}') from None
    state_dict = state_dict_of(checkpoint, filename)
    unexpected = [k for k in state_dict if k not in teacher.state_dict()]
    problems = state_dict_problems(teacher.state_dict(), state_dict)
    if problems:
        hint = ''
        if any(
                k.startswith(('teacher.', 'student.', 'architecture.'))
                for k in unexpected):
            hint = (' It looks like a distillation checkpoint; extract the '
                    'network first (tools/model_converters/'
                    'extract_student.py).')
        raise TeacherCheckpointError(
            f'{filename} does not fit the teacher built from the config '
            f'({type(teacher).__name__}): ' + '; '.join(problems) +
            '. Check that `model.teacher` describes the architecture the '
            'checkpoint was trained with.' + hint)
    not_finite = [
        k for k, v in state_dict.items() if torch.is_tensor(v)
        and v.is_floating_point() and not torch.isfinite(v).all()
    ]
    if not_finite:
        raise TeacherCheckpointError(
            f'{filename} holds NaN or infinite values in '
            f'{_short_list(not_finite)}: it was saved from a diverged run '
            'or is damaged. Use a checkpoint from before the divergence.')
    teacher.load_state_dict(state_dict, strict=True)
