# Copyright (c) mmrazor_zs contributors. All rights reserved.
import pytest
import torch
import torch.nn.functional as F
from mmpretrain.structures import DataSample

from mmrazor_zs.registry import MODELS
from mmrazor_zs.testing import tiny_classifier_cfg

PAIRS = [('backbone.stages.0', 'backbone.stages.0'),
         ('backbone.stages.1', 'backbone.stages.1')]


def build(**kwargs):
    torch.manual_seed(0)
    cfg = dict(
        type='KDAT',
        teacher=tiny_classifier_cfg((6, 12, 24)),
        student=tiny_classifier_cfg((3, 6, 24)),
        at_pairs=PAIRS,
        input_shape=(1, 32, 32))
    cfg.update(kwargs)
    return MODELS.build(cfg)


def samples(labels):
    return [DataSample().set_gt_label(int(label)) for label in labels]


def reference_terms(model, x, y, temperature):
    """The released code's KT_loss pieces, written out by hand: CE, the.

    element-wise mean of ``t * (log t - log_softmax(s / T))`` (F.kl_div's
    old 'mean') and the AT term of every stage pair.
    """
    s_feats, t_feats = [], []
    s = x
    for stage in model.student.backbone.stages:
        s = stage(s)
        s_feats.append(s)
    t = x
    for stage in model.teacher.backbone.stages:
        t = stage(t)
        t_feats.append(t)
    s_logits = model.student(x, mode='tensor')
    t_logits = model.teacher(x, mode='tensor')
    ce = F.cross_entropy(s_logits, y)
    p_t = torch.softmax(t_logits / temperature, 1)
    log_p_s = torch.log_softmax(s_logits / temperature, 1)
    kl = (p_t * (p_t.log() - log_p_s)).sum() / p_t.numel()

    def attention(a):
        return F.normalize(a.pow(2).mean(1).view(a.size(0), -1))

    at = [(attention(s_feats[i]) - attention(t_feats[i])).pow(2).mean()
          for i in range(2)]
    return ce, kl, at


def test_kd_at_loss_is_the_released_kt_loss():
    model = build(alpha=0.9, temperature=4.0, beta=1000.0)
    x, y = torch.randn(5, 1, 32, 32), torch.tensor([0, 3, 3, 9, 1])
    losses = model(x, samples(y), mode='loss')
    ce, kl, at = reference_terms(model, x, y, 4.0)
    assert set(losses) == {'loss_ce', 'loss_kd', 'loss_at'}
    assert torch.allclose(losses['loss_ce'], 0.1 * ce, rtol=1e-5)
    # 2 * alpha * T^2 = 28.8; beta * 3 / len(pairs) = 1500 per pair
    assert torch.allclose(losses['loss_kd'], 28.8 * kl, rtol=1e-4)
    assert torch.allclose(losses['loss_at'], 1500 * (at[0] + at[1]), rtol=1e-4)
    assert losses['loss_at'] > 0 and losses['loss_kd'] > 0


def test_kd_and_at_modes():
    x, y = torch.randn(4, 1, 32, 32), torch.tensor([1, 2, 3, 4])
    kd = build(kt_mode='KD', alpha=0.5, temperature=2.0)
    losses = kd(x, samples(y), mode='loss')
    ce, kl, _ = reference_terms(kd, x, y, 2.0)
    assert set(losses) == {'loss_ce', 'loss_kd'}  # pairs ignored
    assert torch.allclose(losses['loss_ce'], 0.5 * ce, rtol=1e-5)
    assert torch.allclose(losses['loss_kd'], 4.0 * kl, rtol=1e-4)

    at_model = build(kt_mode='AT', alpha=0.9, beta=10.0, at_pairs=PAIRS[:1])
    losses = at_model(x, samples(y), mode='loss')
    ce, _, at = reference_terms(at_model, x, y, 4.0)
    assert set(losses) == {'loss_ce', 'loss_at'}
    assert torch.allclose(losses['loss_ce'], ce, rtol=1e-5)  # no alpha
    assert torch.allclose(losses['loss_at'], 30.0 * at[0], rtol=1e-4)


def test_train_step_updates_only_the_student_and_teacher_stays_eval():
    from mmengine.optim import OptimWrapper
    model = build()
    teacher_before = {
        k: v.clone()
        for k, v in model.teacher.state_dict().items()
    }
    student_before = [p.clone() for p in model.student.parameters()]
    optim = OptimWrapper(
        torch.optim.SGD(
            model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4))
    model.train()
    assert not model.teacher.training and model.student.training
    data = dict(
        inputs=torch.randn(3, 1, 32, 32), data_samples=samples([0, 1, 2]))
    log_vars = model.train_step(data, optim)
    assert {'loss', 'loss_ce', 'loss_kd', 'loss_at'} <= set(log_vars)
    assert all(p.grad is None for p in model.teacher.parameters())
    assert not any(p.requires_grad for p in model.teacher.parameters())
    for key, value in model.teacher.state_dict().items():
        assert torch.equal(value, teacher_before[key]), key
    assert any(not torch.equal(p, q)
               for p, q in zip(model.student.parameters(), student_before))


@pytest.mark.parametrize('kwargs, message', [
    (dict(kt_mode='KD-AT'), "`kt_mode` of KDAT must be one of 'KD', 'AT' "
     r"or 'KD\+AT', but got 'KD-AT'."),
    (dict(alpha=1.5), '`alpha` must be in'),
    (dict(temperature=0), '`temperature` must be positive'),
    (dict(beta=-1), '`beta` must be >= 0'),
    (dict(at_pairs=()), 'needs `at_pairs`'),
    (dict(at_pairs=[('backbone.stages.0', 'backbone.stages.1')]),
     'equal spatial size'),
    (dict(at_pairs=[('backbone.nope', 'backbone.stages.0')]),
     "no module 'backbone.nope'"),
    (dict(student=tiny_classifier_cfg((3, 6, 24), num_classes=5)),
     'teacher predicts 10 classes but the student 5'),
])
def test_bad_settings_fail_at_build(kwargs, message):
    with pytest.raises(ValueError, match=message):
        build(**kwargs)
