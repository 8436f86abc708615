# Copyright (c) mmrazor_zs contributors. All rights reserved.
import copy
from types import SimpleNamespace

import pytest
import torch
from mmengine.logging import MessageHub

from mmrazor_zs.engine.hooks import BeliefMatchHook
from mmrazor_zs.evaluation.functional import (agreeing_inputs,
                                              mean_transition_error,
                                              transition_curves)
from mmrazor_zs.registry import MODELS
from mmrazor_zs.testing import tiny_classifier_cfg, tiny_zskt_cfg


@pytest.fixture
def pair():
    torch.manual_seed(0)
    teacher = MODELS.build(tiny_classifier_cfg((6, 12, 24))).eval()
    student = MODELS.build(tiny_classifier_cfg((3, 6, 24))).eval()
    inputs = torch.randn(3, 1, 32, 32)
    labels = teacher(inputs, mode='tensor').argmax(1)
    return student, teacher, inputs, labels


def test_curves_follow_the_definition(pair):
    student, teacher, inputs, labels = pair
    curves = transition_curves(
        student, teacher, inputs, labels, num_steps=4, step_size=50.0)
    assert curves['student'].shape == curves['teacher'].shape == (3, 9, 4)
    for i in range(3):  # every class but the agreed one, in order
        expected = [j for j in range(10) if j != labels[i]]
        assert curves['targets'][i].tolist() == expected
    # step 0 is the image itself; then plain steps on the student's CE
    image, target = inputs[1:2].clone(), int(curves['targets'][1, 4])
    for step in range(4):
        probs = student(image, mode='tensor').detach().softmax(1)
        assert curves['student'][1, 4, step] == pytest.approx(
            float(probs[0, target]), abs=1e-6)
        teacher_probs = teacher(image, mode='tensor').detach().softmax(1)
        assert curves['teacher'][1, 4, step] == pytest.approx(
            float(teacher_probs[0, target]), abs=1e-6)
        image.requires_grad_(True)
        loss = torch.nn.functional.cross_entropy(
            student(image, mode='tensor'), torch.tensor([target]))
        image = (image - 50.0 * torch.autograd.grad(loss, image)[0]).detach()
    # the steps push the student towards the target classes
    assert (curves['student'][..., -1] > curves['student'][..., 0]).all()
    # images are independent: stepping them two at a time changes nothing
    chunked = transition_curves(
        student,
        teacher,
        inputs,
        labels,
        num_steps=4,
        step_size=50.0,
        batch_size=2)
    for key in curves:
        assert torch.allclose(
            chunked[key].float(), curves[key].float(), atol=1e-6), key


def test_mte_is_zero_for_the_teacher_itself_and_positive_otherwise(pair):
    student, teacher, inputs, labels = pair
    same = transition_curves(
        teacher, copy.deepcopy(teacher), inputs, labels, num_steps=3)
    assert mean_transition_error(same) == 0
    other = transition_curves(student, teacher, inputs, labels, num_steps=3)
    expected = (other['teacher'] - other['student']).abs().mean()
    assert mean_transition_error(other) == pytest.approx(float(expected))
    assert mean_transition_error(other) > 0


def loader_of(images):
    return [
        dict(inputs=[img for img in batch], data_samples=None)
        for batch in images.split(4)
    ]


def test_hook_adds_mte_to_test_metrics():
    torch.manual_seed(0)
    model = MODELS.build(
        tiny_zskt_cfg(
            student=tiny_classifier_cfg((6, 12, 24)),
            data_preprocessor=dict(
                type='mmpretrain.ClsDataPreprocessor', mean=[0.], std=[255.])))
    # a student close to the teacher, so that they agree on most images
    with torch.no_grad():
        for s, t in zip(model.student.parameters(),
                        model.teacher.parameters()):
            s.copy_(t + 0.05 * torch.randn_like(t))
    images = (torch.rand(12, 1, 32, 32) * 255).to(torch.uint8)
    runner = SimpleNamespace(
        model=model,
        test_dataloader=loader_of(images),
        message_hub=MessageHub.get_instance('belief-match-test'))
    chosen = agreeing_inputs(model, runner.test_dataloader, 5)
    assert (model.student(chosen['inputs'],
                          mode='tensor').argmax(1) == chosen['labels']).all()
    metrics = {'accuracy/top1': 50.0}
    BeliefMatchHook(num_images=5, steps=3).after_test_epoch(runner, metrics)
    assert set(metrics) == {
        'accuracy/top1', 'belief/mte', 'belief/steps', 'belief/step_size'
    }
    assert 0 < metrics['belief/mte'] < 1 and metrics['belief/steps'] == 3
    assert runner.message_hub.get_scalar(
        'test/belief/mte').current() == metrics['belief/mte']
