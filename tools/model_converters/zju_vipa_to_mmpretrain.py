# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Convert a CIFAR classifier of the zju-vipa data-free zoo to mmpretrain.

    python tools/model_converters/zju_vipa_to_mmpretrain.py IN OUT.pth
        [--trust-checkpoint]

Reads a checkpoint written by the zoo's ``train_scratch.py``
(zju-vipa/DataFree 9e79fa9, the code of zju-vipa/CMI, and
zju-vipa/Fast-Datafree 0dcecbc: ``{'epoch', 'arch', 'state_dict',
'best_acc1', 'optimizer', 'scheduler'}``, the state dict with DataParallel's
or DDP's ``module.`` prefix when the run was wrapped; the teachers its
READMEs link are such files, which ``datafree_kd.py`` reads as
``['state_dict']``). A bare state dict is accepted too. The network is
inferred from the tensors (and checked against ``arch`` when the file has
it), every key is renamed to the ``ImageClassifier`` of our
``configs/teachers/zju-datafree_*`` recipes, and nothing is written unless
the result has exactly that model's keys and shapes:

==============================  =========================================
the zoo's ``arch`` (its file)   our model
==============================  =========================================
resnet18, resnet34 (resnet.py)  mmpretrain ``ResNet_CIFAR``
vgg8, vgg11, vgg13 (vgg.py,     ``mmrazor_zs.VGGCIFAR``
the ``_bn`` variants)
wrn16_1 .. wrn40_2 (wresnet.py) ``mmrazor_zs.WideResNetCIFAR``, converted
                                by ``zskt_wrn_to_mmpretrain.py`` (the
                                zoo's wresnet.py is ZSKT's)
==============================  =========================================

The output is written to a temporary file and renamed into place.
"""
import glob
import importlib.util
import os.path as osp
import re
from types import ModuleType
from typing import Dict, List, Optional, Tuple

import torch
from mmpretrain.models.backbones import ResNet_CIFAR

from mmrazor_zs.models.backbones import VGGCIFAR
from mmrazor_zs.models.backbones.vgg_cifar import VGG_CIFAR_WIDTHS
from mmrazor_zs.utils import (CheckpointError, convert_checkpoint_file,
                              converter_arguments, short_list, state_dict_of,
                              state_dict_problems)

HERE = osp.dirname(osp.abspath(__file__))
REPO_ROOT = osp.join(HERE, '..', '..')

#: blocks per stage of the zoo's resnet.py (BasicBlock) -> depth
RESNET_DEPTHS = {(2, 2, 2, 2): 18, (3, 4, 6, 3): 34}

# The zoo's module names -> ours, per family.
RESNET_RULES = [
    (re.compile(r'^(conv1|bn1)\.(.+)$'), r'backbone.\1.\2'),
    (re.compile(r'^(layer\d\.\d+)\.((?:conv|bn)[12]\..+)$'),
     r'backbone.\1.\2'),
    (re.compile(r'^(layer\d\.\d+)\.shortcut\.([01]\..+)$'),
     r'backbone.\1.downsample.\2'),
    (re.compile(r'^linear\.(.+)$'), r'head.fc.\1'),
]
VGG_RULES = [
    (re.compile(r'^(block[0-4]\.\d+\..+)$'), r'backbone.\1'),
    (re.compile(r'^classifier\.(.+)$'), r'head.fc.\1'),
]

# Keys that tell the zoo's networks apart.
RESNET_MARKERS = ('conv1.weight', 'layer1.0.conv1.weight', 'linear.weight')
VGG_MARKERS = ('block0.0.weight', 'classifier.weight')
WRN_MARKERS = ('conv1.weight', 'block1.layer.0.conv1.weight', 'fc.weight')
RESNET_TINY_MARKERS = ('conv1.weight', 'layer1.0.conv1.weight', 'fc.weight')


def rename(key: str, rules: List[Tuple[re.Pattern, str]]) -> Optional[str]:
    """Our name for one of the zoo's keys, or None if no rule takes it."""
    for pattern, replacement in rules:
        if pattern.match(key):
            return pattern.sub(replacement, key)
    return None


