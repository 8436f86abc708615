# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Grids of saved data impressions, one per beta, one row per class.

    python tools/analysis_tools/vis_impressions.py IMPRESSIONS_DIR
        [--per-row 10] [--out DIR]

IMPRESSIONS_DIR is a finished synthesis folder (WORK_DIR/impressions). For
every beta of its manifest writes ``impressions_beta_<beta>.png`` to
``--out`` (default: IMPRESSIONS_DIR): row k starts with the class index k
and shows the first ``--per-row`` impressions made for class k at that
beta.
"""
import argparse
import os
import os.path as osp

from mmrazor_zs.storage import read_manifest, read_shard, shard_path
from mmrazor_zs.visualization import ClassSample


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('impressions_dir')
    parser.add_argument('--per-row', type=int, default=10)
    parser.add_argument('--out', help='defaults to IMPRESSIONS_DIR')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    manifest = read_manifest(args.impressions_dir)
    out = args.out or args.impressions_dir
    os.makedirs(out, exist_ok=True)
    by_beta = {}
    for spec in manifest['shards']:
        by_beta.setdefault(spec['beta'], []).append(spec)
    for beta, specs in sorted(by_beta.items()):
        sample = ClassSample(args.per_row)
        for spec in specs:
            if sample.wanted(spec['label']) > 0:
                shard = read_shard(
                    shard_path(args.impressions_dir, spec['index']), spec)
                sample.add(spec['label'], shard['images'].permute(0, 3, 1, 2))
        path = osp.join(out, f'impressions_beta_{beta}.png')
        sample.save_png(manifest['num_classes'], path)
        print(f'beta {beta}: {path}')


if __name__ == '__main__':
    main()
