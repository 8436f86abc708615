# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""DAFL, DFAD and DFQ on :class:`GeneratorDistiller`: gradient hygiene, a
frozen teacher, live generator terms, each algorithm's loop, build-time checks
and the saved noise position.

Every check is also run on a wrong implementation (a subclass below) to show
that it catches it.
"""
import copy

import pytest
import torch
import torch.nn as nn

from mmrazor_zs.models import DAFL, DFAD, DFQ
from mmrazor_zs.models.algorithms.generator_distiller import GeneratorDistiller
from mmrazor_zs.registry import MODELS
from mmrazor_zs.testing import (generator_student_wrappers, parameter_copies,
                                record_detached_inputs, tiny_classifier_cfg,
                                tiny_generator_family_cfg)

ALGORITHMS = ('DAFL', 'DFAD', 'DFQ')
CLASSES = dict(DAFL=DAFL, DFAD=DFAD, DFQ=DFQ)
#: the adversarial term of the algorithms that have one
ADVERSARIAL = ('DFAD', 'DFQ')


def _build(algorithm, cls=None, **overrides):
    cfg = tiny_generator_family_cfg(algorithm, **overrides)
    cfg.pop('type')
    return (cls or CLASSES[algorithm])(**cfg)


def _buffers(module):
    return {k: v.clone() for k, v in module.named_buffers()}


def _same(a, b):
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(torch.equal(a[k], b[k]) for k in a)
    return all(torch.equal(x, y) for x, y in zip(a, b))


# ----------------------------------------------------------------------
# wrong implementations
class _InputsDropped:
    """An optim wrapper whose ``backward`` drops ``inputs=``: a plain
    ``loss.backward()`` that fills the ``.grad`` of every leaf it reaches, the
    student's included."""

    def __init__(self, optim_wrapper):
        self._optim_wrapper = optim_wrapper

    def __getattr__(self, name):
        return getattr(self._optim_wrapper, name)

    def backward(self, loss, **kwargs):
        kwargs.pop('inputs', None)
        return self._optim_wrapper.backward(loss, **kwargs)


class _LeakyGeneratorStep:
    """The generator step's backward also fills the student's ``.grad``; the
    generator's wrapper zeroes only the generator's, so the leak joins the next
    student step's gradient."""

    def _generator_step(self, z, generator_ow):
        return super()._generator_step(z, _InputsDropped(generator_ow))


class LeakyDFQ(_LeakyGeneratorStep, DFQ):
    pass


class MMRazorDFAD(_LeakyGeneratorStep, DFAD):
    """MMRazor 1.0's DFAD (FAMILIES.md section 8): ``update_params`` zeroes the
    student's gradients after its step, and the generator step's backward of
    ``-L1`` fills them again with the wrong sign, so they leak into the first
    student step of the next iteration."""


class JointBackwardDAFL(DAFL):
    """DAFL's released joint step done wrong: one backward of the generator
    terms plus the student's loss (filling the student's ``.grad``), then the
    student step's own backward adds to it."""

    def _generator_step(self, z, generator_ow):
        images = self.generator(z)
        inputs = self._generator_inputs(images, with_student=True)
        loss = sum(self.generator_losses(inputs).values())
        teacher_logits = inputs['teacher_logits'].detach()
        (loss + self.student_loss(inputs['student_logits'],
                                  teacher_logits)).backward()
        generator_ow.step()
        generator_ow.zero_grad()
        return {
            'loss_generator': loss.detach()
        }, (images.detach(), dict(teacher_logits=teacher_logits))


LEAKY = dict(DAFL=JointBackwardDAFL, DFAD=MMRazorDFAD, DFQ=LeakyDFQ)


class _TrainModeTeacher:
    """The teacher in train mode during the generator step: its BN running
    statistics move with every generated batch."""

    def _generator_step(self, z, generator_ow):
        self.teacher.train()
        try:
            return super()._generator_step(z, generator_ow)
        finally:
            self.teacher.eval()


class _TeacherAsStudent:
    """The released zoo bug: the adversarial term reads the teacher where.

    the student belongs, KL(T || T) = |T - T| = 0.
    """

    def _generator_inputs(self, images, with_student):
        inputs = super()._generator_inputs(images, with_student)
        if with_student:
            inputs['student_logits'] = inputs['teacher_logits']
        return inputs


class _DetachedFeatures:
    """The activation term reads the teacher's features without autograd
    history: a value, but no gradient for the generator."""

    def _generator_inputs(self, images, with_student):
        inputs = super()._generator_inputs(images, with_student)
        features = inputs['teacher_features']  # the neck gives a tuple
        inputs['teacher_features'] = tuple(f.detach() for f in features)
        return inputs


