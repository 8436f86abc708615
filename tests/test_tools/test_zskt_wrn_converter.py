# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""tools/model_converters/zskt_wrn_to_mmpretrain.py on checkpoints of a WRN
written, in this file, with the ZSKT authors' module names and layer order."""
import os.path as osp
import subprocess

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.config import Config
from mmengine.runner import load_checkpoint

from mmrazor_zs.registry import MODELS
from mmrazor_zs.utils import load_checkpoint_file
from ..conftest import PYTHON, REPO_ROOT, load_module_from_file, python_env

TOOL = osp.join(REPO_ROOT, 'tools', 'model_converters',
                'zskt_wrn_to_mmpretrain.py')


def load_tool():
    return load_module_from_file('zskt_wrn_converter', TOOL)


class AuthorsBlock(nn.Module):
    """Pre-activation block named as theirs; ``conv1`` and the shortcut both
    read ``relu(bn1(x))`` when the channel count changes."""

    def __init__(self, in_planes, out_planes, stride):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(in_planes)
        self.conv1 = nn.Conv2d(in_planes, out_planes, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(out_planes)
        self.conv2 = nn.Conv2d(out_planes, out_planes, 3, 1, 1, bias=False)
        self.equal_in_out = in_planes == out_planes
        self.convShortcut = None if self.equal_in_out else nn.Conv2d(
            in_planes, out_planes, 1, stride, bias=False)

    def forward(self, x):
        pre = F.relu(self.bn1(x))
        out = self.conv2(F.relu(self.bn2(self.conv1(pre))))
        return out + (x if self.equal_in_out else self.convShortcut(pre))


class AuthorsGroup(nn.Module):

    def __init__(self, num_blocks, in_planes, out_planes, stride):
        super().__init__()
        self.layer = nn.Sequential(*[
            AuthorsBlock(in_planes if i == 0 else out_planes, out_planes,
                         stride if i == 0 else 1) for i in range(num_blocks)
        ])

    def forward(self, x):
        return self.layer(x)


class AuthorsWRN(nn.Module):

    def __init__(self, depth, widen_factor, num_classes=10):
        super().__init__()
        n = (depth - 4) // 6
        widths = [16, 16 * widen_factor, 32 * widen_factor, 64 * widen_factor]
        self.conv1 = nn.Conv2d(3, 16, 3, 1, 1, bias=False)
        self.block1 = AuthorsGroup(n, widths[0], widths[1], 1)
        self.block2 = AuthorsGroup(n, widths[1], widths[2], 2)
        self.block3 = AuthorsGroup(n, widths[2], widths[3], 2)
        self.bn1 = nn.BatchNorm2d(widths[3])
        self.fc = nn.Linear(widths[3], num_classes)

    def forward(self, x):
        out = self.block3(self.block2(self.block1(self.conv1(x))))
        out = F.avg_pool2d(F.relu(self.bn1(out)), 8)
        return self.fc(out.flatten(1))


def random_authors_wrn(depth, widen_factor):
    """Random weights and random BN statistics, in eval mode."""
    model = AuthorsWRN(depth, widen_factor)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.BatchNorm2d):
                module.weight.uniform_(0.5, 1.5)
                module.bias.normal_(0, 0.2)
                module.running_mean.normal_(0, 0.3)
                module.running_var.uniform_(0.5, 2.0)
                module.num_batches_tracked.fill_(7)
    return model.eval()


def our_classifier(config):
    cfg = Config.fromfile(osp.join(REPO_ROOT, config))
    return MODELS.build(cfg.model).eval()


def assert_same_logits(theirs, ours):
    images = torch.randn(4, 3, 32, 32)
    with torch.no_grad():
        expected = theirs(images)
        got = ours(images, mode='tensor')
    assert got.shape == (4, 10)
    assert torch.allclose(got, expected, atol=1e-5), \
        (got - expected).abs().max()


