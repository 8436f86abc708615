# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""torchvision_to_mmpretrain.py on torchvision's own ResNet-18, ResNet-50 and
MobileNetV2 at random weights: the converted checkpoint loads strictly into the
configs/teachers/*_in1k.py models and computes the same logits."""
import os.path as osp
import subprocess

import pytest
import torch
import torchvision
from mmengine.config import Config

from mmrazor_zs.models.utils import (TeacherCheckpointError,
                                     load_teacher_checkpoint)
from mmrazor_zs.registry import MODELS
from ..conftest import PYTHON, REPO_ROOT, load_module_from_file, python_env

TOOL = osp.join(REPO_ROOT, 'tools', 'model_converters',
                'torchvision_to_mmpretrain.py')
#: torchvision's builder -> our config of the same network
NETWORKS = dict(
    resnet18='configs/teachers/resnet18_8xb32_in1k.py',
    resnet50='configs/teachers/resnet50_8xb32_in1k.py',
    mobilenet_v2='configs/teachers/mobilenet-v2_8xb32_in1k.py')


def load_tool():
    return load_module_from_file('torchvision_converter', TOOL)


def torchvision_network(arch: str, num_classes: int = 10) -> torch.nn.Module:
    """torchvision's network at random weights, with random BN statistics (so
    that a BN renamed wrongly changes the output)."""
    torch.manual_seed(0)
    network = getattr(torchvision.models, arch)(
        weights=None, num_classes=num_classes)
    for module in network.modules():
        if isinstance(module, torch.nn.BatchNorm2d):
            module.running_mean.uniform_(-0.1, 0.1)
            module.running_var.uniform_(0.5, 1.5)
            module.weight.data.uniform_(0.5, 1.5)
            module.bias.data.uniform_(-0.1, 0.1)
    return network.eval()


def our_network(arch: str, num_classes: int = 10) -> torch.nn.Module:
    cfg = Config.fromfile(osp.join(REPO_ROOT, NETWORKS[arch]))
    cfg.model.head.num_classes = num_classes
    return MODELS.build(cfg.model).eval()


@pytest.mark.parametrize('arch', list(NETWORKS))
def test_a_converted_network_computes_the_same_logits(arch, tmp_path):
    network = torchvision_network(arch)
    source = tmp_path / f'{arch}.pth'
    torch.save(network.state_dict(), source)
    out = tmp_path / 'converted.pth'
    result = subprocess.run(
        [PYTHON, TOOL, str(source), str(out)],
        cwd=REPO_ROOT,
        env=python_env(),
        capture_output=True,
        text=True,
        timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"torchvision's {arch} (10 classes)" in result.stdout
    ours = our_network(arch)
    load_teacher_checkpoint(ours, str(out))  # strict
    images = torch.randn(2, 3, 64, 64)
    with torch.no_grad():
        expected = network(images)
        logits = ours(images, mode='tensor')
    assert torch.allclose(logits, expected, atol=1e-4, rtol=1e-4)


def test_a_data_parallel_state_dict_converts():
    tool = load_tool()
    state = torchvision_network('resnet18').state_dict()
    wrapped = {f'module.{k}': v for k, v in state.items()}
    result = tool.convert({'state_dict': wrapped})
    assert result['meta'] == dict(arch='resnet18', num_classes=10)
    assert 'backbone.layer4.1.bn2.running_var' in result['state_dict']


def test_wrong_inputs_are_refused_naming_the_problem():
    tool = load_tool()
    with pytest.raises(
            ValueError, match="none of torchvision's ResNet or "
            'MobileNetV2'):
        tool.convert({'head.fc.weight': torch.zeros(2, 2)})
    state = torchvision_network('resnet18').state_dict()
    state.pop('layer2.0.bn1.running_var')
    with pytest.raises(
            ValueError,
            match=r"do not form torchvision's resnet18 with 10 classes; "
            r'missing keys: backbone.layer2.0.bn1.running_var'):
        tool.convert(state)
    state = torchvision_network('mobilenet_v2').state_dict()
    state['features.19.0.weight'] = torch.zeros(1)
    with pytest.raises(
            ValueError,
            match="keys that no layer of "
            r"torchvision's mobilenet_v2 has: features.19.0"):
        tool.convert(state)


def test_a_torchvision_teacher_file_is_refused_with_the_converter_named(
        tmp_path):
    path = tmp_path / 'resnet18.pth'
    torch.save(torchvision_network('resnet18').state_dict(), path)
    with pytest.raises(
            TeacherCheckpointError,
            match='torchvision state dict; convert it with '
            'tools/model_converters/torchvision_to_mmpretrain.py'):
        load_teacher_checkpoint(our_network('resnet18'), str(path))
