# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Loading the teacher's checkpoint: the generic reading and fit checks of
:mod:`mmrazor_zs.utils`, with the teacher's settings named in every error."""
import os

import torch
import torch.nn as nn

from mmrazor_zs.utils import (CheckpointError, is_url, load_checkpoint_file,
                              resolve_checkpoint, short_list, state_dict_of,
                              state_dict_problems)


class TeacherCheckpointError(ValueError):
    """A teacher checkpoint cannot be read or does not fit the teacher built
    from the config."""


#: keys only torchvision's ImageNet ResNets / MobileNetV2 have together
TORCHVISION_RESNET_KEYS = ('conv1.weight', 'bn1.weight',
                           'layer4.0.conv1.weight', 'fc.weight')
TORCHVISION_MOBILENET_KEYS = ('features.0.0.weight', 'classifier.1.weight')


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
        TeacherCheckpointError: On a missing, empty, truncated, corrupt or
            foreign checkpoint (naming the file, what is wrong and what to
            do); for one that does not fit, the message lists missing,
            unexpected and mis-shaped keys.
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
            filename, trust_checkpoint=trust_checkpoint)
        state_dict = state_dict_of(checkpoint, filename)
    except CheckpointError as err:
        raise TeacherCheckpointError(
            f'Cannot read the teacher checkpoint (`model.teacher_ckpt`): '
            f'{err}') from None
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
        elif all(k in state_dict for k in TORCHVISION_RESNET_KEYS) or all(
                k in state_dict for k in TORCHVISION_MOBILENET_KEYS):
            hint = (' It looks like a torchvision state dict; convert it with '
                    'tools/model_converters/torchvision_to_mmpretrain.py.')
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
            f'{short_list(not_finite)}: it was saved from a diverged run '
            'or is damaged. Use a checkpoint from before the divergence.')
    teacher.load_state_dict(state_dict, strict=True)
