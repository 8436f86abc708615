# Copyright (c) mmrazor_zs contributors. All rights reserved.
import pytest
import torch

from mmrazor_zs.models.synthesizers import ImpressionOptimizer
from mmrazor_zs.registry import MODELS
from mmrazor_zs.testing import tiny_classifier_cfg
from mmrazor_zs.utils import PixelSpace


@pytest.fixture
def teacher():
    torch.manual_seed(0)
    return MODELS.build(tiny_classifier_cfg((6, 12, 24)))


@pytest.mark.parametrize('range_mode', ['clamp', 'minmax', 'batch_minmax'])
def test_synthesis_lowers_the_loss_and_stays_in_range(teacher, range_mode):
    targets = torch.softmax(torch.randn(4, 10) * 3, dim=1)
    optimizer = ImpressionOptimizer(
        teacher, (1, 32, 32),
        PixelSpace(mean=[77.8], std=[82.5]),
        iterations=30,
        lr=0.05,
        tau=20,
        range_mode=range_mode)
    out = optimizer(targets, seed=1)
    assert out['final_loss'] < out['initial_loss']
    assert out['images'].min() >= 0 and out['images'].max() <= 1
    assert out['images'].shape == (4, 1, 32, 32)
    # on the 8-bit grid the images are stored on
    grid = out['images'] * 255
    assert torch.equal(grid, grid.round())
    assert torch.allclose(out['labels'].sum(1), torch.ones(4), atol=1e-5)
    # the label is the teacher's softmax at tau on the image as returned
    logits = teacher(
        optimizer.pixel_space.normalize(out['images']), mode='tensor')
    assert torch.allclose(
        out['labels'], torch.softmax(logits / 20, 1), atol=1e-6)
    assert all(p.grad is None for p in teacher.parameters())


def test_initialisation_is_seeded_and_warm_start_is_used(teacher):
    targets = torch.full((2, 10), 0.1)
    optimizer = ImpressionOptimizer(
        teacher, (1, 32, 32), PixelSpace([0.], [255.]), iterations=0)
    a, b = optimizer(targets, seed=5), optimizer(targets, seed=5)
    assert torch.equal(a['images'], b['images'])
    init = torch.full((2, 1, 32, 32), 64 / 255)
    assert torch.equal(optimizer(targets, init=init)['images'], init)
    # off the 8-bit grid: rounded to it
    assert torch.equal(optimizer(targets, init=init + 0.001)['images'], init)


def test_bad_settings(teacher):
    space = PixelSpace([0.], [1.])
    with pytest.raises(
            ValueError,
            match="`range_mode` of ImpressionOptimizer must be one of 'clamp'"
    ):
        ImpressionOptimizer(teacher, (1, 32, 32), space, range_mode='tanh')
    with pytest.raises(
            ValueError,
            match=r'`iterations` of ImpressionOptimizer must be an integer '
            r'>= 0, but got -1\.'):
        ImpressionOptimizer(teacher, (1, 32, 32), space, iterations=-1)
    with pytest.raises(
            ValueError,
            match=r'`pixel_space` of ImpressionOptimizer must have one value '
            r'per input channel \(3\)'):
        ImpressionOptimizer(teacher, (3, 32, 32), space)


class TextbookAdam:
    """The textbook form: one torch.optim.Adam on [0, 1] pixels, normalised and
    differentiated through at every step; its moments and step count go on from
    one batch to the next, as the released code's one Adam."""

    def __init__(self, teacher, mean, std, lr, tau, range_mode):
        self.teacher, self.tau, self.range_mode = teacher, tau, range_mode
        self.mean = torch.tensor(mean).view(-1, 1, 1)
        self.std = torch.tensor(std).view(-1, 1, 1)
        self.pixels = None
        self.lr = lr

    def __call__(self, targets, init, iterations):
        if self.pixels is None:
            self.pixels = init.clone().requires_grad_(True)
            self.adam = torch.optim.Adam([self.pixels], lr=self.lr)
        pixels = self.pixels
        with torch.no_grad():
            pixels.copy_(init)
        for step in range(iterations):
            logits = self.teacher(
                (255 * pixels - self.mean) / self.std, mode='tensor')
            loss = -(targets *
                     torch.log_softmax(logits / self.tau, 1)).sum(1).mean()
            self.adam.zero_grad()
            loss.backward()  # the gradient at x_t
            with torch.no_grad():
                if self.range_mode == 'batch_minmax':
                    # the whole batch to [0, 1], then Adam's step on it;
                    # not before the last step
                    if step < iterations - 1:
                        pixels.sub_(pixels.min()).div_(pixels.max() -
                                                       pixels.min())
                    self.adam.step()
                    continue
                self.adam.step()
                if self.range_mode == 'clamp':
                    pixels.clamp_(0, 1)
                else:
                    flat = pixels.view(len(pixels), -1)
                    low = flat.min(1, keepdim=True).values
                    high = flat.max(1, keepdim=True).values
                    flat.sub_(low).div_(high - low)
        return pixels.detach().clone()


