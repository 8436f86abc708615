# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""ZSKT's loop: the properties that keep the adversarial game honest."""
import copy

import pytest
import torch

from mmrazor_zs.models import ZSKT
from mmrazor_zs.models.algorithms import \
    generator_distiller as distiller_module
from mmrazor_zs.registry import MODELS
from mmrazor_zs.testing import (generator_student_wrappers, parameter_copies,
                                tiny_zskt_cfg)


def _count_forwards(module):
    calls = []
    module.register_forward_hook(lambda *args: calls.append(1))
    return calls


class LeakyZSKT(ZSKT):
    """ZSKT with the bug seen in another zoo: the generator's backward also
    fills the student's gradients, which the student step then applies."""

    def _generator_step(self, z, generator_ow):
        images = self.generator(z)
        teacher_logits = self.teacher(images, mode='tensor')
        loss = self.generator_loss(
            self.student(images, mode='tensor'), teacher_logits)
        loss.backward()
        generator_ow.step()
        generator_ow.optimizer.zero_grad()
        return {
            'loss_generator': loss.detach()
        }, (images.detach(), dict(teacher_logits=teacher_logits.detach()))


def _student_update_is_pure(model_cls) -> bool:
    """Whether one train_step updates the student exactly as a plain SGD step
    on the student loss alone would (generator frozen by lr=0)."""
    model = model_cls(**{
        k: v
        for k, v in tiny_zskt_cfg(student_steps=1).items() if k != 'type'
    })
    reference = copy.deepcopy(model)
    model.train_step(None,
                     generator_student_wrappers(model, 0.0, 0.1, kind='SGD'))

    # The reference: x = G(z) (G unchanged since its lr is 0), then one SGD
    # step on KL(teacher || student) for the student alone.
    reference.train()
    z = reference.sample_noise(0, 0)
    with torch.no_grad():
        reference.generator(z)  # the generator step's BN update
        images = reference.generator(z)
        teacher_logits = reference.teacher(images, mode='tensor')
    loss = reference.student_loss(
        reference.student(images, mode='tensor'), teacher_logits)
    loss.backward()
    with torch.no_grad():
        for param in reference.student.parameters():
            param -= 0.1 * param.grad
    return all(
        torch.allclose(a, b, atol=1e-6) for a, b in zip(
            model.student.parameters(), reference.student.parameters()))


def test_generator_gradients_never_reach_the_student_update():
    assert _student_update_is_pure(ZSKT)


def test_the_purity_check_catches_a_leaky_generator_step():
    assert not _student_update_is_pure(LeakyZSKT)


@pytest.mark.parametrize('mode', ['same', 'fresh'])
def test_student_steps_never_backpropagate_into_the_generator(mode):
    model = MODELS.build(tiny_zskt_cfg(student_batch=mode))
    wrappers = generator_student_wrappers(model)
    seen = []
    for param in model.generator.parameters():
        param.register_hook(lambda grad: seen.append(1))
    model.train_step(None, wrappers)
    # exactly one backward reached G: the generator step's
    assert len(seen) == len(list(model.generator.parameters()))
    assert all(p.grad is None for p in model.generator.parameters())


@pytest.mark.parametrize('mode,teacher_calls', [('same', 1 + 1),
                                                ('fresh', 1 + 3)])
def test_teacher_runs_once_per_batch(mode, teacher_calls):
    model = MODELS.build(tiny_zskt_cfg(student_batch=mode, student_steps=3))
    calls = _count_forwards(model.teacher)
    student_calls = _count_forwards(model.student)
    model.train_step(None, generator_student_wrappers(model))
    # generator step + one pseudo batch (same) or one per student step
    assert len(calls) == teacher_calls
    assert len(student_calls) == 1 + 3


def test_adversarial_loss_is_nonzero_and_moves_the_generator():
    model = MODELS.build(tiny_zskt_cfg())
    before = parameter_copies(model.generator)
    log = model.train_step(None, generator_student_wrappers(model))
    assert log['loss_generator'].item() < 0  # -KL, maximised by G
    assert any(not torch.equal(a, b)
               for a, b in zip(before, model.generator.parameters()))


def test_generator_step_trains_the_final_batch_norm():
    """The released code's newest commit learns the final BN's affine
    parameters; the first commit's ``affine=False`` is only a switch."""
    model = MODELS.build(tiny_zskt_cfg())
    final_bn = model.generator.blocks[-1]
    before = final_bn.weight.detach().clone(), final_bn.bias.detach().clone()
    model.train_step(None, generator_student_wrappers(model))
    assert not torch.equal(before[0], final_bn.weight)
    assert not torch.equal(before[1], final_bn.bias)


