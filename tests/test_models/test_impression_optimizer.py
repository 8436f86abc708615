# Copyright (c) mmrazor_zs contributors. All rights reserved.
import pytest
import torch

from mmrazor_zs.models.synthesizers import ImpressionOptimizer
from mmrazor_zs.registry import MODELS
from mmrazor_zs.testing import tiny_classifier_cfg


@pytest.fixture
def teacher():
    torch.manual_seed(0)
    return MODELS.build(tiny_classifier_cfg((6, 12, 24)))


@pytest.mark.parametrize('range_mode', ['clamp', 'minmax'])
def test_synthesis_lowers_the_loss_and_stays_in_range(teacher, range_mode):
    targets = torch.softmax(torch.randn(4, 10) * 3, dim=1)
    optimizer = ImpressionOptimizer(
        teacher, (1, 32, 32), mean=[77.8], std=[82.5], iterations=30,
        lr=0.05, tau=20, range_mode=range_mode)
    out = optimizer(targets, seed=1)
    assert out['final_loss'] < out['initial_loss']
    assert out['images'].min() >= 0 and out['images'].max() <= 1
    assert out['images'].shape == (4, 1, 32, 32)
    assert torch.allclose(out['labels'].sum(1), torch.ones(4), atol=1e-5)
    # the saved label is the teacher's softmax at tau on the final image
    logits = teacher(optimizer.normalise(out['images']), mode='tensor')
    assert torch.allclose(out['labels'], torch.softmax(logits / 20, 1),
                          atol=1e-6)
    assert all(p.grad is None for p in teacher.parameters())


def test_initialisation_is_seeded_and_warm_start_is_used(teacher):
    targets = torch.full((2, 10), 0.1)
    optimizer = ImpressionOptimizer(teacher, (1, 32, 32), [0.], [255.],
                                    iterations=0)
    a, b = optimizer(targets, seed=5), optimizer(targets, seed=5)
    assert torch.equal(a['images'], b['images'])
    init = torch.full((2, 1, 32, 32), 0.25)
    assert torch.equal(optimizer(targets, init=init)['images'], init)


def test_bad_settings(teacher):
    with pytest.raises(ValueError, match='`range_mode` must be one of'):
        ImpressionOptimizer(teacher, (1, 32, 32), [0.], [1.],
                            range_mode='tanh')
    with pytest.raises(ValueError, match='one value per input channel'):
        ImpressionOptimizer(teacher, (3, 32, 32), [0.], [1.])
