# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""MAD's momentum generator on :class:`GeneratorDistiller`: the average
computed by hand, the student's loss on both generators' batches by hand, no
gradient into either generator, its own noise, saved with the run.

Each check also runs on a wrong implementation below to show it catches it.
"""
import copy

import pytest
import torch
import torch.nn as nn

from mmrazor_zs.models import DFAD, ZSKT
from mmrazor_zs.models.algorithms.generator_distiller import GeneratorDistiller
from mmrazor_zs.models.generators import MomentumGenerator
from mmrazor_zs.testing import (generator_student_wrappers, parameter_copies,
                                record_detached_inputs,
                                tiny_generator_family_cfg, tiny_zskt_cfg)

MAD = dict(momentum=0.9, loss_weight=0.5)


def _dfad(cls=DFAD, **overrides):
    cfg = tiny_generator_family_cfg(
        'DFAD', momentum_generator=dict(MAD), **overrides)
    cfg.pop('type')
    return cls(**cfg)


# ----------------------------------------------------------------------
# wrong implementations
class _SwappedAverage(MomentumGenerator):
    """``avg <- (1 - alpha) * avg + alpha * param``: the weights swapped."""

    @torch.no_grad()
    def update(self, generator):
        for mine, theirs in zip(self.module.parameters(),
                                generator.parameters()):
            mine.lerp_(theirs, self.momentum)


class _WeightIgnored:
    """The averaged generator's losses added without their weight."""

    def _student_step(self, images, targets, student_ow, momentum_batch=None):
        weight = self.momentum_loss_weight
        self.momentum_loss_weight = 1.0
        try:
            return super()._student_step(images, targets, student_ow,
                                         momentum_batch)
        finally:
            self.momentum_loss_weight = weight


class _SharedNoise:
    """The averaged generator's batch drawn from the generator batch's
    noise."""

    def sample_noise(self, iteration, step):
        if step >= self.generator_steps + self.student_steps:
            step -= self.student_steps
        return super().sample_noise(iteration, step)


class _NoFollow:
    """The average never moves after the start."""

    def _generator_step(self, z, generator_ow):
        update = self.momentum_generator.update
        self.momentum_generator.update = lambda generator: None
        try:
            return super()._generator_step(z, generator_ow)
        finally:
            self.momentum_generator.update = update


def _mutant(mixin, base=DFAD):
    return type(f'{mixin.__name__.strip("_")}{base.__name__}', (mixin, base),
                {})


# ----------------------------------------------------------------------
# the average
def _is_the_papers_average(cls) -> bool:
    torch.manual_seed(0)
    generator = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4))
    before = parameter_copies(generator)
    averaged = cls(generator, momentum=0.9)
    with torch.no_grad():
        for param in generator.parameters():
            param.add_(torch.randn_like(param))
        generator(torch.randn(5, 3))  # moves the running statistics
    averaged.update(generator)
    expected = [
        0.9 * old + 0.1 * new
        for old, new in zip(before, parameter_copies(generator))
    ]
    return all(
        torch.allclose(a, e, atol=1e-7)
        for a, e in zip(averaged.module.parameters(), expected)) and all(
            torch.equal(a, b)
            for a, b in zip(averaged.module.buffers(), generator.buffers()))


def test_the_average_is_alpha_old_plus_one_minus_alpha_new():
    assert _is_the_papers_average(MomentumGenerator)


def test_the_average_check_catches_swapped_weights():
    assert not _is_the_papers_average(_SwappedAverage)


@pytest.mark.parametrize('momentum', [1.0, -0.1, True, 1.5])
def test_a_momentum_outside_zero_one_is_refused(momentum):
    with pytest.raises(ValueError, match=r'must be in \[0, 1\)'):
        MomentumGenerator(nn.Linear(2, 2), momentum)


@pytest.mark.parametrize('settings,message', [
    (dict(alpha=0.9), "takes \\['loss_weight', 'momentum'\\], not"),
    (dict(loss_weight=-1.0), 'must be a number >= 0'),
    (dict(loss_weight='1'), 'must be a number >= 0'),
])
def test_bad_momentum_generator_settings_fail_at_build_time(settings, message):
    cfg = tiny_generator_family_cfg('DFAD', momentum_generator=settings)
    cfg.pop('type')
    with pytest.raises(ValueError, match=message):
        DFAD(**cfg)


