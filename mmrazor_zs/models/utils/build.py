# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Building the networks of an algorithm, and the build-time probe that checks
them once the whole algorithm is built."""
import copy
import functools
from typing import Callable, Optional, Union

import torch.nn as nn
from mmengine.config import Config, ConfigDict

from mmrazor_zs.registry import MODELS


def build_submodel(cfg: Union[dict, nn.Module],
                   role: str,
                   default_args: Optional[dict] = None) -> nn.Module:
    """Build a teacher, student or generator from a config or take it as is.

    ``cfg`` may be a built module, a model config dict, or
    ``dict(cfg_path=PATH, **overrides)``: the ``model`` of the config file at
    ``PATH`` (a training recipe of that network) merged with ``overrides``.
    The last form lets a distillation config reuse the teacher's and the
    student's own recipes instead of copying their model dicts.

    Args:
        cfg (dict or nn.Module): What to build.
        role (str): 'teacher', 'student' or 'generator', for error messages.
        default_args (dict, optional): Arguments the config does not set
            (not used for a built module). Defaults to None.

    Returns:
        nn.Module: The network.
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
    return MODELS.build(cfg, default_args=default_args)


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


class BuildTimeProbe:
    """Mixin: :meth:`probe`, then :meth:`finish_build`, run once the whole
    object is built, i.e. when the ``__init__`` of its own class (the most
    derived one that has an ``__init__``) returns, whatever its subclasses
    add.

    Every ``__init__`` defined in a subclass is wrapped at class creation
    (``__init_subclass__``), so a subclass cannot forget the probe, nor run
    it before its own attributes exist; it overrides :meth:`probe` (calling
    ``super().probe()``) to add what it checks. The probe runs the networks
    on a tiny batch, so that a wrong shape, class count or layer name fails
    when the config is built, not hours into training.

    Examples:
        >>> class Base(BuildTimeProbe):
        ...     def __init__(self):
        ...         self.seen = []
        ...     def probe(self):
        ...         self.seen.append(type(self).__name__)
        >>> class Derived(Base):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.extra = True
        >>> Derived().seen
        ['Derived']
    """

    def __init_subclass__(cls, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        init: Optional[Callable] = cls.__dict__.get('__init__')
        if init is None:
            return
        own_init: Callable = init

        @functools.wraps(own_init)
        def init_then_probe(self, *args, **kwargs) -> None:
            own_init(self, *args, **kwargs)
            if type(self).__init__ is init_then_probe:  # the outermost one
                self.probe()
                self.finish_build()

        setattr(cls, '__init__', init_then_probe)

    def probe(self) -> None:
        """The build-time checks; none by default."""

    def finish_build(self) -> None:
        """What the whole object does after its probe (the networks' memory
        layout and compilation, :class:`TeacherStudentModel`); nothing by
        default."""