@pytest.mark.parametrize('depth, widen_factor, config', [
    (16, 2, 'configs/teachers/wrn-16-2_1xb128_cifar10.py'),
    (40, 1, 'configs/teachers/wrn-40-1_1xb128_cifar10.py'),
])
def test_converted_checkpoint_gives_the_same_logits(tmp_path, depth,
                                                    widen_factor, config):
    theirs = random_authors_wrn(depth, widen_factor)
    torch.save({'state_dict': theirs.state_dict()}, tmp_path / 'last.pth')
    converted = load_tool().convert(
        load_checkpoint_file(str(tmp_path / 'last.pth')))
    assert converted['meta'] == dict(
        depth=depth, widen_factor=widen_factor, num_classes=10)
    ours = our_classifier(config)
    missing, unexpected = ours.load_state_dict(converted['state_dict'])
    assert (missing, unexpected) == ([], [])
    # BN statistics are carried over, not only the parameters
    assert torch.equal(ours.backbone.final_bn.running_var,
                       theirs.bn1.running_var)
    assert_same_logits(theirs, ours)


def test_cli_converts_a_dataparallel_checkpoint(tmp_path):
    theirs = random_authors_wrn(10, 2)
    state = {f'module.{k}': v for k, v in theirs.state_dict().items()}
    torch.save({'state_dict': state, 'epoch': 200}, tmp_path / 'last.pth')
    out_file = tmp_path / 'out' / 'wrn-10-2.pth'
    result = subprocess.run(
        [PYTHON, TOOL, str(tmp_path / 'last.pth'),
         str(out_file)],
        capture_output=True,
        text=True,
        env=python_env(),
        cwd=REPO_ROOT)
    assert result.returncode == 0, result.stderr
    assert 'WRN-10-2 (10 classes)' in result.stdout
    # no recipe of WRN-10-2: the tool says which options make one
    assert 'model.backbone.depth=10' in result.stdout
    assert 'model.head.in_channels=128' in result.stdout
    cfg = Config.fromfile(
        osp.join(REPO_ROOT, 'configs/teachers/wrn-16-2_1xb128_cifar10.py'))
    cfg.merge_from_dict({'model.backbone.depth': 10})
    ours = MODELS.build(cfg.model).eval()
    load_checkpoint(ours, str(out_file), strict=True)
    assert_same_logits(theirs, ours)


def test_cli_names_the_configs_of_the_network(tmp_path):
    state = random_authors_wrn(16, 1).state_dict()
    torch.save(state, tmp_path / 'bare.pth')  # a bare state dict
    result = subprocess.run(
        [PYTHON, TOOL,
         str(tmp_path / 'bare.pth'),
         str(tmp_path / 'out.pth')],
        capture_output=True,
        text=True,
        env=python_env(),
        cwd=REPO_ROOT)
    assert result.returncode == 0, result.stderr
    assert 'configs/teachers/wrn-16-1_1xb128_cifar10.py' in result.stdout


def test_a_foreign_state_dict_is_refused_with_its_keys(tmp_path):
    tool = load_tool()
    resnet = {
        'backbone.conv1.weight': torch.zeros(64, 3, 7, 7),
        'head.fc.weight': torch.zeros(10, 512)
    }
    with pytest.raises(ValueError) as err:
        tool.convert({'state_dict': resnet})
    message = str(err.value)
    assert 'not a checkpoint of the ZSKT authors' in message
    assert 'block1.layer.0.conv1.weight' in message  # what it lacks
    assert 'backbone.conv1.weight' in message  # what it has
    torch.save({'state_dict': resnet}, tmp_path / 'resnet.pth')
    result = subprocess.run([
        PYTHON, TOOL,
        str(tmp_path / 'resnet.pth'),
        str(tmp_path / 'out.pth')
    ],
                            capture_output=True,
                            text=True,
                            env=python_env(),
                            cwd=REPO_ROOT)
    assert result.returncode != 0
    assert 'Cannot convert' in result.stderr
    assert not (tmp_path / 'out.pth').exists()


def test_unexpected_missing_and_mis_shaped_keys_are_listed():
    tool = load_tool()
    state = random_authors_wrn(10, 1).state_dict()
    state['block2.layer.0.extra.weight'] = torch.zeros(1)
    del state['block3.layer.0.convShortcut.weight']
    state['bn1.running_mean'] = torch.zeros(3)
    with pytest.raises(ValueError) as err:
        tool.convert({'state_dict': state})
    message = str(err.value)
    assert 'WRN-10-1' in message
    assert "unexpected (authors' names): block2.layer.0.extra.weight" \
        in message
    assert 'missing (our names): backbone.group3.0.shortcut.weight' \
        in message
    assert 'mis-shaped: backbone.final_bn.running_mean (3,) != (64,)' \
        in message
