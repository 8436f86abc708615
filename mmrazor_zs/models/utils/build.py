# Copyright (c) mmrazor_zs contributors. All rights reserved.
import copy
from typing import Union

import torch.nn as nn
from mmengine.config import Config, ConfigDict

from mmrazor_zs.registry import MODELS


def build_submodel(cfg: Union[dict, nn.Module], role: str) -> nn.Module:
    """Build a teacher, student or generator from a config or take it as is.

    ``cfg`` may be a built module, a model config dict, or
    ``dict(cfg_path=PATH, **overrides)``: the ``model`` of the config file at
    ``PATH`` (a training recipe of that network) merged with ``overrides``.
    The last form lets a distillation config reuse the teacher's and the
    student's own recipes instead of copying their model dicts.

    Args:
        cfg (dict or nn.Module): What to build.
        role (str): 'teacher', 'student' or 'generator', for error messages.
    """
    if isinstance(cfg, nn.Module):
        return cfg
    if not isinstance(cfg, dict):
        raise TypeError(f'`{role}` should be a config dict or an nn.Module, '
                        f'but got {type(cfg)}.')
    cfg = copy.deepcopy(cfg)
    cfg_path = cfg.pop('cfg_path', None)
    if cfg_path is not None:
        cfg = model_config_from_file(cfg_path, cfg, role)
    return MODELS.build(cfg)


def model_config_from_file(cfg_path: str, overrides: dict,
                           role: str) -> ConfigDict:
    """Return the ``model`` of the config at ``cfg_path`` with overrides.

    A ``model`` without its own ``_scope_`` is built in the file's
    ``default_scope`` (e.g. ``'mmpretrain'`` for an mmpretrain recipe that says
    ``type='ImageClassifier'``), as that file's own Runner would.
    """
    try:
        file_cfg = Config.fromfile(cfg_path)
    except FileNotFoundError:
        raise FileNotFoundError(f'The {role} config `cfg_path={cfg_path}` '
                                'does not exist.') from None
    if 'model' not in file_cfg:
        raise KeyError(f'The {role} config {cfg_path} has no `model`.')
    merged = Config(dict(model=file_cfg.model))
    if overrides:
        merged.merge_from_dict(dict(model=overrides))
    default_scope = file_cfg.get('default_scope')
    if default_scope and '_scope_' not in merged.model:
        merged.model['_scope_'] = default_scope
    return merged.model