class _BatchWithHistory:
    """The student's batch made with autograd on: the student's backward runs
    into the generator."""

    def make_batch(self, z):
        with torch.enable_grad():
            return GeneratorDistiller.make_batch.__wrapped__(self, z)


class _ForgetfulNoise:
    """The noise position is not saved with the weights."""
    get_extra_state = nn.Module.get_extra_state
    set_extra_state = nn.Module.set_extra_state


def _mutant(mixin, algorithm):
    return type(f'{mixin.__name__.strip("_")}{algorithm}',
                (mixin, CLASSES[algorithm]), {})


# ----------------------------------------------------------------------
# a) the student's update is the student loss's alone
def _student_update_is_pure(algorithm, cls=None, iters=2) -> bool:
    """Whether ``iters`` train_steps move the student exactly as plain SGD
    steps on the student loss alone would, on the images its steps saw
    (generator frozen by lr 0)."""
    model = _build(algorithm, cls)
    reference = copy.deepcopy(model.student)
    batches = record_detached_inputs(model.student)
    wrappers = generator_student_wrappers(model, 0.0, 0.1, kind='SGD')
    for _ in range(iters):
        model.train_step(None, wrappers)
    assert len(batches) == iters * model.student_steps

    reference.train()
    for images in batches:
        with torch.no_grad():
            teacher_logits = model.teacher(images, mode='tensor')
        loss = model.student_loss(
            reference(images, mode='tensor'), teacher_logits)
        reference.zero_grad()
        loss.backward()
        with torch.no_grad():
            for param in reference.parameters():
                param -= 0.1 * param.grad
    return all(
        torch.allclose(a, b, atol=1e-6)
        for a, b in zip(model.student.parameters(), reference.parameters()))


@pytest.mark.parametrize('algorithm', ALGORITHMS)
def test_generator_gradients_never_reach_the_student_update(algorithm):
    assert _student_update_is_pure(algorithm)


@pytest.mark.parametrize('algorithm', ALGORITHMS)
def test_the_purity_check_catches_a_leaky_generator_step(algorithm):
    assert not _student_update_is_pure(algorithm, LEAKY[algorithm])


def test_the_purity_check_catches_mmrazors_dfad_leak_in_the_next_iteration():
    # students first: the leak of iteration 0's generator step is only
    # applied by iteration 1's first student step
    assert _student_update_is_pure('DFAD', MMRazorDFAD, iters=1)
    assert not _student_update_is_pure('DFAD', MMRazorDFAD, iters=2)


# ----------------------------------------------------------------------
# b) the teacher never changes
def _teacher_record(algorithm, cls=None, iters=3) -> dict:
    model = _build(algorithm, cls)
    params, buffers = parameter_copies(model.teacher), _buffers(model.teacher)
    assert any('running_mean' in k for k in buffers)
    modes = []
    model.teacher.register_forward_pre_hook(
        lambda module, args: modes.append(module.training))
    model.train()
    wrappers = generator_student_wrappers(model)
    for _ in range(iters):
        model.train_step(None, wrappers)
    return dict(
        params=_same(params, list(model.teacher.parameters())),
        buffers=_same(buffers, _buffers(model.teacher)),
        eval_mode=not model.teacher.training and not any(modes),
        frozen=not any(p.requires_grad for p in model.teacher.parameters()))


@pytest.mark.parametrize('algorithm', ALGORITHMS)
def test_teacher_is_frozen_and_always_in_eval_mode(algorithm):
    assert _teacher_record(algorithm) == dict(
        params=True, buffers=True, eval_mode=True, frozen=True)


@pytest.mark.parametrize('algorithm', ALGORITHMS)
def test_the_teacher_check_catches_a_train_mode_teacher(algorithm):
    record = _teacher_record(algorithm, _mutant(_TrainModeTeacher, algorithm))
    assert not record['buffers']
    assert not record['eval_mode']


# ----------------------------------------------------------------------
# c) the generator terms are live
def _term_is_live(algorithm, name, cls=None) -> bool:
    """Whether the term ``name`` alone (the others weighted 0) is non-zero and
    moves the generator in one step."""
    model = _build(algorithm, cls)
    assert name in model.generator_losses
    for other, term in model.generator_losses.items():
        if other != name:
            term.loss_weight = 0.0
    before = parameter_copies(model.generator)
    log = model.train_step(
        None, generator_student_wrappers(model, 0.1, 0.0, kind='SGD'))
    value = log.get(f'generator/{name}', log['loss_generator'])
    moved = not _same(before, list(model.generator.parameters()))
    return abs(value.item()) > 1e-6 and moved


@pytest.mark.parametrize('algorithm', ADVERSARIAL)
def test_adversarial_term_is_nonzero_and_moves_the_generator(algorithm):
    model = _build(algorithm)
    assert model.generator_losses['adversarial'].loss_weight < 0
    assert _term_is_live(algorithm, 'adversarial')


