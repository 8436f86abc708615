# Copyright (c) mmrazor_zs contributors. All rights reserved.
from mmengine.registry import DefaultScope

from mmrazor_zs.registry import DATASETS, HOOKS, LOOPS, METRICS, MODELS
from mmrazor_zs.utils import register_all_modules


def test_register_all_modules_fills_the_registries_and_scope():
    register_all_modules(init_default_scope=True)
    assert DefaultScope.get_current_instance().scope_name == 'mmrazor_zs'
    for registry, name in ((MODELS, 'ZSKT'), (MODELS, 'ZSKTGenerator'),
                           (MODELS, 'KLDivergence'), (DATASETS, 'Digits'),
                           (LOOPS, 'DataFreeTrainLoop'),
                           (HOOKS, 'DistillSummaryHook'),
                           (METRICS, 'TeacherReference')):
        assert name in registry.module_dict, name
    assert MODELS.scope == 'mmrazor_zs'
