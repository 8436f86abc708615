# Copyright (c) mmrazor_zs contributors. All rights reserved.
import copy
from typing import cast

import torch.nn as nn
from mmengine.model import is_model_wrapper
from mmengine.optim import DefaultOptimWrapperConstructor, OptimWrapperDict

from mmrazor_zs.registry import OPTIM_WRAPPER_CONSTRUCTORS


@OPTIM_WRAPPER_CONSTRUCTORS.register_module()
class SeparateOptimWrapperConstructor:
    """One optimizer wrapper per named submodule, gathered in an
    ``OptimWrapperDict``.

    Data-free algorithms train two networks with their own optimizers and
    schedules (ZSKT: Adam 1e-3 for the generator, Adam 2e-3 for the
    student). Each key of the config names an attribute of the algorithm,
    and its value is an ordinary mmengine optimizer-wrapper config (its own
    ``type``, ``optimizer``, ``clip_grad``, ``paramwise_cfg``). Every
    submodule with trainable parameters must have one, except those that
    step their own optimisers (``trains_itself = True``, the inversion
    synthesizers).

    A wrapper config without ``type`` builds a :class:`DeviceOptimWrapper`
    (gradient clipping without a host synchronisation per step).

    Args:
        optim_wrapper_cfg (dict): ``{submodule_name: optim_wrapper_cfg}``.
        paramwise_cfg (dict, optional): Not used at this level; give it
            inside each submodule's config. Defaults to None.

    Examples:
        >>> optim_wrapper = dict(
        ...     constructor='SeparateOptimWrapperConstructor',
        ...     generator=dict(optimizer=dict(type='Adam', lr=1e-3)),
        ...     student=dict(optimizer=dict(type='Adam', lr=2e-3)))
    """

    def __init__(self, optim_wrapper_cfg: dict, paramwise_cfg=None) -> None:
        if paramwise_cfg is not None:
            raise ValueError('SeparateOptimWrapperConstructor takes a '
                             '`paramwise_cfg` per submodule, e.g. '
                             '`optim_wrapper.student.paramwise_cfg`.')
        if not optim_wrapper_cfg:
            raise ValueError('SeparateOptimWrapperConstructor needs one '
                             'optimizer wrapper config per submodule.')
        self.optim_wrapper_cfg = copy.deepcopy(optim_wrapper_cfg)

    def __call__(self, model: nn.Module) -> OptimWrapperDict:
        if is_model_wrapper(model):
            # a model wrapper's ``module`` is the wrapped algorithm
            model = cast(nn.Module, model.module)
        children = dict(model.named_children())
        trainable = [
            name for name, child in children.items()
            if any(p.requires_grad for p in child.parameters())
            and not getattr(child, 'trains_itself', False)
        ]
        unknown = [
            name for name in self.optim_wrapper_cfg if name not in children
        ]
        if unknown:
            raise ValueError(f'`optim_wrapper` has configs for {unknown}, '
                             f'which are not submodules of '
                             f'{type(model).__name__}; trainable submodules '
                             f'are {trainable}.')
        orphans = [
            name for name in trainable if name not in self.optim_wrapper_cfg
        ]
        if orphans:
            raise ValueError(f'The trainable submodules {orphans} of '
                             f'{type(model).__name__} have no optimizer; add '
                             f'`optim_wrapper.{orphans[0]}`.')
        wrappers = {}
        for name, cfg in self.optim_wrapper_cfg.items():
            cfg = copy.deepcopy(cfg)
            cfg.setdefault('type', 'DeviceOptimWrapper')
            paramwise_cfg = cfg.pop('paramwise_cfg', None)
            constructor = DefaultOptimWrapperConstructor(cfg, paramwise_cfg)
            wrappers[name] = constructor(children[name])
        return OptimWrapperDict(**wrappers)
