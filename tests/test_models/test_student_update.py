# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""A student step sums its losses as mmengine's ``parse_losses`` does, without
the arithmetic that leaves 0-dim losses unchanged."""
import copy

import pytest
import torch
from mmengine.model import BaseModel
from mmengine.optim import OptimWrapper

from mmrazor_zs.models.utils.loss_terms import sum_of
from mmrazor_zs.registry import MODELS
from mmrazor_zs.testing import DispatchedOps, tiny_zskt_cfg


def test_sum_of_adds_only_between_the_losses():
    a, b, c = (torch.tensor(x, requires_grad=True) for x in (1.5, -2.0, 0.25))
    with DispatchedOps() as ops:
        total = sum_of([a, b, c])
    assert dict(ops.counts) == {'add': 2}  # Python's sum: 3, from 0
    assert total.item() == 1.5 - 2.0 + 0.25
    assert sum_of([a]) is a


def student_losses(model):
    logits = model.student(torch.ones(2, 1, 32, 32), mode='tensor')
    return dict(
        loss_kl=logits.pow(2).mean(),
        loss_at=3 * logits.abs().mean(),
        accuracy=logits.mean())  # logged, not summed: no 'loss' in its name


def test_student_update_steps_and_logs_as_mmengine():
    model = MODELS.build(tiny_zskt_cfg())
    reference = copy.deepcopy(model)
    log = model.update_student(
        student_losses(model),
        OptimWrapper(torch.optim.SGD(model.student.parameters(), lr=0.1)))
    loss, expected = BaseModel.parse_losses(reference,
                                            student_losses(reference))
    OptimWrapper(torch.optim.SGD(reference.student.parameters(),
                                 lr=0.1)).update_params(loss)
    for got, want in zip(model.student.parameters(),
                         reference.student.parameters()):
        assert torch.equal(got, want)
    expected['loss_student'] = expected.pop('loss')
    assert list(log) == list(expected)
    for name, value in log.items():
        assert not value.requires_grad
        assert torch.equal(value, expected[name])


def test_a_student_loss_that_is_not_one_number_is_refused():
    model = MODELS.build(tiny_zskt_cfg())
    losses = dict(loss_kl=torch.ones(3, requires_grad=True))
    optim_wrapper = OptimWrapper(
        torch.optim.SGD(model.student.parameters(), lr=0.1))
    with pytest.raises(
            ValueError,
            match=r'`loss_kl` has shape \(3,\); a '
            'loss must be one number'):
        model.update_student(losses, optim_wrapper)
