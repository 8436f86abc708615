# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""zju_vipa_to_mmpretrain.py on the zju-vipa data-free zoo's CIFAR networks.

The networks are written here with the zoo's module names and layer order
(datafree/models/classifiers/ at zju-vipa/DataFree 9e79fa9); their checkpoints
are converted and loaded into the configs/teachers/zju-datafree_* models.
"""
import os.path as osp
import subprocess

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.config import Config

from mmrazor_zs.models.backbones import VGGCIFAR
from mmrazor_zs.models.utils import (TeacherCheckpointError,
                                     load_teacher_checkpoint)
from mmrazor_zs.registry import MODELS
from ..conftest import PYTHON, REPO_ROOT, load_module_from_file, python_env
from .test_zskt_wrn_converter import AuthorsWRN

TOOL = osp.join(REPO_ROOT, 'tools', 'model_converters',
                'zju_vipa_to_mmpretrain.py')


def load_tool():
    return load_module_from_file('zju_vipa_converter', TOOL)


class ZooResNetBlock(nn.Module):
    """resnet.py's BasicBlock: ``conv1 bn1 relu conv2 bn2``, plus the input or
    a ``shortcut`` Sequential of a strided 1x1 conv and a BN, then relu."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(
                nn.Conv2d(cin, cout, 1, stride, bias=False),
                nn.BatchNorm2d(cout))

    def forward(self, x):
        out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(out + self.shortcut(x))


class ZooResNet(nn.Module):
    """resnet.py's ResNet: 3x3 stem, four stages, average pool, linear."""

    def __init__(self, blocks, num_classes):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        cin = 64
        for stage, (count,
                    width) in enumerate(zip(blocks, (64, 128, 256, 512))):
            layers = []
            for index in range(count):
                stride = 2 if stage > 0 and index == 0 else 1
                layers.append(ZooResNetBlock(cin, width, stride))
                cin = width
            setattr(self, f'layer{stage + 1}', nn.Sequential(*layers))
        self.linear = nn.Linear(512, num_classes)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        for stage in range(1, 5):
            x = getattr(self, f'layer{stage}')(x)
        return self.linear(F.adaptive_avg_pool2d(x, 1).flatten(1))


class ZooVGG(nn.Module):
    """vgg.py's VGG with BN: blocks of conv(bias)-BN-ReLU with the last ReLU
    dropped, a ReLU after each block, max pools after blocks 0-2 (and 3 for
    64-pixel inputs), average pool, linear ``classifier``."""

    def __init__(self, widths, num_classes):
        super().__init__()
        cin = 3
        for index, block in enumerate(widths):
            layers = []
            for width in block:
                layers += [
                    nn.Conv2d(cin, width, 3, padding=1),
                    nn.BatchNorm2d(width),
                    nn.ReLU()
                ]
                cin = width
            setattr(self, f'block{index}', nn.Sequential(*layers[:-1]))
        self.classifier = nn.Linear(512, num_classes)

    def forward(self, x):
        pooled = (0, 1, 2, 3) if x.shape[2] == 64 else (0, 1, 2)
        for index in range(5):
            x = F.relu(getattr(self, f'block{index}')(x))
            if index in pooled:
                x = F.max_pool2d(x, 2, 2)
        return self.classifier(F.adaptive_avg_pool2d(x, 1).flatten(1))


VGG_WIDTHS = {
    11: ((64, ), (128, ), (256, 256), (512, 512), (512, 512)),
    13: ((64, 64), (128, 128), (256, 256), (512, 512), (512, 512)),
}

# the zoo's arch -> (its network, our teacher config's name)
ZOO = {
    'resnet18': (lambda n: ZooResNet((2, 2, 2, 2), n), 'resnet18'),
    'resnet34': (lambda n: ZooResNet((3, 4, 6, 3), n), 'resnet34'),
    'vgg11': (lambda n: ZooVGG(VGG_WIDTHS[11], n), 'vgg11-bn'),
    'vgg13': (lambda n: ZooVGG(VGG_WIDTHS[13], n), 'vgg13-bn'),
    'wrn16_1': (lambda n: AuthorsWRN(16, 1, n), 'wrn-16-1'),
    'wrn16_2': (lambda n: AuthorsWRN(16, 2, n), 'wrn-16-2'),
    'wrn40_1': (lambda n: AuthorsWRN(40, 1, n), 'wrn-40-1'),
    'wrn40_2': (lambda n: AuthorsWRN(40, 2, n), 'wrn-40-2'),
}