@pytest.mark.parametrize('algorithm', ADVERSARIAL)
def test_the_adversarial_check_catches_the_teacher_as_student(algorithm):
    assert not _term_is_live(algorithm, 'adversarial',
                             _mutant(_TeacherAsStudent, algorithm))


@pytest.mark.parametrize('name', ['onehot', 'entropy', 'activation'])
def test_each_dafl_term_is_nonzero_and_moves_the_generator(name):
    assert _term_is_live('DAFL', name)


def test_the_dafl_check_catches_a_term_without_gradient():
    assert not _term_is_live('DAFL', 'activation',
                             _mutant(_DetachedFeatures, 'DAFL'))


# ----------------------------------------------------------------------
# d) student steps never backpropagate into the generator
def _generator_backwards(model, iters=2) -> int:
    """How many backward passes reached the generator in ``iters`` train_steps;
    its ``.grad`` must be clear at the end."""
    reached = []
    params = list(model.generator.parameters())
    for param in params:
        param.register_hook(lambda grad: reached.append(1))
    wrappers = generator_student_wrappers(model)
    for _ in range(iters):
        model.train_step(None, wrappers)
    if any(p.grad is not None for p in params):
        return -1
    assert len(reached) % len(params) == 0
    return len(reached) // len(params)


def _student_batch_cfg(algorithm, student_batch, **overrides):
    if student_batch == 'generator':
        overrides.setdefault('order', 'generator_first')
    return dict(student_batch=student_batch, **overrides)


@pytest.mark.parametrize('algorithm', ALGORITHMS)
@pytest.mark.parametrize('student_batch', ['same', 'fresh', 'generator'])
def test_student_steps_never_backpropagate_into_the_generator(
        algorithm, student_batch):
    model = _build(algorithm, **_student_batch_cfg(algorithm, student_batch))
    # one backward per iteration reached G: its generator step's
    assert _generator_backwards(model) == 2


@pytest.mark.parametrize('algorithm', ALGORITHMS)
@pytest.mark.parametrize('student_batch', ['same', 'fresh'])
def test_the_generator_check_catches_a_batch_with_history(
        algorithm, student_batch):
    model = _build(
        algorithm,
        _mutant(_BatchWithHistory, algorithm),
        student_batch=student_batch,
        student_steps=1)
    assert _generator_backwards(model) != 2


# ----------------------------------------------------------------------
# e) each algorithm's loop
def _step_order(model, iters=2):
    """'S' and 'G' for each student and generator optimizer step."""
    events = []
    wrappers = generator_student_wrappers(model)
    for key in ('student', 'generator'):
        wrappers[key].optimizer.register_step_post_hook(
            lambda *args, tag=key[0].upper(): events.append(tag))
    for _ in range(iters):
        model.train_step(None, wrappers)
    return ''.join(events)


@pytest.mark.parametrize('algorithm,steps,expected', [('DFAD', 3, 'SSSG'),
                                                      ('DFQ', 3, 'GSSS'),
                                                      ('DAFL', 1, 'GS')])
def test_step_order(algorithm, steps, expected):
    model = _build(algorithm, student_steps=steps)
    assert _step_order(model) == expected * 2
    if algorithm == 'DFAD':
        flipped = _build('DFAD', student_steps=steps, order='generator_first')
        assert _step_order(flipped) != expected * 2


def _dfq_modes(**overrides) -> dict:
    """What DFQ's generator step does to a student with batch norm, and what
    the student's sampling does to the generator."""
    model = _build(
        'DFQ',
        student=tiny_classifier_cfg((3, 6, 24), batch_norm=True),
        student_steps=2,
        **overrides)
    student_modes, sampling_modes, snapshots = [], [], {}

    def student_call(module, args):
        if args[0].requires_grad:  # the generator step's student call
            student_modes.append(module.training)

    def generator_call(module, args):
        if not torch.is_grad_enabled():  # sampling for the student
            sampling_modes.append(module.training)

    model.student.register_forward_pre_hook(student_call)
    model.generator.register_forward_pre_hook(generator_call)
    wrappers = generator_student_wrappers(model)

    def before_generator_update(*args):
        # the generator step has run the student; no student step yet
        snapshots['student'] = _buffers(model.student)

    def after_generator_update(*args):
        snapshots['generator'] = _buffers(model.generator)

    optimizer = wrappers['generator'].optimizer
    optimizer.register_step_pre_hook(before_generator_update)
    optimizer.register_step_post_hook(after_generator_update)
    model.train()
    student_before = _buffers(model.student)
    model.train_step(None, wrappers)
    assert any('running_mean' in k for k in student_before)
    assert len(sampling_modes) == 2 and len(student_modes) == 1
    return dict(
        student_eval=not any(student_modes),
        student_bn_kept=_same(student_before, snapshots['student']),
        generator_eval=not any(sampling_modes),
        generator_bn_kept=_same(snapshots['generator'],
                                _buffers(model.generator)),
        modes_restored=model.student.training and model.generator.training)


