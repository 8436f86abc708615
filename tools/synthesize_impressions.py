# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""ZSKD stage 1: synthesise the data impressions of a config.

    python tools/synthesize_impressions.py CONFIG [--work-dir DIR]
        [--cfg-options KEY=VALUE ...] [--launcher {none,pytorch,slurm,mpi}]
    bash: torchrun --nproc_per_node N tools/synthesize_impressions.py CONFIG
        --launcher pytorch

Reads ``model.teacher``, ``model.teacher_ckpt``, ``data_preprocessor`` (mean
and std), ``model.input_shape`` and the ``synthesis`` settings; writes
shards, ``manifest.json`` and ``impressions_grid.png`` to
``synthesis.out_dir`` (default WORK_DIR/impressions). Run it again after an
interruption: finished shards are verified and kept.
"""
import argparse
import os

from mmengine.config import DictAction
from mmengine.dist import get_rank
from mmengine.registry import init_default_scope

from mmrazor_zs.models.synthesizers.impression_synthesis import (
    impressions_dir, synthesize_from_config)
from mmrazor_zs.utils import (init_distributed, keep_freed_memory_in_heap,
                              load_config, resolve_work_dir)


def parse_args() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('--work-dir', help='defaults to work_dirs/CONFIG')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def main() -> None:
    """Run the tool."""
    args = parse_args()
    keep_freed_memory_in_heap()
    cfg = load_config(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    cfg.launcher = args.launcher
    work_dir = resolve_work_dir(cfg, args.config, args.work_dir)
    init_default_scope(cfg.get('default_scope', 'mmrazor_zs'))
    init_distributed(cfg)
    manifest = synthesize_from_config(cfg, work_dir)
    if get_rank() == 0:
        print(f"\n{manifest['total']} data impressions in "
              f"{impressions_dir(cfg, work_dir)} "
              f"({manifest['synthesis_wall_time_s']} s this run, "
              f"{manifest['impressions_per_s']} per s)")


if __name__ == '__main__':
    main()