def zoo_network(arch, num_classes):
    """The zoo's network with random weights and BN statistics, in eval
    mode."""
    torch.manual_seed(0)
    model = ZOO[arch][0](num_classes)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, nn.BatchNorm2d):
                module.weight.uniform_(0.5, 1.5)
                module.bias.normal_(0, 0.2)
                module.running_mean.normal_(0, 0.3)
                module.running_var.uniform_(0.5, 2.0)
                module.num_batches_tracked.fill_(7)
    return model.eval()


def train_scratch_checkpoint(model, arch):
    """What train_scratch.py saves (its optimizer and scheduler too)."""
    optimizer = torch.optim.SGD(
        model.parameters(), 0.1, momentum=0.9, weight_decay=1e-4)
    scheduler = torch.optim.lr_scheduler.MultiStepLR(optimizer,
                                                     [120, 150, 180], 0.1)
    return {
        'epoch': 200,
        'arch': arch,
        'state_dict': model.state_dict(),
        'best_acc1': 0.9487,
        'optimizer': optimizer.state_dict(),
        'scheduler': scheduler.state_dict(),
    }


def zoo_state_dict(arch, num_classes=10):
    return zoo_network(arch, num_classes).state_dict()


def teacher_config(arch, num_classes):
    dataset = 'cifar100' if num_classes == 100 else 'cifar10'
    return (f'configs/teachers/zju-datafree_{ZOO[arch][1]}_1xb256_'
            f'{dataset}.py')


def our_classifier(config):
    cfg = Config.fromfile(osp.join(REPO_ROOT, config))
    return MODELS.build(cfg.model).eval()


def assert_same_logits(theirs, ours, num_classes, size=32):
    images = torch.randn(1, 3, size, size)
    with torch.no_grad():
        expected = theirs(images)
        got = ours(images, mode='tensor')
    assert got.shape == (1, num_classes)
    assert torch.allclose(got, expected, atol=1e-5), \
        (got - expected).abs().max()


@pytest.mark.parametrize('num_classes', [10, 100])
@pytest.mark.parametrize('arch', list(ZOO))
def test_converted_checkpoint_gives_the_zoo_logits(arch, num_classes):
    theirs = zoo_network(arch, num_classes)
    converted = load_tool().convert({
        'arch': arch,
        'state_dict': theirs.state_dict()
    })
    assert converted['meta'] == dict(arch=arch, num_classes=num_classes)
    ours = our_classifier(teacher_config(arch, num_classes))
    ours.load_state_dict(converted['state_dict'], strict=True)
    assert_same_logits(theirs, ours, num_classes)
    if arch.startswith('vgg') and num_classes == 10:  # the 64-pixel pool
        assert_same_logits(theirs, ours, num_classes, size=64)


@pytest.mark.parametrize('arch, num_classes, config', [
    ('wrn40_2', 10, 'configs/teachers/wrn-40-2_1xb128_cifar10.py'),
    ('wrn40_2', 100, 'configs/teachers/wrn-40-2_1xb128_cifar100.py'),
    ('resnet34', 10, 'configs/teachers/resnet34_8xb16_cifar10.py'),
    ('resnet34', 100, 'configs/teachers/resnet34_8xb16_cifar100.py'),
])
def test_the_zoo_teachers_fit_the_distillation_configs_teachers(
        arch, num_classes, config):
    # the teachers that configs/{cmi,dafl,deepinversion,dfq,fast} name
    converted = load_tool().convert(
        {'state_dict': zoo_state_dict(arch, num_classes)})
    ours = our_classifier(config)
    ours.load_state_dict(converted['state_dict'], strict=True)


def test_cli_converts_a_ddp_checkpoint_and_names_its_configs(tmp_path):
    theirs = zoo_network('vgg11', 100)
    checkpoint = train_scratch_checkpoint(theirs, 'vgg11')
    checkpoint['state_dict'] = {
        f'module.{k}': v
        for k, v in checkpoint['state_dict'].items()
    }
    torch.save(checkpoint, tmp_path / 'cifar100_vgg11.pth')
    out_file = tmp_path / 'out' / 'vgg11.pth'
    result = subprocess.run(
        [PYTHON, TOOL,
         str(tmp_path / 'cifar100_vgg11.pth'),
         str(out_file)],
        capture_output=True,
        text=True,
        env=python_env(),
        cwd=REPO_ROOT)
    assert result.returncode == 0, result.stderr
    assert "the zoo's vgg11 (100 classes)" in result.stdout
    assert teacher_config('vgg11', 100) in result.stdout
    ours = our_classifier(teacher_config('vgg11', 100))
    load_teacher_checkpoint(ours, str(out_file))
    assert_same_logits(theirs, ours, 100)