def test_teacher_is_frozen_and_always_in_eval_mode():
    model = MODELS.build(tiny_zskt_cfg())
    before = parameter_copies(model.teacher)
    model.train()
    assert not model.teacher.training
    assert model.student.training and model.generator.training
    assert not any(p.requires_grad for p in model.teacher.parameters())
    model.train_step(None, generator_student_wrappers(model))
    assert all(
        torch.equal(a, b) for a, b in zip(before, model.teacher.parameters()))


def test_logs_and_attention_transfer_pairs():
    model = MODELS.build(
        tiny_zskt_cfg(
            at_pairs=[('backbone.stages.0', 'backbone.stages.0'),
                      (0, 'backbone.stages.1')],
            student=dict(
                tiny_zskt_cfg()['student'],
                backbone=dict(
                    type='mmrazor_zs.LeNet5Backbone',
                    widths=(3, 6, 24),
                    out_indices=(1, 2)))))
    log = model.train_step(None, generator_student_wrappers(model))
    assert set(log) == {'loss_generator', 'loss_kl', 'loss_at', 'loss_student'}
    assert log['loss_at'].item() > 0
    assert log['loss_student'].item() == pytest.approx(
        log['loss_kl'].item() + log['loss_at'].item(), rel=1e-5)


def test_noise_differs_per_rank_and_is_reproducible(monkeypatch):
    model = MODELS.build(tiny_zskt_cfg())
    monkeypatch.setattr(distiller_module, 'get_rank', lambda: 0)
    rank0 = model.sample_noise(5, 1)
    assert torch.equal(rank0, model.sample_noise(5, 1))
    assert not torch.equal(rank0, model.sample_noise(5, 2))
    assert not torch.equal(rank0, model.sample_noise(6, 1))
    monkeypatch.setattr(distiller_module, 'get_rank', lambda: 1)
    assert not torch.equal(rank0, model.sample_noise(5, 1))


def test_noise_position_is_saved_with_the_weights():
    model = MODELS.build(tiny_zskt_cfg(seed=123))
    model.train_step(None, generator_student_wrappers(model))
    state = model.state_dict()
    other = MODELS.build(tiny_zskt_cfg(seed=7))
    other.load_state_dict(state)
    assert (other.seed, other.num_iters) == (123, 1)


def test_fresh_mode_draws_new_noise_per_student_step():
    model = MODELS.build(tiny_zskt_cfg(student_batch='fresh'))
    batches = []
    original = model._student_step

    def spy(images, *args):
        batches.append(images.clone())
        return original(images, *args)

    model._student_step = spy
    model.train_step(None, generator_student_wrappers(model))
    assert len(batches) == 3
    assert not torch.equal(batches[0], batches[1])


def test_predict_adds_teacher_labels_and_bad_mode_fails():
    model = MODELS.build(tiny_zskt_cfg())
    model.eval()
    images = torch.randn(4, 1, 32, 32)
    predictions = model(images, mode='predict')
    teacher = model.teacher(images, mode='tensor').argmax(1)
    assert [int(p.teacher_pred_label) for p in predictions] == teacher.tolist()
    assert torch.equal(
        model(images, mode='tensor'), model.student(images, mode='tensor'))
    with pytest.raises(RuntimeError, match='ZSKT has no "loss" mode'):
        model(images, mode='loss')
    with pytest.raises(RuntimeError, match='Invalid mode "other"'):
        model(images, mode='other')


@pytest.mark.parametrize('override,message', [
    (dict(student_batch='other'), "`student_batch` of ZSKT must be one of "
     "'same' or 'fresh', but got 'other'."),
    (dict(student_steps=0),
     '`student_steps` of ZSKT must be an integer >= 1, but got 0.'),
    (dict(generator_loss=dict(type='KLDivergence', loss_weight=1.0)),
     'must be negative'),
    (dict(at_pairs=[('backbone.nope', 'backbone.stages.0')]),
     "student has no module 'backbone.nope'"),
    (dict(at_pairs=[('backbone.stages.0', 'backbone.stages.1')]),
     'equal spatial size'),
    (dict(input_shape=(3, 32, 32)), 'generator makes images of shape'),
])
def test_bad_settings_fail_at_build_time(override, message):
    cfg = tiny_zskt_cfg(**override)
    if 'input_shape' in override:
        cfg['generator'] = dict(cfg['generator'], out_channels=1)
    with pytest.raises(ValueError, match=message):
        MODELS.build(cfg)


def test_class_count_mismatch_fails_at_build_time():
    cfg = tiny_zskt_cfg()
    cfg['student']['head']['num_classes'] = 5
    with pytest.raises(
            ValueError, match='teacher predicts 10 classes but '
            'the student 5'):
        MODELS.build(cfg)


def test_unknown_algorithm_argument_fails_loudly():
    with pytest.raises(TypeError, match='student_stpes'):
        MODELS.build(tiny_zskt_cfg(student_stpes=3))
