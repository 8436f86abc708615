# Copyright (c) mmrazor_zs contributors. All rights reserved.
import pytest
import torch

from mmrazor_zs.models.utils import FeatureTaps
from mmrazor_zs.registry import MODELS
from mmrazor_zs.testing import tiny_classifier_cfg


def test_taps_by_path_and_by_out_index_agree():
    model = MODELS.build(tiny_classifier_cfg(out_indices=(0, 1, 2)))
    taps = FeatureTaps(model, ['backbone.stages.1', 1, 'head.fc'], 'student')
    x = torch.randn(2, 1, 32, 32)
    with taps.record():
        logits = model(x, mode='tensor')
    by_path, by_index, fc = taps.features()
    assert torch.equal(by_path, by_index)
    assert torch.equal(fc, logits)  # the hooked head output is the output


def test_taps_record_nothing_outside_record():
    model = MODELS.build(tiny_classifier_cfg())
    taps = FeatureTaps(model, ['backbone.stages.0'], 'student')
    model(torch.randn(1, 1, 32, 32), mode='tensor')
    with pytest.raises(RuntimeError, match='did not run inside'):
        taps.features()


def test_unknown_layer_lists_valid_paths():
    model = MODELS.build(tiny_classifier_cfg())
    with pytest.raises(ValueError) as err:
        FeatureTaps(model, ['backbone.layer9'], 'teacher')
    assert "The teacher has no module 'backbone.layer9'" in str(err.value)
    assert 'backbone.stages.0' in str(err.value)


def test_out_index_out_of_range_is_reported():
    model = MODELS.build(tiny_classifier_cfg(out_indices=(2, )))
    taps = FeatureTaps(model, [3], 'student')
    with pytest.raises(IndexError, match='returns 1 output'):
        with taps.record():
            model(torch.randn(1, 1, 32, 32), mode='tensor')
