# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""DeepInversion and ADI on :class:`InversionDistiller`: the terms by hand,
gradient hygiene of a synthesis round, the kept batch, the round schedule, pool
sampling and the student step against a plain reference.

Every hygiene check also runs on a wrong implementation that it must catch.
"""
import math

import pytest
import torch
import torch.nn.functional as F

from mmrazor_zs.engine.optimizers import SeparateOptimWrapperConstructor
from mmrazor_zs.models import ADI, DeepInversion
from mmrazor_zs.models.augments.differentiable import random_crop_flip
from mmrazor_zs.models.losses import AgreementMaskedKL, LabelCrossEntropy
from mmrazor_zs.models.synthesizers import (DeepInversionSynthesizer,
                                            inversion_synthesizer)
from mmrazor_zs.models.synthesizers.inversion_synthesizer import round_backward
from mmrazor_zs.models.utils.keyed_random import keyed_generator
from mmrazor_zs.registry import MODELS
from mmrazor_zs.testing import (synthesis_round_is_clean, tiny_classifier_cfg,
                                tiny_inversion_cfg)


def _build(cls=ADI, **overrides):
    return cls(**tiny_inversion_cfg(**overrides))


def _student_optim(model, lr=0.1):
    return SeparateOptimWrapperConstructor(
        dict(
            student=dict(
                type='OptimWrapper',
                optimizer=dict(type='SGD', lr=lr, momentum=0.9))))(
                    model)


# ----------------------------------------------------------------------
# terms by hand
def test_label_cross_entropy_by_hand():
    logits = torch.tensor([[2., 0.], [0., 1.]])
    labels = torch.tensor([0, 0])
    # -log softmax: log(1 + e^-2) and log(1 + e^1), averaged
    expected = (math.log(1 + math.exp(-2)) + math.log(1 + math.e)) / 2
    loss = LabelCrossEntropy(loss_weight=2.)(logits, labels)
    assert loss.item() == pytest.approx(2 * expected, rel=1e-6)


def test_agreement_masked_kl_by_hand():
    student = torch.tensor([[1., 0.], [0., 1.]])
    teacher = torch.tensor([[2., 0.], [2., 0.]])  # the second disagrees

    def softmax(a, b):
        return math.exp(a) / (math.exp(a) + math.exp(b))

    pt, ps = softmax(2, 0), softmax(1, 0)
    kl_first = pt * math.log(pt / ps) + (1 - pt) * math.log(
        (1 - pt) / (1 - ps))
    loss = AgreementMaskedKL(loss_weight=-1.)(student, teacher)
    # the disagreeing image counts as a zero in the batch mean
    assert loss.item() == pytest.approx(-kl_first / 2, rel=1e-5)
    unmasked = F.kl_div(
        F.log_softmax(student, 1),
        F.softmax(teacher, 1),
        reduction='batchmean')
    assert loss.item() != pytest.approx(-unmasked.item(), rel=1e-3)


# ----------------------------------------------------------------------
# a synthesis round
class LeakySynthesizer(DeepInversionSynthesizer):
    """A round that counts the student's weights among its own tensors, so that
    the backward fills the student's ``.grad`` (as the released codes' plain
    ``loss.backward()`` does, harmless there only because they zero the student
    later)."""

    def begin_round(self, round_index, rng):
        return super().begin_round(round_index, rng) + list(
            self._student.parameters())


class TrainModeStudentSynthesizer(DeepInversionSynthesizer):
    """A round that runs the student in train mode: its BN running statistics
    move with every synthetic batch."""

    def render(self):
        self._student.train()
        return super().render()


def _round(model):
    model.student.train()
    for param in model.student.parameters():
        param.grad = None
    return model.synthesizer.synthesize(model.teacher, model.student, 0,
                                        keyed_generator((0, )))


def test_synthesis_round_touches_only_its_images():
    model = _build()
    assert model.synthesizer.losses.needs_student  # ADI runs the student
    assert synthesis_round_is_clean(model)


@pytest.mark.parametrize('wrong', ['leaky', 'train_mode_student'])
def test_round_hygiene_catches_a_wrong_round(wrong):
    model = _build(
        synthesizer=dict(
            type='LeakySynthesizerForTests' if wrong ==
            'leaky' else 'TrainModeStudentSynthesizerForTests',
            batch_size=6,
            steps=3))
    model.synthesizer._student = model.student
    assert not synthesis_round_is_clean(model)


MODELS.register_module('LeakySynthesizerForTests', module=LeakySynthesizer)
MODELS.register_module(
    'TrainModeStudentSynthesizerForTests', module=TrainModeStudentSynthesizer)


def test_the_competition_term_moves_the_images():
    """ADI's competition reads the student and changes the batch it makes;
    DeepInversion has no student term."""
    adi = _build(ADI, synthesizer=dict(batch_size=6, steps=3, keep='last'))
    plain = _build(
        DeepInversion, synthesizer=dict(batch_size=6, steps=3, keep='last'))
    plain.load_state_dict(adi.state_dict())
    assert not plain.synthesizer.losses.needs_student
    assert not torch.equal(_round(adi).pixels, _round(plain).pixels)


class RecordingSynthesizer(DeepInversionSynthesizer):
    """Records each step's loss (its ``round_backward``) and rendered
    pixels."""

    def step(self, step):
        self.seen.append(
            (self.losses_seen[-1], self.render().detach().clone()))
        super().step(step)


MODELS.register_module(
    'RecordingSynthesizerForTests', module=RecordingSynthesizer)


@pytest.mark.parametrize('keep', ['best', 'last'])
def test_the_round_keeps_the_lowest_loss_or_the_last_batch(keep, monkeypatch):

    def recording_backward(loss, tensors, loss_scale=1.0):
        model.synthesizer.losses_seen.append(loss.item())
        round_backward(loss, tensors, loss_scale)

    monkeypatch.setattr(inversion_synthesizer, 'round_backward',
                        recording_backward)
    model = _build(
        synthesizer=dict(
            type='RecordingSynthesizerForTests',
            batch_size=6,
            steps=5,
            keep=keep,
            lr=0.5))
    model.synthesizer.seen, model.synthesizer.losses_seen = [], []
    kept = _round(model).pixels
    losses = [loss for loss, _ in model.synthesizer.seen]
    assert len(set(losses)) == 5  # the steps moved the batch
    if keep == 'best':
        expected = model.synthesizer.seen[losses.index(min(losses))][1]
    else:  # the batch after the last step (the released codes' alias)
        with torch.no_grad():
            expected = model.synthesizer.render()
    assert torch.equal(kept, expected)
    kept_a_step = any(
        torch.equal(kept, seen) for _, seen in model.synthesizer.seen)
    assert kept_a_step if keep == 'best' else not kept_a_step


def test_clip_keeps_pixels_in_range():
    model = _build(synthesizer=dict(batch_size=6, steps=3, lr=5., keep='last'))
    pixels = _round(model).pixels
    assert pixels.min() >= -1e-6 and pixels.max() <= 1 + 1e-6
    unclipped = _build(
        synthesizer=dict(
            batch_size=6, steps=3, lr=5., keep='last', clip=False))
    pixels = _round(unclipped).pixels
    assert pixels.min() < 0 or pixels.max() > 1


def test_labels_random_sorted_or_cycled():
    model = _build()
    rng = keyed_generator((1, ))
    labels = model.synthesizer.sample_labels(rng, torch.device('cpu'))
    assert torch.equal(labels, labels.sort()[0])
    cycled = _build(synthesizer=dict(batch_size=12, steps=1, labels='cycle'))
    assert cycled.synthesizer.sample_labels(
        rng, torch.device('cpu')).tolist() == [*range(10), 0, 1]


# ----------------------------------------------------------------------
# the loop
def test_rounds_are_due_before_every_interval():
    model = _build(round_interval=3, warmup_rounds=2)
    assert [model.rounds_due(i) for i in range(7)] == [3, 3, 3, 4, 4, 4, 5]
    offline = _build(round_interval=None, warmup_rounds=4)
    assert {offline.rounds_due(i) for i in range(10)} == {4}


def test_pool_batches_cover_the_pool_without_replacement():
    model = _build(batch_size=4, round_interval=5)
    stream = torch.cat(
        [model.pool_batch_indices(i, pool_size=10) for i in range(5)])
    assert sorted(stream[:10].tolist()) == list(range(10))
    assert sorted(stream[10:20].tolist()) == list(range(10))
    # the next round draws a new stream
    assert not torch.equal(model.pool_batch_indices(5, 10), stream[:4])


def test_training_writes_round_shards_and_steps_the_student_as_reference(
        tmp_path):
    model = _build(round_interval=2)
    model.attach_pool(str(tmp_path / 'pool'))
    optim = _student_optim(model)
    reference = _build(round_interval=2)
    reference.load_state_dict(model.state_dict())
    ref_optim = torch.optim.SGD(
        reference.student.parameters(), lr=0.1, momentum=0.9)
    for iteration in range(4):
        model.train()
        model.train_step(None, optim)
        # the plain form of the student step, on the pool the model wrote
        pool = model.pool.load(before_round=model.rounds_done)
        indices = model.pool_batch_indices(iteration, pool.shape[0])
        pixels = random_crop_flip(
            pool[indices].float() / 255,
            padding=2,
            flip=True,
            generator=keyed_generator((0, 0, 2, iteration)))
        images = (pixels - 0.5) / 0.5
        with torch.no_grad():
            target = F.softmax(
                reference.teacher(images, mode='tensor') / 20, 1)
        reference.student.train()
        log_student = F.log_softmax(
            reference.student(images, mode='tensor') / 20, 1)
        loss = 400 * (target * (target.log() - log_student)).sum(1).mean()
        ref_optim.zero_grad()
        loss.backward()
        ref_optim.step()
    assert model.rounds_done == 2
    assert sorted(p.name for p in (tmp_path / 'pool').iterdir()) == [
        'round_000000_rank_000.pth', 'round_000001_rank_000.pth'
    ]
    for (name, a), b in zip(model.student.state_dict().items(),
                            reference.student.state_dict().values()):
        assert torch.allclose(a, b, atol=1e-6), name
    assert model.synthesis_summary()['synthesized_images'] == 12


def test_extra_state_resumes_the_counters():
    model = _build()
    model.num_iters, model.rounds_done = 7, 3
    other = _build(seed=5)
    other.load_state_dict(model.state_dict())
    assert (other.seed, other.num_iters, other.rounds_done) == (0, 7, 3)


# ----------------------------------------------------------------------
# build-time and run-time errors
def test_training_without_a_pool_says_which_hook_to_add():
    model = _build()
    with pytest.raises(RuntimeError, match='ImagePoolHook'):
        model.train_step(None, _student_optim(model))


def test_a_teacher_without_batch_norm_is_refused_naming_the_terms():
    with pytest.raises(ValueError, match=r"\['bn'\].*no BatchNorm2d"):
        _build(teacher=tiny_classifier_cfg((6, 12, 24)))


def test_a_missing_normalisation_is_refused_with_the_fix():
    with pytest.raises(ValueError, match='data_preprocessor'):
        _build(data_preprocessor=None)


@pytest.mark.parametrize('override,message', [
    (dict(round_interval=0), '`round_interval`'),
    (dict(round_interval=None), '`warmup_rounds` must be >= 1'),
    (dict(synthesizer=dict(keep='first')), '`keep`'),
    (dict(synthesizer=dict(labels='sorted')), '`labels`'),
    (dict(synthesizer=dict(augment=dict(type='mixup'))), '`augment.type`'),
    (dict(
        synthesizer=dict(losses=dict(at=dict(type='AttentionTransferLoss')))),
     'must declare'),
])
def test_bad_settings_fail_at_build_time(override, message):
    with pytest.raises(ValueError, match=message):
        _build(**override)


def test_the_synthesizer_needs_no_runner_optimizer():
    model = _build()
    wrappers = _student_optim(model)
    assert set(wrappers.keys()) == {'student'}


def test_a_config_overrides_the_paper_synthesizer_key_by_key():
    adi = _build(ADI)  # tiny_inversion_cfg overrides batch_size and steps
    synthesizer = adi.synthesizer
    assert (synthesizer.batch_size, synthesizer.steps) == (6, 3)
    assert (synthesizer.lr, synthesizer.betas) == (0.1, (0.5, 0.99))
    assert list(
        synthesizer.losses.terms) == ['bn', 'onehot', 'tv', 'competition']
    assert list(_build(DeepInversion).synthesizer.losses.terms) == [
        'bn', 'onehot', 'tv'
    ]
    # a given `losses` replaces the default terms
    only_bn = _build(
        DeepInversion,
        synthesizer=dict(
            batch_size=6,
            steps=3,
            losses=dict(bn=dict(type='BatchNormStatisticsLoss'))))
    assert list(only_bn.synthesizer.losses.terms) == ['bn']
    assert 'competition' not in DeepInversion.synthesizer_defaults['losses']


@pytest.mark.parametrize('rounding', ['truncate', 'round'])
def test_the_pool_stores_pixels_with_the_configured_rounding(
        tmp_path, rounding):
    """The default truncates as the zju-vipa codes' PNGs; 'round' is the
    nearest level.

    A batch with a pixel at 254.7 tells the two apart.
    """
    model = _build(round_interval=2, pool_rounding=rounding)
    model.attach_pool(str(tmp_path / 'pool'))
    images = torch.full((2, 1, 8, 8), 0.999)
    model.pool.add(images, 0)
    assert model.pool.load(before_round=1).unique().tolist() == [{
        'truncate': 254,
        'round': 255
    }[rounding]]
    assert _build().pool_rounding == 'truncate'
    with pytest.raises(ValueError, match='`pool_rounding` of ADI must be'):
        _build(pool_rounding='nearest')
