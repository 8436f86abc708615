# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""CMI's and Fast's synthesis: the contrastive loss and the meta updates by
hand, the memory bank, the re-initialisations, the warm-up of the student
terms, gradient hygiene and exact resume of everything a round carries to the
next.

The meta-gradient check also runs on a wrong implementation that it must catch.
"""
import math

import pytest
import torch
import torch.nn as nn

from mmrazor_zs.models import CMI, Fast
from mmrazor_zs.models.synthesizers import FastMetaSynthesizer
from mmrazor_zs.models.synthesizers.cmi_synthesizer import contrastive_loss
from mmrazor_zs.models.utils.bn_statistics import BatchNormStatistics
from mmrazor_zs.models.utils.keyed_random import keyed_generator
from mmrazor_zs.registry import MODELS
from mmrazor_zs.testing import (HostReads, same_state, state_copy,
                                synthesis_round_is_clean, tiny_classifier_cfg,
                                tiny_inversion_cfg)

GENERATOR = dict(
    type='PixelGenerator',
    latent_dim=8,
    seed_channels=8,
    hidden_channels=(8, 4))


def _cmi(**synthesizer):
    settings = dict(
        batch_size=6, steps=3, bank_size=12, negatives=4, generator=GENERATOR)
    settings.update(synthesizer)
    return CMI(**tiny_inversion_cfg(synthesizer=settings))


def _fast(warmup_rounds=0, **synthesizer):
    settings = dict(batch_size=6, steps=3, generator=GENERATOR)
    settings.update(synthesizer)
    return Fast(**tiny_inversion_cfg(
        warmup_rounds=warmup_rounds, synthesizer=settings))


def _synthesize(model, round_index=0):
    return model.synthesizer.synthesize(model.teacher, model.student,
                                        round_index,
                                        keyed_generator((round_index, )))


# ----------------------------------------------------------------------
# CMI
def test_contrastive_loss_by_hand():
    local = torch.tensor([[1., 0.], [0., 1.], [0.6, 0.8]])
    global_ = torch.tensor([[0.8, 0.6], [0., 1.], [1., 0.]])
    temperature = 0.5

    def row_loss(i):
        logits = [(local[i] @ global_[j]).item() / temperature
                  for j in range(3)]
        return -logits[i] + math.log(sum(math.exp(v) for v in logits))

    # two images of this round, one from the bank: the means add
    expected = (row_loss(0) + row_loss(1)) / 2 + row_loss(2)
    loss = contrastive_loss(local, global_, 2, temperature)
    assert loss.item() == pytest.approx(expected, rel=1e-6)
    # with an empty bank: one mean
    only_batch = contrastive_loss(local[:2], global_[:2], 2, temperature)
    assert only_batch.item() != pytest.approx(expected)


def test_the_global_views_get_no_contrastive_gradient():
    local = torch.randn(4, 3, requires_grad=True)
    global_ = torch.randn(4, 3, requires_grad=True)
    contrastive_loss(local, global_, 2, 0.1).backward()
    assert local.grad.abs().sum() > 0 and global_.grad is None


def test_cmi_bank_is_a_fifo_of_the_kept_features():
    model = _cmi(bank_size=12)
    kept = []
    original = model.synthesizer.end_round

    def end_round(round_index, kept_batch):
        kept.append(kept_batch['features'].clone())
        original(round_index, kept_batch)

    model.synthesizer.end_round = end_round
    for round_index in range(3):
        _synthesize(model, round_index)
    synthesizer = model.synthesizer
    assert int(synthesizer.bank_updates) == 18
    assert int(synthesizer.bank_pointer) == 6
    # the third round overwrote the first round's rows
    assert torch.equal(synthesizer.bank[:6], kept[2])
    assert torch.equal(synthesizer.bank[6:], kept[1])


def test_cmi_reinitialises_its_generator_every_round():
    model = _cmi()
    generator = model.synthesizer.generator
    with torch.no_grad():
        for param in generator.parameters():
            param.fill_(5.)
    model.synthesizer.begin_round(0, keyed_generator((0, )))
    linear = generator.project.weight
    assert abs(linear.std().item() - 0.02) < 0.005
    assert abs(generator.seed_bn.weight.mean().item() - 1) < 0.02
    assert torch.count_nonzero(generator.project.bias) == 0


def test_cmi_head_optimizer_lives_across_rounds():
    model = _cmi()
    for round_index in range(2):
        _synthesize(model, round_index)
    state = model.synthesizer.head_optimizer.state_dict()['state']
    assert {int(s['step']) for s in state.values()} == {6}


def test_cmi_round_touches_only_its_own_tensors():
    assert synthesis_round_is_clean(_cmi())


# ----------------------------------------------------------------------
# Fast
class LastStepOnlyFast(FastMetaSynthesizer):
    """First-order MAML done wrong: the meta-gradient is the last inner step's
    gradient instead of their sum."""

    def step(self, step):
        if self.meta == 'fomaml':
            self.meta_optimizer.zero_grad(set_to_none=True)
        super().step(step)


MODELS.register_module('LastStepOnlyFastForTests', module=LastStepOnlyFast)


def _inner_gradients(model):
    """Record G''s gradients after each inner backward."""
    synthesizer = model.synthesizer
    recorded = []
    step = synthesizer.step

    def recording_step(index):
        fast = synthesizer._round['generator']
        fast_params = list(fast.parameters())

        def record(*_):
            recorded.append([p.grad.clone() for p in fast_params])

        handle = synthesizer._round['optimizer'].register_step_pre_hook(record)
        step(index)
        handle.remove()

    synthesizer.step = recording_step
    return recorded


def _first_adam_step(param, grad, lr, eps=1e-8):
    """One Adam step from a fresh state: ``lr * g / (|g| + eps)``."""
    return param - lr * grad / (grad.abs() + eps)


def _fomaml_meta_step_is_the_sum(model) -> bool:
    before = [
        p.detach().clone() for p in model.synthesizer.generator.parameters()
    ]
    recorded = _inner_gradients(model)
    _synthesize(model)
    summed = [sum(grads) for grads in zip(*recorded)]
    lr = model.synthesizer.lr_g * model.synthesizer.steps
    return all(
        torch.allclose(after, _first_adam_step(b, g, lr), atol=1e-6) for after,
        b, g in zip(model.synthesizer.generator.parameters(), before, summed))


def test_fomaml_meta_gradient_is_the_sum_of_the_inner_gradients():
    assert _fomaml_meta_step_is_the_sum(_fast())


def test_the_meta_gradient_check_catches_a_last_step_only_meta_gradient():
    assert not _fomaml_meta_step_is_the_sum(
        _fast(type='LastStepOnlyFastForTests'))


def test_reptile_meta_gradient_is_the_scaled_difference():
    model = _fast(meta='reptile')
    synthesizer = model.synthesizer
    before = [p.detach().clone() for p in synthesizer.generator.parameters()]
    finals = []
    end_round = synthesizer.end_round

    def capture(round_index, kept):
        finals.extend(p.detach().clone()
                      for p in synthesizer._round['generator'].parameters())
        end_round(round_index, kept)

    synthesizer.end_round = capture
    _synthesize(model)
    lr = synthesizer.lr_g * synthesizer.steps
    for after, b, final in zip(synthesizer.generator.parameters(), before,
                               finals):
        # the meta-gradient itself: Adam's first step, lr * sign(g), would
        # not show the scale
        assert torch.allclose(after.grad, 67. * (b - final), atol=1e-6)
        expected = _first_adam_step(b, 67. * (b - final), lr)
        assert torch.allclose(after, expected, atol=1e-6)


def test_fast_resets_the_first_layers_at_its_round_only():
    model = _fast(reset_first_layers_at_round=1)
    generator = model.synthesizer.generator
    with torch.no_grad():
        for param in generator.parameters():
            param.fill_(5.)
    model.synthesizer.begin_round(0, keyed_generator((0, )))
    assert (generator.project.weight == 5).all()
    model.synthesizer.begin_round(1, keyed_generator((1, )))
    assert abs(generator.project.weight.std().item() - 0.02) < 0.005
    # Fast's reset draws the BN weight around 0, not 1
    assert abs(generator.seed_bn.weight.mean().item()) < 0.02
    assert torch.count_nonzero(generator.seed_bn.bias) == 0
    later_conv = [m for m in generator.modules()
                  if isinstance(m, nn.Conv2d)][0]
    assert (later_conv.weight == 5).all()


def test_the_student_terms_start_at_their_round():
    model = _fast(student_terms_from_round=1)
    assert 'synthesis/adversarial' not in _synthesize(model, 0).log_vars
    assert 'synthesis/adversarial' in _synthesize(model, 1).log_vars


def test_fast_class_puts_the_adversarial_start_one_round_before_the_student():
    model = Fast(**tiny_inversion_cfg(
        warmup_rounds=20,
        synthesizer=dict(batch_size=6, steps=1, generator=GENERATOR)))
    assert model.synthesizer.student_terms_from_round == 19
    assert model.synthesizer.reset_first_layers_at_round == 139
    assert model.rounds_due(0) == 21


def test_fast_bn_average_moves_once_per_round():
    model = _fast(bn_momentum=0.9)
    statistics = model.synthesizer.losses.bn_statistics
    assert not bool(statistics.has_average)
    _synthesize(model, 0)
    first = statistics.average_mean_0.clone()
    assert bool(statistics.has_average) and first.abs().sum() > 0
    _synthesize(model, 1)
    assert not torch.equal(first, statistics.average_mean_0)


def test_fast_round_touches_only_its_own_tensors_and_the_meta_generator():
    model = _fast()
    meta = state_copy(model.synthesizer.generator)
    assert synthesis_round_is_clean(model)
    assert not same_state(meta, state_copy(model.synthesizer.generator))


# ----------------------------------------------------------------------
# resuming from a state dict
@pytest.mark.parametrize('build', [_cmi, _fast], ids=['CMI', 'Fast'])
def test_a_reloaded_synthesizer_makes_the_same_next_round(build):
    """Two rounds, then the state dict into a fresh model: the third round is
    bit-identical (bank, head and its Adam; meta-generator, its Adam and the BN
    averages)."""
    model = build(bn_momentum=0.9) if build is _fast else build()
    for round_index in range(2):
        _synthesize(model, round_index)
    fresh = build(bn_momentum=0.9) if build is _fast else build()
    fresh.load_state_dict(model.state_dict())
    expected, got = _synthesize(model, 2), _synthesize(fresh, 2)
    assert torch.equal(expected.pixels, got.pixels)
    assert same_state(
        state_copy(model.synthesizer), state_copy(fresh.synthesizer))


def test_fast_rounds_follow_warmup_unless_given():
    synthesizer = _fast(warmup_rounds=4).synthesizer
    assert synthesizer.student_terms_from_round == 3
    assert synthesizer.reset_first_layers_at_round == 123
    assert synthesizer.steps == 3 and synthesizer.lr_z == 0.01
    given = _fast(warmup_rounds=4, student_terms_from_round=0).synthesizer
    assert given.student_terms_from_round == 0


@pytest.mark.parametrize('build', [_cmi, _fast], ids=['cmi', 'fast'])
def test_a_generator_of_the_wrong_size_is_refused_at_build_time(build):
    with pytest.raises(
            ValueError,
            match=r'makes images of shape \(1, 16, 16\) but the teacher '
            r'takes \(1, 32, 32\); leave its `out_channels`/`img_size`'):
        build(generator=dict(GENERATOR, img_size=16))


class BufferReadingStatistics(BatchNormStatistics):
    """Wrong: reads the ``has_average`` buffer at every step (a host
    synchronisation per step on a GPU), as the statistics once did."""

    def statistics(self):
        self.has_moving_average = bool(self.has_average)
        return super().statistics()


def _host_reads_per_step(statistics) -> int:
    with HostReads() as reads:
        statistics.statistics()
    return reads.count


def test_the_bn_average_is_blended_without_reading_the_device():
    """Fast's, NAYER's and CPNet's BN term read no tensor value per step; the
    host mirror of ``has_average`` follows the updates and the loads."""
    teacher = MODELS.build(tiny_classifier_cfg(batch_norm=True))
    for cls, clean in ((BatchNormStatistics, True), (BufferReadingStatistics,
                                                     False)):
        statistics = cls(teacher, momentum=0.9)
        with statistics.record():
            teacher(torch.randn(4, 1, 32, 32), mode='tensor')
        statistics.update_average()
        assert statistics.has_moving_average
        assert (_host_reads_per_step(statistics) == 0) is clean
    fresh = BatchNormStatistics(teacher, momentum=0.9)
    assert not fresh.has_moving_average
    fresh.load_state_dict(statistics.state_dict())
    assert fresh.has_moving_average
