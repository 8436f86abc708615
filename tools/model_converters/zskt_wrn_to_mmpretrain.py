# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Convert a WideResNet checkpoint of the ZSKT authors to mmpretrain.

    python tools/model_converters/zskt_wrn_to_mmpretrain.py IN OUT.pth
        [--trust-checkpoint]

Reads a checkpoint of the ``WideResNet`` of Micaelli & Storkey's released
code (polo5/ZeroShotKnowledgeTransfer, ``models/wresnet.py`` at commit
e24915d; their pretrained teachers are ``last.pth.tar`` files holding
``state_dict``, maybe with DataParallel's ``module.`` prefix; a bare state
dict is accepted too), infers depth, widen factor and class count from its
tensors, and writes a checkpoint that the ``ImageClassifier`` of our
``configs/teachers/wrn-D-K_*.py`` recipes loads strictly. Prints which of
those configs takes it. The output is written to a temporary file and
renamed into place.
"""
import glob
import os.path as osp
import re
from typing import Dict, List, Tuple

import torch

from mmrazor_zs.models.backbones import WideResNetCIFAR
from mmrazor_zs.utils import (convert_checkpoint_file, converter_arguments,
                              short_list)

TEACHER_CONFIGS = osp.join(
    osp.dirname(osp.abspath(__file__)), '..', '..', 'configs', 'teachers')

# The authors' module names -> ours (WideResNetCIFAR in an ImageClassifier).
KEY_RULES = [
    (re.compile(r'^conv1\.(.+)$'), r'backbone.stem.\1'),
    (re.compile(r'^block(\d)\.layer\.(\d+)\.convShortcut\.(.+)$'),
     r'backbone.group\1.\2.shortcut.\3'),
    (re.compile(r'^block(\d)\.layer\.(\d+)\.((?:bn|conv)[12]\..+)$'),
     r'backbone.group\1.\2.\3'),
    (re.compile(r'^bn1\.(.+)$'), r'backbone.final_bn.\1'),
    (re.compile(r'^fc\.(.+)$'), r'head.fc.\1'),
]
WRN_MARKERS = ('conv1.weight', 'block1.layer.0.conv1.weight', 'fc.weight')


def authors_state_dict(checkpoint: dict) -> Dict[str, torch.Tensor]:
    """The WRN tensors of a checkpoint: its ``state_dict`` (or the bare dict),
    without DataParallel's ``module.`` prefix.

    Raises:
        ValueError: If the file holds no tensors or is not the authors' WRN.
    """
    if not isinstance(checkpoint, dict):
        raise ValueError('The file holds a '
                         f'{type(checkpoint).__name__}, not a checkpoint '
                         'dict or a state dict.')
    state_dict = checkpoint.get('state_dict', checkpoint)
    tensors = {
        k: v
        for k, v in state_dict.items() if isinstance(v, torch.Tensor)
    }
    if not tensors:
        raise ValueError('The file holds no tensors (top-level keys: '
                         f'{short_list(sorted(checkpoint))}).')
    if all(k.startswith('module.') for k in tensors):
        tensors = {k[len('module.'):]: v for k, v in tensors.items()}
    absent = [k for k in WRN_MARKERS if k not in tensors]
    if absent:
        raise ValueError(
            'This is not a checkpoint of the ZSKT authors\' WideResNet '
            f'(models/wresnet.py): it lacks {absent}; its keys are '
            f'{short_list(sorted(tensors))}. Convert only their WRN '
            'teachers (last.pth.tar); for an mmpretrain checkpoint no '
            'conversion is needed.')
    return tensors


def infer_architecture(tensors: Dict[str, torch.Tensor]) -> Tuple[int, int]:
    """``(depth, widen_factor)`` from the blocks of the first group and the
    width of its first convolution."""
    first_group = re.compile(r'^block1\.layer\.(\d+)\.')
    matches = [first_group.match(key) for key in tensors]
    num_blocks = max(int(m.group(1)) for m in matches if m) + 1
    width = tensors['block1.layer.0.conv1.weight'].shape[0]
    if width % 16 != 0:
        raise ValueError(f'block1 has {width} channels, not a multiple of '
                         '16: this is not a WRN-d-k of models/wresnet.py.')
    return 6 * num_blocks + 4, width // 16


def rename(key: str) -> str:
    """Our name for one of the authors' keys, or '' if it has none."""
    for pattern, replacement in KEY_RULES:
        if pattern.match(key):
            return pattern.sub(replacement, key)
    return ''


