# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""What a teacher takes as input, inferred from the teacher itself and from its
own config file (``teacher=dict(cfg_path=...)``), so that a distillation config
need not repeat it."""
from typing import Optional, Sequence, Tuple, Union

import torch.nn as nn
from mmengine.config import Config

from .pair_checks import first_conv

# Test-pipeline transforms that fix the image size, with their size key.
SIZE_TRANSFORMS = {'Resize': 'scale', 'CenterCrop': 'crop_size'}


def teacher_config(teacher: Union[dict, nn.Module]) -> Optional[Config]:
    """The teacher's own config file when it is given by ``cfg_path``, else
    None."""
    if isinstance(teacher, dict) and teacher.get('cfg_path'):
        return Config.fromfile(teacher['cfg_path'])
    return None


def _test_pipeline(cfg: Config) -> Sequence[dict]:
    """The test pipeline of a config (its test dataloader's, else
    ``test_pipeline``)."""
    dataloader = cfg.get('test_dataloader') or {}
    pipeline = (dataloader.get('dataset') or {}).get('pipeline')
    return pipeline or cfg.get('test_pipeline') or ()


def input_size_from_config(cfg: Config) -> Optional[Tuple[int, int]]:
    """The (H, W) the last resize or crop of the test pipeline produces; None
    when no transform there fixes the size.

    mmpretrain gives sizes as ``int`` (square) or ``(W, H)``.
    """
    size = None
    for transform in _test_pipeline(cfg):
        kind = str(transform.get('type', '')).split('.')[-1]
        value = transform.get(SIZE_TRANSFORMS.get(kind, ''))
        if isinstance(value, int):
            size = (value, value)
        elif isinstance(value, Sequence) and len(value) == 2 and \
                all(isinstance(v, int) and v > 0 for v in value):
            size = (value[1], value[0])
    return size


def infer_input_shape(teacher: nn.Module, teacher_spec: Union[dict, nn.Module],
                      setting: str) -> Tuple[int, int, int]:
    """The teacher's input (C, H, W): channels from its first convolution, H
    and W from the test pipeline of its config file.

    Args:
        teacher (nn.Module): The built teacher.
        teacher_spec (dict or nn.Module): What the teacher was built from.
        setting (str): The setting to name when inference fails.

    Raises:
        ValueError: Naming ``setting`` when the teacher has no convolution
            or its config gives no image size.
    """
    found = first_conv(teacher)
    cfg = teacher_config(teacher_spec)
    size = None if cfg is None else input_size_from_config(cfg)
    if found is None:
        why = 'the teacher has no convolution to read the channels from'
    elif cfg is None:
        why = 'the teacher is not given by `cfg_path`'
    elif size is None:
        why = ('the test pipeline of the teacher config has no resize or '
               'crop giving the image size')
    else:
        return (found[1].in_channels, *size)
    raise ValueError(f"Cannot infer the teacher's input shape: {why}; set "
                     f'`{setting}=(C, H, W)` to the images it was trained '
                     'on.')


def _mean_std(
        preprocessor: Optional[Union[dict, nn.Module]]) -> Optional[dict]:
    """The ``mean`` and ``std`` of a preprocessor config or module; None unless
    it has both."""
    if isinstance(preprocessor, nn.Module):  # built: (C, 1, 1) buffers
        mean = getattr(preprocessor, 'mean', None)
        std = getattr(preprocessor, 'std', None)
        if mean is None or std is None:
            return None
        return dict(mean=mean.flatten().tolist(), std=std.flatten().tolist())
    if not preprocessor or preprocessor.get('mean') is None or \
            preprocessor.get('std') is None:
        return None
    return dict(mean=list(preprocessor['mean']), std=list(preprocessor['std']))


def teacher_normalization(
    teacher_spec: Union[dict, nn.Module],
    data_preprocessor: Optional[Union[dict,
                                      nn.Module]] = None) -> Optional[dict]:
    """The teacher's ``mean`` and ``std`` (0..255 scale): those of
    ``data_preprocessor`` (the distillation config's, for the real evaluation
    images, or a built preprocessor) when it has both, else those of the
    ``data_preprocessor`` of the teacher's config file; None when neither has
    them.

    This is the one lookup of the teacher's normalisation:
    :class:`TeacherStudentModel` builds its ``pixel_space`` from it.
    """
    found = _mean_std(data_preprocessor)
    if found is not None:
        return found
    cfg = teacher_config(teacher_spec)
    return None if cfg is None else _mean_std(
        cfg.get('data_preprocessor')
        or cfg.get('model', {}).get('data_preprocessor'))