def zskt_converter() -> ModuleType:
    """``zskt_wrn_to_mmpretrain.py`` beside this file, the one home of the WRN
    renaming."""
    path = osp.join(HERE, 'zskt_wrn_to_mmpretrain.py')
    spec = importlib.util.spec_from_file_location('zskt_wrn_to_mmpretrain',
                                                  path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def resnet_arch(tensors: Dict[str, torch.Tensor]) -> Tuple[str, int]:
    """``('resnet18' | 'resnet34', depth)`` from the blocks per stage."""
    if any(re.match(r'^layer\d\.\d+\.conv3\.', k) for k in tensors):
        raise ValueError(
            'This is a Bottleneck ResNet of the zoo\'s resnet.py (resnet50, '
            'resnet101 or resnet152: its blocks have conv3); only resnet18 '
            'and resnet34 have a model here.')
    blocks = []
    for stage in range(1, 5):
        indices = {
            int(m.group(1))
            for m in (re.match(rf'^layer{stage}\.(\d+)\.', k) for k in tensors)
            if m
        }
        blocks.append(max(indices) + 1 if indices else 0)
    depth = RESNET_DEPTHS.get(tuple(blocks))
    if depth is None:
        raise ValueError(
            f'The ResNet has {tuple(blocks)} blocks in layer1..layer4; the '
            "zoo's resnet18 has (2, 2, 2, 2) and resnet34 (3, 4, 6, 3).")
    return f'resnet{depth}', depth


def vgg_arch(tensors: Dict[str, torch.Tensor]) -> Tuple[str, int]:
    """``('vgg<depth>', depth)`` from the convolutions in each block."""
    convs = tuple(
        sum(1 for k, v in tensors.items() if k.startswith(f'block{b}.')
            and k.endswith('.weight') and v.dim() == 4) for b in range(5))
    for depth, widths in VGG_CIFAR_WIDTHS.items():
        if convs == tuple(len(w) for w in widths):
            return f'vgg{depth}', depth
    raise ValueError(
        f'The VGG has {convs} convolutions in block0..block4, which is none '
        "of the zoo's vgg.py networks " +
        ', '.join(f'vgg{d} {tuple(len(w) for w in ws)}'
                  for d, ws in VGG_CIFAR_WIDTHS.items()) + '.')


def expected_state_dict(family: str, depth: int,
                        num_classes: int) -> Dict[str, torch.Tensor]:
    """The state dict of our ImageClassifier for the network."""
    if family == 'resnet':
        backbone = ResNet_CIFAR(depth=depth, init_cfg=None)
    else:
        backbone = VGGCIFAR(depth=depth, init_cfg=None)
    expected = {f'backbone.{k}': v for k, v in backbone.state_dict().items()}
    expected['head.fc.weight'] = torch.empty(num_classes, 512)
    expected['head.fc.bias'] = torch.empty(num_classes)
    return expected


def family_of(tensors: Dict[str, torch.Tensor]) -> str:
    """'resnet', 'vgg' or 'wrn', by the keys each of the zoo's files has.

    Raises:
        ValueError: For the zoo's networks without a model here and for
            anything else, with the keys the file has.
    """
    for family, markers in (('resnet', RESNET_MARKERS), ('vgg', VGG_MARKERS),
                            ('wrn', WRN_MARKERS)):
        if all(k in tensors for k in markers):
            return family
    if all(k in tensors for k in RESNET_TINY_MARKERS):
        raise ValueError(
            "This is a ResNet of the zoo's resnet_tiny.py (resnet8 .. "
            'resnet110, resnet8x4, resnet32x4: its classifier is fc, not '
            'linear), which has no model here.')
    raise ValueError(
        "This is none of the zoo's CIFAR ResNet-18/34, VGG or WRN "
        f'checkpoints (it has neither {RESNET_MARKERS[2]}, '
        f'{VGG_MARKERS[0]} nor {WRN_MARKERS[1]}); its keys are '
        f'{short_list(sorted(tensors))}. For an mmpretrain checkpoint no '
        'conversion is needed.')


def convert(checkpoint: dict) -> dict:
    """An mmpretrain checkpoint from a checkpoint of the zoo.

    The zoo's networks and ours compute the same functions (see the
    docstrings of the configs under ``configs/_base_/models/``), so only
    the names change.

    Args:
        checkpoint (dict): What ``train_scratch.py`` saved (a dict with
            ``state_dict`` and maybe ``arch``) or a bare state dict.

    Returns:
        dict: ``state_dict`` with our names and ``meta`` with the zoo's
        ``arch`` name and ``num_classes``.

    Raises:
        ValueError: If the tensors are not those of one of the zoo's
            networks that have a model here (the keys without a rule, the
            missing, unexpected and mis-shaped keys are listed), or do not
            match the ``arch`` the file names.
    """
    try:
        tensors = state_dict_of(checkpoint, 'the checkpoint')
    except CheckpointError as err:
        raise ValueError(str(err)) from None
    family = family_of(tensors)
    if family == 'wrn':
        result = zskt_converter().convert({'state_dict': tensors})
        meta = result['meta']
        arch = f'wrn{meta["depth"]}_{meta["widen_factor"]}'
        converted = result['state_dict']
        num_classes = meta['num_classes']
    else:
        arch, depth = (resnet_arch if family == 'resnet' else vgg_arch)(
            tensors)
        rules = RESNET_RULES if family == 'resnet' else VGG_RULES
        head = 'linear' if family == 'resnet' else 'classifier'
        num_classes = tensors[f'{head}.bias'].shape[0]
        names = {k: rename(k, rules) for k in tensors}
        no_rule = [k for k, name in names.items() if name is None]
        converted = {
            name: tensors[k]
            for k, name in names.items() if name is not None
        }
        problems = [
            f"keys that no layer of the zoo's {arch} has: "
            f'{short_list(no_rule)}'
        ] if no_rule else []
        problems += [
            f'{problem} (our names)' for problem in state_dict_problems(
                expected_state_dict(family, depth, num_classes), converted)
        ]
        if problems:
            raise ValueError(
                f"The tensors do not form the zoo's {arch} (inferred from "
                f'its blocks) with {num_classes} classes; ' +
                '; '.join(problems) + '.')
    named = checkpoint.get('arch')
    if named is not None and named != arch:
        raise ValueError(f"The file's arch is {named!r} but its tensors form "
                         f"the zoo's {arch}: the file is damaged or was "
                         'edited.')
    return {
        'state_dict': converted,
        'meta': dict(arch=arch, num_classes=num_classes)
    }


#: the zoo's arch -> our name in configs/teachers/
OUR_NAMES = {
    'resnet18': 'resnet18',
    'resnet34': 'resnet34',
    'vgg8': 'vgg8-bn',
    'vgg11': 'vgg11-bn',
    'vgg13': 'vgg13-bn',
    'wrn16_1': 'wrn-16-1',
    'wrn16_2': 'wrn-16-2',
    'wrn40_1': 'wrn-40-1',
    'wrn40_2': 'wrn-40-2',
}


def matching_configs(arch: str, num_classes: int) -> List[str]:
    """Our teacher configs of the network, for its CIFAR."""
    dataset = 'cifar100' if num_classes == 100 else 'cifar10'
    name = OUR_NAMES.get(arch, arch)
    found = []
    for pattern in (f'zju-datafree_{name}_*_{dataset}.py',
                    f'{name}_*_{dataset}.py'):
        found += glob.glob(osp.join(REPO_ROOT, 'configs', 'teachers', pattern))
    return [osp.relpath(p, REPO_ROOT) for p in sorted(found)]


def main() -> None:
    args = converter_arguments(
        __doc__.splitlines()[0],
        "the zoo's checkpoint, e.g. cifar10_wrn40_2.pth")
    result = convert_checkpoint_file(args, convert)
    arch, num_classes = result['meta']['arch'], result['meta']['num_classes']
    print(f'Saved {len(result["state_dict"])} tensors of the zoo\'s {arch} '
          f'({num_classes} classes) to {args.out_file}')
    configs = matching_configs(arch, num_classes)
    if configs:
        print('Configs of this network:\n  ' + '\n  '.join(configs))
        print(f'e.g. python tools/test.py {configs[0]} {args.out_file}')
    else:
        print(f'No config in configs/teachers has the zoo\'s {arch} for '
              f'{num_classes} classes: start from a zju-datafree_* config '
              'of its family and set model.backbone.depth and '
              'model.head.num_classes.')


if __name__ == '__main__':
    main()
