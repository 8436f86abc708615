# Copyright (c) mmrazor_zs contributors. All rights reserved.
import pytest
import torch
from mmpretrain.structures import DataSample

from mmrazor_zs.models.augments import released_family
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


DIGITS_PREPROCESSOR = dict(
    type='mmpretrain.ClsDataPreprocessor', mean=[77.82], std=[82.51])


def test_expanded_loss_is_the_mean_over_every_copy():
    model = build(
        tau=4.0,
        hard_label_weight=0.5,
        batch_expansion=dict(type='ZSKDAugmentFamily'),
        data_preprocessor=DIGITS_PREPROCESSOR)
    pixels = torch.rand(2, 1, 32, 32)
    inputs = (pixels * 255 - 77.82) / 82.51
    stored = samples(torch.full((2, 10), 0.1), [0, 0])  # ignored
    losses = model(inputs, stored, mode='loss')
    # by hand: each copy from the numpy reference maps, normalised, then
    # its teacher label and student terms one copy at a time (the tiny
    # networks have no batch statistics, so one batched forward serves)
    copies = torch.stack([
        torch.from_numpy(pixel_map.apply(image)).float()
        for image in pixels[:, 0].numpy()
        for _, pixel_map in released_family(32, 1)
    ])
    x = ((copies * 255 - 77.82) / 82.51).unsqueeze(1)
    with torch.no_grad():
        teacher_logits = model.teacher(x, mode='tensor')
        student_logits = model.student(x, mode='tensor')
    soft, hard = [], []
    for teacher, student in zip(teacher_logits, student_logits):
        target = torch.softmax(teacher / 4, 0)
        soft.append(-(target * torch.log_softmax(student / 4, 0)).sum())
        hard.append(-torch.log_softmax(student, 0)[teacher.argmax()])
    assert len(soft) == 212
    assert torch.allclose(
        losses['loss_kd'], 16 * torch.stack(soft).mean(), rtol=1e-4)
    assert torch.allclose(
        losses['loss_hard'], 0.5 * torch.stack(hard).mean(), rtol=1e-4)


def test_expansion_without_normalisation_sees_0_to_255():
    model = build(batch_expansion=dict(type='ZSKDAugmentFamily'))
    inputs = torch.rand(1, 1, 32, 32) * 255
    expanded = model.expand(inputs)
    assert torch.allclose(expanded[0], inputs[0])
    assert torch.all(expanded[4, :, :, 26:] == 255)  # translate_left's white


def test_teacher_labels_in_bounded_chunks():
    model = build(relabel_batch_size=50)
    seen = []
    model.teacher.register_forward_pre_hook(
        lambda module, args: seen.append(len(args[0])))
    x = torch.randn(120, 1, 32, 32)
    targets = model.soft_targets(x, [])
    assert seen == [50, 50, 20]
    expected = torch.softmax(model.teacher(x, mode='tensor') / 20, 1)
    assert torch.allclose(targets, expected, atol=1e-6)


def test_expansion_needs_relabel():
    with pytest.raises(ValueError, match='needs `relabel=True`'):
        build(relabel=False, batch_expansion=dict(type='ZSKDAugmentFamily'))
    with pytest.raises(
            ValueError,
            match='`relabel_batch_size` of ZSKD must be an integer >= 1, but '
            'got 0.'):
        build(relabel_batch_size=0)


def test_expand_without_a_batch_expansion_says_so():
    with pytest.raises(RuntimeError, match='needs `batch_expansion`'):
        build().expand(torch.zeros(1, 1, 32, 32))
