# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Registries of mmrazor_zs, each a child of mmengine's root registry.

Configs name our components in the ``mmrazor_zs`` scope (the default scope of
every config here) and mmpretrain's with the ``mmpretrain.`` prefix, so nothing
is copied from mmpretrain. ``locations`` makes every registry import its
package lazily, the first time something is built from it. Models, datasets and
hooks built here answer a misspelt argument with the closest valid names.
"""
import difflib
import inspect
import re
from typing import Callable, List

from mmengine.registry import DATA_SAMPLERS as MMENGINE_DATA_SAMPLERS
from mmengine.registry import DATASETS as MMENGINE_DATASETS
from mmengine.registry import EVALUATOR as MMENGINE_EVALUATOR
from mmengine.registry import HOOKS as MMENGINE_HOOKS
from mmengine.registry import LOG_PROCESSORS as MMENGINE_LOG_PROCESSORS
from mmengine.registry import LOOPS as MMENGINE_LOOPS
from mmengine.registry import METRICS as MMENGINE_METRICS
from mmengine.registry import MODEL_WRAPPERS as MMENGINE_MODEL_WRAPPERS
from mmengine.registry import MODELS as MMENGINE_MODELS
from mmengine.registry import \
    OPTIM_WRAPPER_CONSTRUCTORS as MMENGINE_OPTIM_WRAPPER_CONSTRUCTORS
from mmengine.registry import OPTIM_WRAPPERS as MMENGINE_OPTIM_WRAPPERS
from mmengine.registry import OPTIMIZERS as MMENGINE_OPTIMIZERS
from mmengine.registry import PARAM_SCHEDULERS as MMENGINE_PARAM_SCHEDULERS
from mmengine.registry import TRANSFORMS as MMENGINE_TRANSFORMS
from mmengine.registry import VISBACKENDS as MMENGINE_VISBACKENDS
from mmengine.registry import VISUALIZERS as MMENGINE_VISUALIZERS
from mmengine.registry import \
    WEIGHT_INITIALIZERS as MMENGINE_WEIGHT_INITIALIZERS
from mmengine.registry import Registry, build_from_cfg, build_model_from_cfg


def _init_arguments(obj_cls: type) -> List[str]:
    """Keyword arguments of ``obj_cls``, following ``**kwargs`` up the classes
    it inherits from."""
    names: List[str] = []
    for klass in obj_cls.__mro__:
        init = vars(klass).get('__init__')  # the one this class defines
        if init is None:
            continue
        params = list(inspect.signature(init).parameters.values())
        names += [
            p.name for p in params[1:]
            if p.kind not in (p.VAR_POSITIONAL,
                              p.VAR_KEYWORD) and p.name not in names
        ]
        if not any(p.kind == p.VAR_KEYWORD for p in params):
            break
    return names


def with_argument_hints(build: Callable) -> Callable:
    """Wrap a registry build function so that an unknown keyword argument (a
    misspelt config key) fails naming the closest valid arguments of the class,
    instead of only Python's "unexpected keyword argument"."""

    def build_with_hints(cfg, registry, default_args=None):
        try:
            return build(cfg, registry, default_args)
        except TypeError as err:
            found = re.search(r"unexpected keyword argument '(\w+)'", str(err))
            obj_type = cfg.get('type') if hasattr(cfg, 'get') else None
            obj_cls = registry.get(obj_type) if isinstance(obj_type,
                                                           str) else obj_type
            if not (found and found.group(1) in cfg
                    and inspect.isclass(obj_cls)):
                raise  # not this level's argument: leave the error as is
            valid = _init_arguments(obj_cls)
            close = difflib.get_close_matches(found.group(1), valid, n=2)
            hint = f" Did you mean {' or '.join(map(repr, close))}?" \
                if close else ''
            raise TypeError(
                f"{obj_cls.__name__} has no argument '{found.group(1)}'."
                f"{hint} Its arguments: {', '.join(valid)}.") from None

    return build_with_hints


__all__ = [
    'MODELS', 'MODEL_WRAPPERS', 'WEIGHT_INITIALIZERS', 'DATASETS',
    'DATA_SAMPLERS', 'TRANSFORMS', 'LOOPS', 'HOOKS', 'LOG_PROCESSORS',
    'OPTIMIZERS', 'OPTIM_WRAPPERS', 'OPTIM_WRAPPER_CONSTRUCTORS',
    'PARAM_SCHEDULERS', 'METRICS', 'EVALUATOR', 'VISUALIZERS', 'VISBACKENDS'
]

MODELS = Registry(
    'model',
    parent=MMENGINE_MODELS,
    build_func=with_argument_hints(build_model_from_cfg),
    locations=['mmrazor_zs.models'])
MODEL_WRAPPERS = Registry(
    'model_wrapper',
    parent=MMENGINE_MODEL_WRAPPERS,
    locations=['mmrazor_zs.models'])
WEIGHT_INITIALIZERS = Registry(
    'weight initializer',
    parent=MMENGINE_WEIGHT_INITIALIZERS,
    locations=['mmrazor_zs.models'])

DATASETS = Registry(
    'dataset',
    parent=MMENGINE_DATASETS,
    build_func=with_argument_hints(build_from_cfg),
    locations=['mmrazor_zs.datasets'])
DATA_SAMPLERS = Registry(
    'data sampler',
    parent=MMENGINE_DATA_SAMPLERS,
    locations=['mmrazor_zs.datasets'])
TRANSFORMS = Registry(
    'transform', parent=MMENGINE_TRANSFORMS, locations=['mmrazor_zs.datasets'])

LOOPS = Registry(
    'loop', parent=MMENGINE_LOOPS, locations=['mmrazor_zs.engine'])
HOOKS = Registry(
    'hook',
    parent=MMENGINE_HOOKS,
    build_func=with_argument_hints(build_from_cfg),
    locations=['mmrazor_zs.engine'])
LOG_PROCESSORS = Registry(
    'log_processor',
    parent=MMENGINE_LOG_PROCESSORS,
    locations=['mmrazor_zs.engine'])
OPTIMIZERS = Registry(
    'optimizer', parent=MMENGINE_OPTIMIZERS, locations=['mmrazor_zs.engine'])
OPTIM_WRAPPERS = Registry(
    'optim_wrapper',
    parent=MMENGINE_OPTIM_WRAPPERS,
    locations=['mmrazor_zs.engine'])
OPTIM_WRAPPER_CONSTRUCTORS = Registry(
    'optimizer wrapper constructor',
    parent=MMENGINE_OPTIM_WRAPPER_CONSTRUCTORS,
    locations=['mmrazor_zs.engine'])
PARAM_SCHEDULERS = Registry(
    'parameter scheduler',
    parent=MMENGINE_PARAM_SCHEDULERS,
    locations=['mmrazor_zs.engine'])

METRICS = Registry(
    'metric', parent=MMENGINE_METRICS, locations=['mmrazor_zs.evaluation'])
EVALUATOR = Registry(
    'evaluator',
    parent=MMENGINE_EVALUATOR,
    locations=['mmrazor_zs.evaluation'])

# No visualizer of our own yet: these fall back to mmengine's.
VISUALIZERS = Registry('visualizer', parent=MMENGINE_VISUALIZERS)
VISBACKENDS = Registry('vis_backend', parent=MMENGINE_VISBACKENDS)