# ----------------------------------------------------------------------
# the average follows the generator after every generator step
def _follows_after_every_generator_step(cls) -> bool:
    torch.manual_seed(0)
    model = _dfad(cls)
    wrappers = generator_student_wrappers(model, 1e-2, 1e-2)
    expected = parameter_copies(model.generator)  # set equal at the start
    for _ in range(3):
        model.train_step(None, wrappers)
        expected = [
            0.9 * old + 0.1 * new
            for old, new in zip(expected, parameter_copies(model.generator))
        ]
    return all(
        torch.allclose(a, e, atol=1e-6)
        for a, e in zip(model.momentum_generator.parameters(), expected))


def test_the_average_follows_the_generator():
    assert _follows_after_every_generator_step(DFAD)


def test_the_follow_check_catches_an_average_that_stays():
    assert not _follows_after_every_generator_step(_mutant(_NoFollow))


# ----------------------------------------------------------------------
# the student's loss: both batches, the averaged one weighted, own noise
def _student_update_is_both_batches(cls) -> bool:
    """Whether one iteration (DFAD: 2 student steps, students first) moves.

    the student as plain SGD on ``L1(G batch) + 0.5 * L1(averaged batch)``
    would, the averaged batch being the average's images of its own noise
    (the average equals the generator at the start).
    """
    torch.manual_seed(0)
    model = _dfad(cls)
    reference = copy.deepcopy(model.student).train()
    start = copy.deepcopy(model.generator).train()
    # per student step: the generator's batch, then the averaged one's
    batches = record_detached_inputs(model.student)
    model.train_step(None, generator_student_wrappers(model, 0.0, 0.1, 'SGD'))
    assert len(batches) == 2 * model.student_steps
    for step in range(model.student_steps):
        images, averaged = batches[2 * step:2 * step + 2]
        with torch.no_grad():
            expected = start(
                GeneratorDistiller.sample_noise(
                    model, 0,
                    model.generator_steps + model.student_steps + step))
        if not torch.equal(averaged, expected):
            return False
        with torch.no_grad():
            targets = [
                model.teacher(x, mode='tensor') for x in (images, averaged)
            ]
        loss = (
            model.student_loss(reference(images, mode='tensor'), targets[0]) +
            0.5 *
            model.student_loss(reference(averaged, mode='tensor'), targets[1]))
        reference.zero_grad()
        loss.backward()
        with torch.no_grad():
            for param in reference.parameters():
                param -= 0.1 * param.grad
    return all(
        torch.allclose(a, b, atol=1e-6)
        for a, b in zip(model.student.parameters(), reference.parameters()))


def test_the_student_learns_from_both_generators():
    assert _student_update_is_both_batches(DFAD)


@pytest.mark.parametrize('mixin', [_WeightIgnored, _SharedNoise])
def test_the_student_check_catches_a_wrong_loss(mixin):
    assert not _student_update_is_both_batches(_mutant(mixin))


def test_no_gradient_reaches_the_averaged_generator_and_it_is_saved():
    torch.manual_seed(0)
    cfg = tiny_zskt_cfg(momentum_generator=dict(MAD))
    cfg.pop('type')
    model = ZSKT(**cfg)
    wrappers = generator_student_wrappers(model)
    log = {}
    for _ in range(2):
        log = model.train_step(None, wrappers)
    assert 'loss_kl_momentum' in log and 'loss_kl' in log
    assert all(p.grad is None and not p.requires_grad
               for p in model.momentum_generator.parameters())
    state = model.state_dict()
    assert any(k.startswith('momentum_generator.module.') for k in state)
    # ZSKT: 1 generator batch, 1 student batch ('same'), 3 averaged ones
    assert model.images_per_iteration() == 8 * (1 + 1 + 3)
    plain = tiny_zskt_cfg()
    plain.pop('type')
    assert not any('momentum_generator' in k
                   for k in ZSKT(**plain).state_dict())
