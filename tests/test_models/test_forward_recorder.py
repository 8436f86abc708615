# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""The one forward-hook recorder and its small subclasses."""
import pytest
import torch
import torch.nn as nn

from mmrazor_zs.models.utils import (BatchNormStatistics, FeatureTaps,
                                     ForwardRecorder, InstanceMeans,
                                     batch_norm_paths)


def _net():
    net = nn.Sequential(
        nn.Conv2d(1, 2, 1, bias=False), nn.BatchNorm2d(2), nn.ReLU())
    with torch.no_grad():
        net[0].weight.copy_(torch.tensor([1., -2.]).view(2, 1, 1, 1))
    return net.eval()


def _image():
    # one image, 2 x 2 pixels: 1, 2, 3, 6 (mean 3)
    return torch.tensor([[1., 2.], [3., 6.]]).view(1, 1, 2, 2)


def test_inputs_or_outputs_by_path_only_inside_record():
    net = _net()
    inputs = ForwardRecorder(net, ['1'], source='input')
    outputs = ForwardRecorder(net, ['0', '0'], source='output')
    net(_image())  # outside record: nothing kept
    with pytest.raises(
            RuntimeError, match=r"modules \['0', '0'\] did not run inside"):
        outputs.recorded()
    with inputs.record(), outputs.record():
        net(_image())
    conv_out = torch.cat([_image(), -2 * _image()], dim=1)
    assert torch.equal(inputs.recorded()[0], conv_out)
    assert all(torch.equal(out, conv_out) for out in outputs.recorded())


def test_a_new_record_drops_the_last_one_and_remove_unhooks():
    net = _net()
    recorder = ForwardRecorder(net, ['2'])
    with recorder.record():
        net(_image())
    with recorder.record():
        pass
    with pytest.raises(RuntimeError, match='did not run inside'):
        recorder.recorded()
    recorder.remove()
    with recorder.record():
        net(_image())
    with pytest.raises(RuntimeError, match='did not run inside'):
        recorder.recorded()


def test_bad_paths_and_sources_are_refused_by_name():
    net = _net()
    with pytest.raises(
            ValueError,
            match=r"The teacher has no module 'conv'\. Valid module paths: "
            r'0, 1, 2'):
        ForwardRecorder(net, ['conv'], role='teacher')
    with pytest.raises(ValueError, match="no module ''"):
        ForwardRecorder(net, [''])
    with pytest.raises(
            ValueError,
            match=r"`source` of ForwardRecorder must be one of 'input' or "
            r"'output', but got 'grad'\."):
        ForwardRecorder(net, ['0'], source='grad')


def test_the_three_recorders_are_small_subclasses():
    net = _net()
    assert batch_norm_paths(net) == ['1']
    means, statistics = InstanceMeans(net), BatchNormStatistics(net)
    taps = FeatureTaps(net, ['2'], 'student')
    with means.record(), statistics.record(), taps.record():
        out = net(_image())
    # the BN input's channels are the image and -2 x the image: spatial
    # means 3 and -6, variances 3.5 and 14 (biased, over N, H, W)
    assert means.features().tolist() == [[3., -6.]]
    mean, var, running_mean, running_var = statistics.statistics()[0]
    assert mean.tolist() == [3., -6.] and var.tolist() == [3.5, 14.]
    assert running_mean is net[1].running_mean
    assert torch.equal(taps.features()[0], out)
    assert all(
        isinstance(r, ForwardRecorder) for r in (means, statistics, taps))


def test_instance_means_need_a_layer():
    with pytest.raises(ValueError, match='No layer to record'):
        InstanceMeans(nn.Sequential(nn.Conv2d(1, 1, 1)))
