# Copyright (c) mmrazor_zs contributors. All rights reserved.
import math

import pytest
import torch

from mmrazor_zs.registry import MODELS
from mmrazor_zs.testing import DispatchedOps


def _kl_by_hand(student_logits, teacher_logits):
    """Per-sample KL(p_t || p_s) written out with math, no torch ops."""
    values = []
    for s_row, t_row in zip(student_logits.tolist(), teacher_logits.tolist()):
        s_norm = math.log(sum(math.exp(v) for v in s_row))
        t_norm = math.log(sum(math.exp(v) for v in t_row))
        values.append(
            sum(
                math.exp(t - t_norm) * ((t - t_norm) - (s - s_norm))
                for s, t in zip(s_row, t_row)))
    return values


def test_kl_divergence_mean_and_batchmean_by_hand():
    student = torch.tensor([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    teacher = torch.tensor([[3.0, 2.0, 1.0], [1.0, 0.0, -1.0]])
    per_sample = _kl_by_hand(student, teacher)
    # The first sample: p_t = softmax(3,2,1), p_s its reverse, so
    # KL = (p0 - p2) * 2 with p0 = 0.66524, p2 = 0.09003.
    assert per_sample[0] == pytest.approx((0.665241 - 0.090031) * 2, 1e-5)

    mean = MODELS.build(dict(type='KLDivergence', reduction='mean'))
    batchmean = MODELS.build(dict(type='KLDivergence', reduction='batchmean'))
    # 'mean' divides the sum by batch x classes = 6, 'batchmean' by 2.
    assert mean(student,
                teacher).item() == pytest.approx(sum(per_sample) / 6, 1e-6)
    assert batchmean(student, teacher).item() == pytest.approx(
        sum(per_sample) / 2, 1e-6)


def test_kl_divergence_matches_torch_kl_div():
    student, teacher = torch.randn(4, 10), torch.randn(4, 10)
    loss = MODELS.build(dict(type='KLDivergence', tau=4.0, loss_weight=2.0))
    reference = torch.nn.functional.kl_div(
        torch.log_softmax(student / 4, 1),
        torch.softmax(teacher / 4, 1),
        reduction='sum') / 40
    assert torch.allclose(loss(student, teacher), 2 * reference, atol=1e-7)


@pytest.mark.parametrize('tau, divisions', [(1.0, 0), (2.0, 2)])
def test_kl_divergence_divides_by_tau_only_where_it_is_not_1(tau, divisions):
    student = torch.randn(4, 10, requires_grad=True)
    teacher = torch.randn(4, 10)
    loss = MODELS.build(dict(type='KLDivergence', tau=tau))
    with DispatchedOps() as ops:
        value = loss(student, teacher)
    assert ops.counts['div'] == divisions  # 'mean': no other division
    reference = torch.nn.functional.kl_div(
        torch.log_softmax(student / tau, 1),
        torch.softmax(teacher / tau, 1),
        reduction='sum') / 40
    assert torch.allclose(value, reference, atol=1e-7)


def test_kl_divergence_zero_for_equal_logits_and_bad_settings():
    logits = torch.randn(3, 5)
    loss = MODELS.build(dict(type='KLDivergence'))
    assert loss(logits, logits).abs().item() < 1e-7
    with pytest.raises(
            ValueError,
            match="`reduction` of KLDivergence must be one of 'mean' or "
            "'batchmean', but got 'sum'"):
        MODELS.build(dict(type='KLDivergence', reduction='sum'))
    with pytest.raises(ValueError, match='`tau` must be positive'):
        MODELS.build(dict(type='KLDivergence', tau=0))


def test_attention_transfer_by_hand():
    # One sample, 2 channels, 1 x 2 map. Channel-mean of squares:
    # student (1 + 9) / 2, (4 + 0) / 2 = (5, 2) -> (5, 2) / sqrt(29)
    # teacher (0 + 1) / 2, (1 + 0) / 2 = (.5, .5) -> (1, 1) / sqrt(2)
    student = torch.tensor([[[[1.0, 2.0]], [[3.0, 0.0]]]])
    teacher = torch.tensor([[[[0.0, 1.0]], [[1.0, 0.0]]]])
    a_s = [5 / math.sqrt(29), 2 / math.sqrt(29)]
    a_t = [1 / math.sqrt(2), 1 / math.sqrt(2)]
    expected = ((a_s[0] - a_t[0])**2 + (a_s[1] - a_t[1])**2) / 2
    loss = MODELS.build(dict(type='AttentionTransferLoss', loss_weight=250))
    assert loss(student, teacher).item() == pytest.approx(250 * expected, 1e-5)


def test_attention_transfer_ignores_channel_count_but_not_size():
    loss = MODELS.build(dict(type='AttentionTransferLoss'))
    same = torch.randn(2, 3, 4, 4)
    assert loss(same, torch.cat([same, same], 1)).item() == pytest.approx(
        0, abs=1e-7)
    with pytest.raises(ValueError, match='same spatial size'):
        loss(torch.randn(2, 3, 4, 4), torch.randn(2, 3, 8, 8))
