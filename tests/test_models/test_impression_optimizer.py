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


def reference_adam_loop(teacher, targets, init, mean, std, iterations, lr,
                        tau, range_mode):
    """The textbook form: torch.optim.Adam on [0, 1] pixels, normalised and
    differentiated through at every step."""
    mean = torch.tensor(mean).view(-1, 1, 1)
    std = torch.tensor(std).view(-1, 1, 1)
    pixels = init.clone().requires_grad_(True)
    optimizer = torch.optim.Adam([pixels], lr=lr)
    for _ in range(iterations):
        logits = teacher((255 * pixels - mean) / std, mode='tensor')
        loss = -(targets * torch.log_softmax(logits / tau, 1)).sum(1).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        with torch.no_grad():
            if range_mode == 'clamp':
                pixels.clamp_(0, 1)
            else:
                flat = pixels.view(len(pixels), -1)
                low = flat.min(1, keepdim=True).values
                high = flat.max(1, keepdim=True).values
                flat.sub_(low).div_(high - low)
    return pixels.detach()


@pytest.mark.parametrize('range_mode', ['clamp', 'minmax'])
def test_fast_adam_path_matches_the_textbook_loop(range_mode):
    torch.manual_seed(0)
    teacher = MODELS.build(tiny_classifier_cfg((6, 12, 24), in_channels=3))
    mean, std = [125.3, 123.0, 113.9], [51.6, 50.8, 61.3]
    targets = torch.softmax(torch.randn(4, 10) * 3, dim=1)
    init = torch.rand(4, 3, 32, 32)
    optimizer = ImpressionOptimizer(teacher, (3, 32, 32), mean, std,
                                    iterations=25, lr=0.02, tau=20,
                                    range_mode=range_mode)
    assert optimizer._uses_fast_adam()
    fast = optimizer(targets, init=init)['images']
    expected = reference_adam_loop(teacher, targets, init, mean, std, 25,
                                   0.02, 20, range_mode)
    assert (fast - expected).abs().max() < 1e-4
    # and the steps did move the pixels
    assert (expected - init).abs().max() > 0.1


def test_any_torch_optimiser_can_be_configured(teacher):
    targets = torch.softmax(torch.randn(4, 10) * 3, dim=1)
    optimizer = ImpressionOptimizer(
        teacher, (1, 32, 32), [77.8], [82.5], iterations=30, lr=50.0,
        optimizer=dict(type='SGD', momentum=0.9))
    assert not optimizer._uses_fast_adam()
    out = optimizer(targets, seed=1)
    assert out['final_loss'] < out['initial_loss']
    with pytest.raises(ValueError, match='must name a torch.optim'):
        ImpressionOptimizer(teacher, (1, 32, 32), [0.], [1.],
                            optimizer=dict(type='Adamm'))
