# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Strip a training checkpoint to weights and meta, and name it by hash.

    python tools/model_converters/publish_model.py IN.pth OUT.pth

Writes ``OUT-<first 8 hex of sha256>.pth`` holding ``state_dict`` and
``meta`` only (no optimizer, scheduler or logger state) and prints the full
sha256 for the metafile.
"""
import argparse
import os
import os.path as osp

import torch

from mmrazor_zs.utils import load_checkpoint_file, sha256_file


def publish(in_file: str, out_file: str) -> str:
    """Write the slim checkpoint and return its final path."""
    checkpoint = load_checkpoint_file(in_file)
    slim = {'state_dict': checkpoint['state_dict']}
    meta = checkpoint.get('meta', {})
    slim['meta'] = {
        k: meta[k]
        for k in ('mmengine_version', 'dataset_meta', 'seed', 'epoch', 'iter')
        if k in meta
    }
    tmp_file = out_file + '.tmp'
    torch.save(slim, tmp_file)
    stem = out_file[:-4] if out_file.endswith('.pth') else out_file
    final_file = f'{stem}-{sha256_file(tmp_file)[:8]}.pth'
    os.replace(tmp_file, final_file)
    return final_file


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('in_file', help='training checkpoint')
    parser.add_argument('out_file', help='output path (hash is appended)')
    args = parser.parse_args()
    os.makedirs(osp.dirname(osp.abspath(args.out_file)), exist_ok=True)
    final_file = publish(args.in_file, args.out_file)
    print(f'{final_file}\nsha256: {sha256_file(final_file)}')


if __name__ == '__main__':
    main()
