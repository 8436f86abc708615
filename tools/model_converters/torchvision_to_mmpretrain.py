# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Convert a torchvision ImageNet classifier to an mmpretrain checkpoint.

    python tools/model_converters/torchvision_to_mmpretrain.py IN OUT.pth
        [--trust-checkpoint]

Reads a torchvision state dict (what ``torch.save(model.state_dict())``
writes, or the files torchvision downloads: ``resnet50-0676ba61.pth``,
``mobilenet_v2-b0353104.pth`` ...), a dict holding one under
``state_dict``, or one saved from ``DataParallel``/DDP (``module.``
prefix). The network is inferred from the tensors, every key is renamed to
the ``ImageClassifier`` of mmpretrain's ImageNet configs, which compute the
same function (``resnet{18,34,50,101,152}_8xb32_in1k.py``: mmpretrain's
``ResNet`` in its default ``style='pytorch'`` is torchvision's ResNet v1.5,
stride in the 3 x 3 convolution; ``mobilenet-v2_8xb32_in1k.py``), and
nothing is written unless the result has exactly that model's keys and
shapes. The output is written to a temporary file and renamed into place;
use it as ``model.teacher_ckpt`` of the ImageNet configs
(``configs/teachers/*_in1k.py``).
"""
import re
from typing import Dict, List, Tuple

import torch
from mmpretrain.models.backbones import MobileNetV2, ResNet

from mmrazor_zs.utils import (CheckpointError, convert_checkpoint_file,
                              converter_arguments, short_list, state_dict_of,
                              state_dict_problems)

#: Bottleneck blocks per stage -> depth (torchvision's resnet50/101/152)
BOTTLENECK_DEPTHS = {(3, 4, 6, 3): 50, (3, 4, 23, 3): 101, (3, 8, 36, 3): 152}
#: BasicBlock blocks per stage -> depth (resnet18/34)
BASIC_DEPTHS = {(2, 2, 2, 2): 18, (3, 4, 6, 3): 34}
#: mmpretrain's MobileNetV2 blocks per layer (its ``arch_settings``)
MOBILENET_V2_BLOCKS = (1, 2, 3, 4, 3, 3, 1)

#: mmpretrain's ResNet keeps torchvision's module names (``conv1``, ``bn1``,
#: ``layerN.M.convK``/``bnK``/``downsample``) under ``backbone.``; the
#: classifier becomes ``head.fc``
RESNET_RULES = [
    (re.compile(r'^((?:conv1|bn1)\..+)$'), r'backbone.\1'),
    (re.compile(r'^(layer\d\.\d+\.(?:conv\d|bn\d|downsample\.[01])\..+)$'),
     r'backbone.\1'),
    (re.compile(r'^fc\.(.+)$'), r'head.fc.\1'),
]


def mobilenet_v2_name(key: str) -> str:
    """mmpretrain's name of a torchvision ``mobilenet_v2`` key, or '' when no
    layer of it has the key.

    torchvision: ``features.0`` and ``features.18`` are (conv, bn) stems,
    ``features.1 .. 17`` InvertedResidual blocks whose ``conv`` is [a
    (conv, bn) expansion when t > 1 (all but ``features.1``), a (conv, bn)
    depthwise, a 1 x 1 Conv2d, a BatchNorm2d], ``classifier.1`` the Linear.
    mmpretrain: ``backbone.conv1``/``conv2`` and one ConvModule (``conv``,
    ``bn``) per convolution of ``backbone.layer1..7``'s blocks,
    ``head.fc``.
    """
    fc = re.match(r'^classifier\.1\.(weight|bias)$', key)
    if fc:
        return f'head.fc.{fc.group(1)}'
    match = re.match(r'^features\.(\d+)\.(.+)$', key)
    if match is None:
        return ''
    index, rest = int(match.group(1)), match.group(2)
    last = sum(MOBILENET_V2_BLOCKS) + 1
    if index in (0, last):
        part = re.match(r'^([01])\.(.+)$', rest)
        module = 'backbone.conv1' if index == 0 else 'backbone.conv2'
        return (f'{module}.{("conv", "bn")[int(part.group(1))]}.'
                f'{part.group(2)}') if part else ''
    if index > last:
        return ''
    block, layer = index - 1, 0
    while block >= MOBILENET_V2_BLOCKS[layer]:
        block -= MOBILENET_V2_BLOCKS[layer]
        layer += 1
    prefix = f'backbone.layer{layer + 1}.{block}.conv'
    convs = 2 if index == 1 else 3  # features.1 has no expansion
    module = re.match(r'^conv\.(\d)\.([01])\.(.+)$', rest)
    if module and int(module.group(1)) < convs - 1:  # a (conv, bn) module
        part = ('conv', 'bn')[int(module.group(2))]
        return f'{prefix}.{module.group(1)}.{part}.{module.group(3)}'
    plain = re.match(r'^conv\.(\d)\.(.+)$', rest)
    if plain and int(plain.group(1)) in (convs - 1, convs):  # Conv2d, BN
        part = ('conv', 'bn')[int(plain.group(1)) - (convs - 1)]
        return f'{prefix}.{convs - 1}.{part}.{plain.group(2)}'
    return ''


def rename(key: str, family: str) -> str:
    """mmpretrain's name of a torchvision key, '' when there is none."""
    if family == 'mobilenet_v2':
        return mobilenet_v2_name(key)
    for pattern, replacement in RESNET_RULES:
        if pattern.match(key):
            return pattern.sub(replacement, key)
    return ''


def resnet_depth(tensors: Dict[str, torch.Tensor]) -> Tuple[str, int]:
    """``('resnet<depth>', depth)`` from the blocks per stage."""
    blocks = []
    for stage in range(1, 5):
        indices = {
            int(m.group(1))
            for m in (re.match(rf'^layer{stage}\.(\d+)\.', k) for k in tensors)
            if m
        }
        blocks.append(max(indices) + 1 if indices else 0)
    bottleneck = 'layer1.0.conv3.weight' in tensors
    depth = (BOTTLENECK_DEPTHS if bottleneck else BASIC_DEPTHS).get(
        tuple(blocks))
    if depth is None:
        raise ValueError(
            f'The ResNet has {tuple(blocks)} '
            f'{"Bottleneck" if bottleneck else "BasicBlock"} blocks in '
            'layer1..layer4, which is none of torchvision\'s resnet18, 34, '
            '50, 101 or 152.')
    return f'resnet{depth}', depth


def family_of(tensors: Dict[str, torch.Tensor]) -> str:
    """'resnet' or 'mobilenet_v2', by the keys each has.

    Raises:
        ValueError: For anything else, with the keys the file has.
    """
    if all(
            k in tensors
            for k in ('conv1.weight', 'layer1.0.conv1.weight', 'fc.weight')):
        return 'resnet'
    if all(
            k in tensors
            for k in ('features.0.0.weight', 'classifier.1.weight')):
        return 'mobilenet_v2'
    raise ValueError(
        'This is none of torchvision\'s ResNet or MobileNetV2 state dicts (it '
        'has neither conv1.weight + fc.weight nor features.0.0.weight + '
        f'classifier.1.weight); its keys are {short_list(sorted(tensors))}. '
        'For an mmpretrain checkpoint no conversion is needed.')


def expected_state_dict(family: str, depth: int,
                        num_classes: int) -> Dict[str, torch.Tensor]:
    """The state dict of mmpretrain's ImageClassifier for the network."""
    if family == 'resnet':
        backbone = ResNet(depth=depth, init_cfg=None)
        features = 2048 if depth >= 50 else 512
    else:
        backbone = MobileNetV2(widen_factor=1.0, init_cfg=None)
        features = 1280
    expected = {f'backbone.{k}': v for k, v in backbone.state_dict().items()}
    expected['head.fc.weight'] = torch.empty(num_classes, features)
    expected['head.fc.bias'] = torch.empty(num_classes)
    return expected


def convert(checkpoint: dict) -> dict:
    """An mmpretrain checkpoint from a torchvision one: the same tensors under
    mmpretrain's names.

    Returns:
        dict: ``state_dict`` and ``meta`` (``arch``: torchvision's name,
        ``num_classes``).

    Raises:
        ValueError: If the tensors are not those of a torchvision ResNet or
            MobileNetV2 (keys without a rule, missing, unexpected and
            mis-shaped keys listed).
    """
    try:
        tensors = state_dict_of(checkpoint, 'the checkpoint')
    except CheckpointError as err:
        raise ValueError(str(err)) from None
    tensors = {(k[len('module.'):] if k.startswith('module.') else k): v
               for k, v in tensors.items()}
    family = family_of(tensors)
    if family == 'resnet':
        arch, depth = resnet_depth(tensors)
        num_classes = tensors['fc.bias'].shape[0]
    else:
        arch, depth = 'mobilenet_v2', 0
        num_classes = tensors['classifier.1.bias'].shape[0]
    names = {k: rename(k, family) for k in tensors}
    no_rule = [k for k, name in names.items() if not name]
    converted = {name: tensors[k] for k, name in names.items() if name}
    problems = [
        f"keys that no layer of torchvision's {arch} has: "
        f'{short_list(no_rule)}'
    ] if no_rule else []
    problems += [
        f'{problem} (mmpretrain names)' for problem in state_dict_problems(
            expected_state_dict(family, depth, num_classes), converted)
    ]
    if problems:
        raise ValueError(f"The tensors do not form torchvision's {arch} "
                         f'with {num_classes} classes; ' +
                         '; '.join(problems) + '.')
    return {
        'state_dict': converted,
        'meta': dict(arch=arch, num_classes=num_classes)
    }


#: torchvision's name -> the config in configs/teachers/
CONFIGS = {
    'resnet18': 'configs/teachers/resnet18_8xb32_in1k.py',
    'resnet50': 'configs/teachers/resnet50_8xb32_in1k.py',
    'mobilenet_v2': 'configs/teachers/mobilenet-v2_8xb32_in1k.py',
}


def main(argv: List[str] = None) -> None:
    args = converter_arguments(
        __doc__.splitlines()[0],
        'the torchvision checkpoint, e.g. resnet50-0676ba61.pth', argv)
    result = convert_checkpoint_file(args, convert)
    arch, num_classes = result['meta']['arch'], result['meta']['num_classes']
    print(f'Saved {len(result["state_dict"])} tensors of torchvision\'s '
          f'{arch} ({num_classes} classes) to {args.out_file}')
    if arch in CONFIGS and num_classes == 1000:
        print(f'e.g. python tools/test.py {CONFIGS[arch]} {args.out_file}')


if __name__ == '__main__':
    main()