MEAN3, STD3 = [125.3, 123.0, 113.9], [51.6, 25.4, 83.7]


@pytest.fixture
def teacher3():
    torch.manual_seed(0)
    return MODELS.build(tiny_classifier_cfg((6, 12, 24), in_channels=3))


# Adam with an option beyond betas and eps runs the plain torch.optim loop
PLAIN = dict(type='Adam', weight_decay=0.0)


@pytest.mark.parametrize(
    'range_mode,optimizer', [('clamp', None), ('minmax', None),
                             ('batch_minmax', None), ('batch_minmax', PLAIN)],
    ids=['clamp', 'minmax', 'batch_minmax', 'batch_minmax-plain'])
def test_both_paths_match_the_textbook_loop(teacher3, range_mode, optimizer):
    targets = torch.softmax(torch.randn(4, 10) * 3, dim=1)
    init = torch.rand(4, 3, 32, 32)
    synth = ImpressionOptimizer(
        teacher3, (3, 32, 32),
        PixelSpace(MEAN3, STD3),
        iterations=20,
        lr=0.02,
        tau=20,
        range_mode=range_mode,
        optimizer=optimizer)
    assert synth._uses_fast_adam() == (optimizer is None)
    ours = synth.optimize(init, targets)[0]
    textbook = TextbookAdam(teacher3, MEAN3, STD3, 0.02, 20, range_mode)
    expected = textbook(targets, init, 20)
    assert (ours - expected).abs().max() < 1e-5
    # and the steps did move the pixels
    assert (expected - init).abs().max() > 0.1
    if range_mode == 'batch_minmax':
        # the last step is not rescaled: the result leaves [0, 1] by less
        # than Adam's largest step (lr * (1 - beta1) / sqrt(1 - beta2))
        assert 0 < -expected.min() < 0.07 and 0 < expected.max() - 1 < 0.07


@pytest.mark.parametrize('optimizer', [None, PLAIN], ids=['fast', 'plain'])
def test_carried_state_continues_one_adam_over_batches(teacher3, optimizer):
    targets = [torch.softmax(torch.randn(2, 10) * 3, dim=1) for _ in '01']
    inits = [torch.rand(2, 3, 32, 32) for _ in '01']
    synth = ImpressionOptimizer(
        teacher3, (3, 32, 32),
        PixelSpace(MEAN3, STD3),
        iterations=6,
        lr=0.02,
        tau=20,
        range_mode='batch_minmax',
        optimizer=optimizer)
    first, _, state = synth.optimize(inits[0], targets[0])
    kept = {k: v.clone() for k, v in state['state'][0].items()}
    second = synth.optimize(inits[1], targets[1], optimizer_state=state)
    assert all(torch.equal(state['state'][0][k], v)
               for k, v in kept.items())  # the caller's state is kept
    textbook = TextbookAdam(teacher3, MEAN3, STD3, 0.02, 20, 'batch_minmax')
    assert (first - textbook(targets[0], inits[0], 6)).abs().max() < 1e-5
    assert (second[0] - textbook(targets[1], inits[1], 6)).abs().max() < 1e-5
    # the state is torch.optim.Adam's after 12 steps, on either path
    expected = textbook.adam.state_dict()['state'][0]
    assert int(second[2]['state'][0]['step']) == 12
    for key in ('exp_avg', 'exp_avg_sq'):
        error = (second[2]['state'][0][key] - expected[key]).abs().max()
        assert error < 1e-5 * expected[key].abs().max(), key
    # a fresh optimiser for the second batch gives another result
    fresh = synth.optimize(inits[1], targets[1])[0]
    assert (fresh - second[0]).abs().max() > 1e-3
    with pytest.raises(ValueError, match='batches of equal size'):
        synth.optimize(inits[1][:1], targets[1][:1], optimizer_state=state)


def test_any_torch_optimiser_can_be_configured(teacher):
    targets = torch.softmax(torch.randn(4, 10) * 3, dim=1)
    optimizer = ImpressionOptimizer(
        teacher, (1, 32, 32),
        PixelSpace([77.8], [82.5]),
        iterations=30,
        lr=50.0,
        optimizer=dict(type='SGD', momentum=0.9))
    assert not optimizer._uses_fast_adam()
    out = optimizer(targets, seed=1)
    assert out['final_loss'] < out['initial_loss']
    with pytest.raises(ValueError, match='must name a torch.optim'):
        ImpressionOptimizer(
            teacher, (1, 32, 32),
            PixelSpace([0.], [1.]),
            optimizer=dict(type='Adamm'))
