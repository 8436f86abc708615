# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Registries of mmrazor_zs, each a child of mmengine's root registry.

Configs name our components in the ``mmrazor_zs`` scope (the default scope
of every config here) and mmpretrain's with the ``mmpretrain.`` prefix, so
nothing is copied from mmpretrain. ``locations`` makes every registry import
its package lazily, the first time something is built from it.
"""
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
from mmengine.registry import Registry

__all__ = [
    'MODELS', 'MODEL_WRAPPERS', 'WEIGHT_INITIALIZERS', 'DATASETS',
    'DATA_SAMPLERS', 'TRANSFORMS', 'LOOPS', 'HOOKS', 'LOG_PROCESSORS',
    'OPTIMIZERS', 'OPTIM_WRAPPERS', 'OPTIM_WRAPPER_CONSTRUCTORS',
    'PARAM_SCHEDULERS', 'METRICS', 'EVALUATOR', 'VISUALIZERS', 'VISBACKENDS'
]

MODELS = Registry(
    'model', parent=MMENGINE_MODELS, locations=['mmrazor_zs.models'])
MODEL_WRAPPERS = Registry(
    'model_wrapper',
    parent=MMENGINE_MODEL_WRAPPERS,
    locations=['mmrazor_zs.models'])
WEIGHT_INITIALIZERS = Registry(
    'weight initializer',
    parent=MMENGINE_WEIGHT_INITIALIZERS,
    locations=['mmrazor_zs.models'])

DATASETS = Registry(
    'dataset', parent=MMENGINE_DATASETS, locations=['mmrazor_zs.datasets'])
DATA_SAMPLERS = Registry(
    'data sampler',
    parent=MMENGINE_DATA_SAMPLERS,
    locations=['mmrazor_zs.datasets'])
TRANSFORMS = Registry(
    'transform',
    parent=MMENGINE_TRANSFORMS,
    locations=['mmrazor_zs.datasets'])

LOOPS = Registry(
    'loop', parent=MMENGINE_LOOPS, locations=['mmrazor_zs.engine'])
HOOKS = Registry(
    'hook', parent=MMENGINE_HOOKS, locations=['mmrazor_zs.engine'])
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