def convert(checkpoint: dict) -> dict:
    """An mmpretrain checkpoint from a checkpoint of the authors' WRN.

    The two networks compute the same function (same pre-activation
    blocks; the 1x1 shortcut and ``conv1`` of a block whose channels change
    both read ``relu(bn1(x))``), so only the names change.

    Args:
        checkpoint (dict): ``{'state_dict': ...}`` as the authors saved it,
            or a bare state dict.

    Returns:
        dict: ``state_dict`` with our names and ``meta`` with ``depth``,
        ``widen_factor`` and ``num_classes``.

    Raises:
        ValueError: If the tensors are not those of a WRN-d-k of the
            authors' code: missing, unexpected and mis-shaped keys are
            listed.
    """
    tensors = authors_state_dict(checkpoint)
    depth, widen_factor = infer_architecture(tensors)
    num_classes, channels = tensors['fc.weight'].shape
    backbone = WideResNetCIFAR(
        depth=depth,
        widen_factor=widen_factor,
        in_channels=tensors['conv1.weight'].shape[1],
        init_cfg=None)
    expected = {
        f'backbone.{k}': v.shape
        for k, v in backbone.state_dict().items()
    }
    expected['head.fc.weight'] = torch.Size(
        [num_classes, backbone.out_channels])
    expected['head.fc.bias'] = torch.Size([num_classes])
    names = {k: rename(k) for k in tensors}
    converted = {names[k]: v for k, v in tensors.items() if names[k]}
    unexpected = [k for k in tensors if names[k] not in expected]
    missing = [k for k in expected if k not in converted]
    mis_shaped = [
        f'{k} {tuple(v.shape)} != {tuple(expected[k])}'
        for k, v in converted.items()
        if k in expected and v.shape != expected[k]
    ]
    found = {
        "unexpected (authors' names)": unexpected,
        'missing (our names)': missing,
        'mis-shaped': mis_shaped,
    }
    problems = [
        f'{title}: {short_list(sorted(keys))}'
        for title, keys in found.items() if keys
    ]
    if problems:
        raise ValueError(
            f'The tensors do not form the WRN-{depth}-{widen_factor} '
            f'(inferred from block1) of models/wresnet.py with {channels} '
            f'features for {num_classes} classes; ' + '; '.join(problems) +
            '.')
    meta = dict(
        depth=depth, widen_factor=widen_factor, num_classes=num_classes)
    return {'state_dict': converted, 'meta': meta}


def matching_configs(depth: int, widen_factor: int) -> List[str]:
    """Our teacher recipes of WRN-``depth``-``widen_factor``."""
    pattern = osp.join(TEACHER_CONFIGS, f'wrn-{depth}-{widen_factor}_*.py')
    return sorted(
        osp.relpath(path, osp.join(TEACHER_CONFIGS, '..', '..'))
        for path in glob.glob(pattern))


def main() -> None:
    args = converter_arguments(
        __doc__.splitlines()[0],
        "the authors' last.pth.tar or their WRN's weights")
    result = convert_checkpoint_file(args, convert)
    meta = result['meta']
    name = f'WRN-{meta["depth"]}-{meta["widen_factor"]}'
    print(f'Saved {len(result["state_dict"])} tensors of a {name} '
          f'({meta["num_classes"]} classes) to {args.out_file}')
    configs = matching_configs(meta['depth'], meta['widen_factor'])
    if configs:
        print('Configs of this network (pick the one of its dataset):\n  ' +
              '\n  '.join(configs))
        print(f'e.g. python tools/test.py {configs[0]} {args.out_file}')
    else:
        print(f'No config in configs/teachers has a {name}: use one with '
              f'--cfg-options model.backbone.depth={meta["depth"]} '
              f'model.backbone.widen_factor={meta["widen_factor"]} '
              f'model.head.in_channels={64 * meta["widen_factor"]}')
    if meta['num_classes'] != 10:
        print(f'The head has {meta["num_classes"]} classes: add '
              f'model.head.num_classes={meta["num_classes"]}')


if __name__ == '__main__':
    main()
