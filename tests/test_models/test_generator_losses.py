# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Generator loss terms against values computed by hand."""
import math

import pytest
import torch
import torch.nn as nn

from mmrazor_zs.models.losses import (ActivationLoss, BatchNormStatisticsLoss,
                                      InformationEntropyLoss, L1Logits,
                                      OnehotLikeLoss)
from mmrazor_zs.models.utils.bn_statistics import BatchNormStatistics

LOGITS = torch.tensor([[2.0, 0.0, 0.0], [0.0, 1.0, 0.0]])


def test_onehot_like_is_cross_entropy_to_the_argmax():
    # row 1: -log(e^2 / (e^2 + 2)); row 2: -log(e / (e + 2))
    expected = (-math.log(math.e**2 /
                          (math.e**2 + 2)) - math.log(math.e /
                                                      (math.e + 2))) / 2
    assert OnehotLikeLoss()(LOGITS).item() == pytest.approx(expected)
    assert OnehotLikeLoss(loss_weight=0.05)(LOGITS).item() == pytest.approx(
        0.05 * expected)


def test_information_entropy_uses_the_mean_belief_and_its_log_base():
    p1 = [math.e**2 / (math.e**2 + 2), 1 / (math.e**2 + 2)]
    p2 = [1 / (math.e + 2), math.e / (math.e + 2)]
    mean = [(p1[0] + p2[0]) / 2, (p1[1] + p2[1]) / 2, (p1[1] + p2[0]) / 2]
    negative_entropy = sum(p * math.log(p) for p in mean)
    assert InformationEntropyLoss()(LOGITS).item() == pytest.approx(
        negative_entropy / math.log(10))
    assert InformationEntropyLoss(log_base=math.e)(LOGITS).item() == (
        pytest.approx(negative_entropy))
    # a balanced batch is the minimum: -log(classes)
    balanced = torch.eye(3) * 50
    assert InformationEntropyLoss(log_base=math.e)(balanced).item() == (
        pytest.approx(-math.log(3), abs=1e-6))
    with pytest.raises(ValueError, match='log_base'):
        InformationEntropyLoss(log_base=1)


def test_activation_is_minus_the_mean_absolute_feature():
    features = torch.tensor([[1.0, -3.0], [0.5, 0.0]])
    assert ActivationLoss()(features).item() == pytest.approx(-4.5 / 4)
    # an mmpretrain neck returns a tuple: its last element is used
    assert ActivationLoss(loss_weight=0.1)(
        (torch.zeros(1), features)).item() == pytest.approx(-0.45 / 4)


def test_l1_logits_is_the_mean_absolute_difference():
    student = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    teacher = torch.tensor([[0.0, 2.0], [5.0, 4.5]])
    assert L1Logits()(student, teacher).item() == pytest.approx(3.5 / 4)
    assert L1Logits(loss_weight=-1)(student, teacher).item() == (
        pytest.approx(-3.5 / 4))


def _bn_net():
    torch.manual_seed(0)
    net = nn.Sequential(
        nn.Conv2d(2, 3, 1), nn.BatchNorm2d(3), nn.ReLU(), nn.Conv2d(3, 2, 1),
        nn.BatchNorm2d(2))
    for bn in (net[1], net[4]):
        bn.running_mean.uniform_(-1, 1)
        bn.running_var.uniform_(0.5, 2)
    return net.eval()


def test_bn_statistics_loss_matches_a_textbook_computation():
    net = _bn_net()
    recorder = BatchNormStatistics(net)
    x = torch.randn(4, 2, 3, 3)
    with recorder.record():
        net(x)
    stats = recorder.statistics()

    # by hand: inputs of each BN, mean over (N, H, W), biased variance
    first_in = net[0](x)
    second_in = net[3](net[2](net[1](first_in)))
    expected = 0.0
    for weight, (inputs, bn) in zip((10.0, 1.0),
                                    ((first_in, net[1]), (second_in, net[4]))):
        flat = inputs.permute(1, 0, 2, 3).reshape(inputs.shape[1], -1)
        mean = flat.mean(1)
        var = ((flat - mean[:, None])**2).mean(1)
        expected += weight * (
            (bn.running_var - var).pow(2).sum().sqrt() +
            (bn.running_mean - mean).pow(2).sum().sqrt()).item()
    loss = BatchNormStatisticsLoss(first_layer_weight=10.0)(stats)
    assert loss.item() == pytest.approx(expected, rel=1e-5)
    with pytest.raises(ValueError, match='no BatchNorm2d'):
        BatchNormStatisticsLoss()([])


def test_bn_statistics_record_only_inside_record_and_keep_gradients():
    net = _bn_net()
    recorder = BatchNormStatistics(net)
    net(torch.randn(2, 2, 3, 3))
    with pytest.raises(RuntimeError, match='did not run inside'):
        recorder.statistics()
    x = torch.randn(2, 2, 3, 3, requires_grad=True)
    with recorder.record():
        net(x)
    BatchNormStatisticsLoss()(recorder.statistics()).backward()
    assert x.grad is not None and x.grad.abs().sum() > 0


def test_bn_statistics_momentum_blends_with_the_moving_average():
    """Fast's DeepInversionHook with mmt_rate m: the first update sets the.

    average, later batches are compared as (1 - m) batch + m average.
    """
    net = _bn_net()
    recorder = BatchNormStatistics(net, momentum=0.9)
    first = torch.randn(4, 2, 3, 3)
    second = torch.randn(4, 2, 3, 3) + 1
    with recorder.record():
        net(first)
    plain = [s[:2] for s in recorder.statistics()]  # no average yet
    recorder.update_average()
    with recorder.record():
        net(second)
    raw_second = [tuple(t.clone() for t in b) for b in recorder.recorded()]
    blended = recorder.statistics()
    for (mean1, var1), (mean2, var2), stats in zip(plain, raw_second, blended):
        assert torch.allclose(stats[0], 0.1 * mean2 + 0.9 * mean1)
        assert torch.allclose(stats[1], 0.1 * var2 + 0.9 * var1)
    recorder.update_average()
    assert torch.allclose(recorder.average_mean_0,
                          0.9 * plain[0][0] + 0.1 * raw_second[0][0])
    # the average is a buffer: saved and restored with the model
    assert {'has_average', 'average_mean_0', 'average_var_1'} <= set(
        recorder.state_dict())
    with pytest.raises(ValueError, match='momentum'):
        BatchNormStatistics(net, momentum=1.0)