def conversion_error(state_dict, **extra) -> str:
    with pytest.raises(ValueError) as err:
        load_tool().convert({'state_dict': state_dict, **extra})
    return str(err.value)


def test_a_renamed_key_is_named_on_both_sides():
    state = zoo_state_dict('resnet18')
    state['layer1.0.bn_1.weight'] = state.pop('layer1.0.bn1.weight')
    message = conversion_error(state)
    assert "keys that no layer of the zoo's resnet18 has: " \
        'layer1.0.bn_1.weight' in message
    assert 'missing keys: backbone.layer1.0.bn1.weight' in message


def test_swapped_layers_are_mis_shaped():
    state = zoo_state_dict('vgg11')
    state['block2.0.weight'], state['block2.3.weight'] = (
        state['block2.3.weight'], state['block2.0.weight'])
    message = conversion_error(state)
    assert 'shape mismatches: backbone.block2.0.weight (checkpoint ' \
        '(256, 256, 3, 3), model (256, 128, 3, 3))' in message


def test_a_transposed_classifier_is_mis_shaped():
    state = zoo_state_dict('resnet34')
    state['linear.weight'] = state['linear.weight'].t()
    message = conversion_error(state)
    assert "the zoo's resnet34 (inferred from its blocks) with 10 " \
        'classes' in message
    assert 'head.fc.weight (checkpoint (512, 10), model (10, 512))' \
        in message


def test_a_wrong_class_count_is_refused_by_the_teacher_loader(tmp_path):
    converted = load_tool().convert(
        {'state_dict': zoo_state_dict('wrn16_1', num_classes=100)})
    torch.save(converted, tmp_path / 'wrn16_1_cifar100.pth')
    ours = our_classifier(teacher_config('wrn16_1', 10))
    with pytest.raises(TeacherCheckpointError) as err:
        load_teacher_checkpoint(ours, str(tmp_path / 'wrn16_1_cifar100.pth'))
    assert 'head.fc.weight (checkpoint (100, 64), model (10, 64))' in str(
        err.value)


def test_an_arch_that_the_tensors_contradict_is_refused():
    message = conversion_error(zoo_state_dict('resnet18'), arch='resnet34')
    assert "arch is 'resnet34' but its tensors form the zoo's resnet18" \
        in message


@pytest.mark.parametrize('state_dict, words', [
    ({
        'conv1.weight': torch.zeros(16, 3, 3, 3),
        'layer1.0.conv1.weight': torch.zeros(16, 16, 3, 3),
        'fc.weight': torch.zeros(10, 64)
    }, "resnet_tiny.py"),
    ({
        'conv1.weight': torch.zeros(64, 3, 3, 3),
        'layer1.0.conv1.weight': torch.zeros(64, 64, 1, 1),
        'layer1.0.conv3.weight': torch.zeros(256, 64, 1, 1),
        'linear.weight': torch.zeros(10, 2048)
    }, 'Bottleneck'),
    ({
        'backbone.conv1.weight': torch.zeros(64, 3, 3, 3),
        'head.fc.weight': torch.zeros(10, 512)
    }, 'no conversion is needed'),
])
def test_networks_without_a_model_here_are_named(state_dict, words):
    assert words in conversion_error(state_dict)


def test_cli_refuses_and_writes_nothing(tmp_path, monkeypatch, capsys):
    torch.save({'state_dict': {
        'head.fc.weight': torch.zeros(10, 512)
    }}, tmp_path / 'mmpretrain.pth')
    monkeypatch.setattr(
        'sys.argv',
        [TOOL,
         str(tmp_path / 'mmpretrain.pth'),
         str(tmp_path / 'out.pth')])
    with pytest.raises(SystemExit) as exit_info:
        load_tool().main()
    message = str(exit_info.value.code)
    assert message.startswith(f'Cannot convert {tmp_path}/mmpretrain.pth')
    assert 'no conversion is needed' in message
    assert not (tmp_path / 'out.pth').exists()


def test_vgg_cifar_refuses_a_depth_without_a_table_row():
    with pytest.raises(ValueError, match='must be one of'):
        VGGCIFAR(depth=12)