def test_dfq_student_eval_in_generator_step_and_generator_eval_sampling():
    assert _dfq_modes() == dict(
        student_eval=True,
        student_bn_kept=True,
        generator_eval=True,
        generator_bn_kept=True,
        modes_restored=True)


def test_the_dfq_mode_checks_catch_train_modes():
    found = _dfq_modes(
        student_mode_in_generator_step='train',
        generator_mode_for_student='train')
    assert not found['student_eval'] and not found['student_bn_kept']
    assert not found['generator_eval'] and not found['generator_bn_kept']


def _dafl_batches(**overrides):
    """The generator step's images and the student steps' images."""
    model = _build('DAFL', **overrides)
    generated, generator_calls = [], []

    def generator_call(module, args, output):
        generator_calls.append(torch.is_grad_enabled())
        if torch.is_grad_enabled():
            generated.append(output.detach().clone())

    model.generator.register_forward_hook(generator_call)
    seen = record_detached_inputs(model.student)
    model.train_step(None, generator_student_wrappers(model))
    return generator_calls, generated, seen


def test_dafl_student_steps_on_the_generator_steps_images():
    calls, generated, seen = _dafl_batches()
    # one generator forward (the generator step's), no sampling
    assert calls == [True]
    assert len(seen) == 1 and torch.equal(seen[0], generated[0])


def test_the_dafl_batch_check_catches_a_fresh_batch():
    calls, generated, seen = _dafl_batches(student_batch='fresh')
    assert calls == [True, False]
    assert not torch.equal(seen[0], generated[0])


# ----------------------------------------------------------------------
# f) bad settings fail at build time
@pytest.mark.parametrize(
    'algorithm,override,message',
    [
        ('DFAD', dict(order='sideways'),
         "`order` of DFAD must be one of 'generator_first' or "
         "'student_first', but got 'sideways'."),
        ('DFQ', dict(student_batch='other'),
         "`student_batch` of DFQ must be one of 'same', 'fresh' or "
         "'generator', but got 'other'."),
        ('DAFL', dict(batch_size=0),
         '`batch_size` of DAFL must be an integer >= 1, but got 0.'),
        ('DFAD', dict(student_batch='generator', order='student_first'),
         '`student_batch="generator"` reuses the generator step\'s images, so '
         '`order` must be "generator_first"'),
        ('DAFL', dict(order='student_first'),
         '`order` must be "generator_first"'),
        ('DFQ', dict(generator_mode_for_student='test'),
         "`generator_mode_for_student` of DFQ must be one of 'train' or "
         "'eval', but got 'test'."),
        ('DFQ', dict(teacher=tiny_classifier_cfg((6, 12, 24))),
         'the teacher has no BatchNorm2d layer'),
        ('DAFL',
         dict(generator_losses=dict(at=dict(type='AttentionTransferLoss'))),
         r"The loss 'at' of `generator_losses` \(AttentionTransferLoss\) must "
         'declare what it reads in an attribute `inputs`'),
        ('DFQ', dict(generator_losses={}), '`generator_losses` is empty'),
        # an inversion term on a generator: there are no class labels here
        ('DFQ', dict(generator_losses=dict(ce=dict(type='LabelCrossEntropy'))),
         r"reads \['labels'\], which this algorithm does not provide"),
    ])
def test_bad_settings_fail_at_build_time(algorithm, override, message):
    with pytest.raises(ValueError, match=message):
        MODELS.build(tiny_generator_family_cfg(algorithm, **override))


# ----------------------------------------------------------------------
# g) the noise position is saved with the weights
def _restored_position(algorithm, cls=None):
    model = _build(algorithm, cls, seed=123)
    wrappers = generator_student_wrappers(model)
    model.train_step(None, wrappers)
    model.train_step(None, wrappers)
    other = _build(algorithm, cls, seed=7)
    other.load_state_dict(model.state_dict())
    same_noise = torch.equal(
        other.sample_noise(other.num_iters, 0),
        model.sample_noise(model.num_iters, 0))
    return other.seed, other.num_iters, same_noise


@pytest.mark.parametrize('algorithm', ALGORITHMS)
def test_noise_position_is_saved_with_the_weights(algorithm):
    assert _restored_position(algorithm) == (123, 2, True)


def test_the_noise_check_catches_an_unsaved_position():
    found = _restored_position('DFQ', _mutant(_ForgetfulNoise, 'DFQ'))
    assert found == (7, 0, False)
