# Copyright (c) mmrazor_zs contributors. All rights reserved.
import pytest
import torch
from mmpretrain.structures import DataSample

from mmrazor_zs.registry import MODELS
from mmrazor_zs.testing import tiny_classifier_cfg


def build(**kwargs):
    torch.manual_seed(0)
    return MODELS.build(
        dict(
            type='ZSKD',
            teacher=tiny_classifier_cfg((6, 12, 24)),
            student=tiny_classifier_cfg((3, 6, 24)),
            **kwargs))


def samples(scores, labels):
    return [
        DataSample().set_gt_score(s).set_gt_label(int(label))
        for s, label in zip(scores, labels)
    ]


def test_loss_is_tau_squared_soft_cross_entropy_on_stored_labels():
    model = build(tau=4.0, relabel=False)
    x = torch.randn(3, 1, 32, 32)
    scores = torch.softmax(torch.randn(3, 10), 1)
    losses = model(x, samples(scores, [0, 1, 2]), mode='loss')
    logits = model.student(x, mode='tensor')
    expected = 16 * -(scores * torch.log_softmax(logits / 4, 1)).sum(1).mean()
    assert torch.allclose(losses['loss_kd'], expected, atol=1e-5)
    assert set(losses) == {'loss_kd'}


def test_relabel_uses_the_teacher_on_the_augmented_image():
    model = build(tau=20.0)
    x = torch.randn(2, 1, 32, 32)
    wrong = torch.full((2, 10), 0.1)
    targets = model.soft_targets(x, samples(wrong, [0, 0]))
    expected = torch.softmax(model.teacher(x, mode='tensor') / 20, 1)
    assert torch.allclose(targets, expected)


def test_hard_label_term_and_student_only_gradients():
    model = build(hard_label_weight=0.5)
    x = torch.randn(2, 1, 32, 32)
    losses = model(x, samples(torch.full((2, 10), 0.1), [3, 4]), mode='loss')
    assert set(losses) == {'loss_kd', 'loss_hard'}
    sum(losses.values()).backward()
    assert all(p.grad is None for p in model.teacher.parameters())
    assert all(p.grad is not None for p in model.student.parameters())


def test_bad_tau():
    with pytest.raises(ValueError, match='`tau` must be positive'):
        build(tau=0)
