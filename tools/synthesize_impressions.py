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
import os.path as osp

import torch
from mmengine.config import Config, DictAction
from mmengine.dist import init_dist
from mmengine.registry import init_default_scope

from mmrazor_zs.apis import (synthesis_settings, synthesize_impressions,
                             teacher_fingerprint)
from mmrazor_zs.models.utils import build_submodel, load_teacher_checkpoint
from mmrazor_zs.utils import init_cpu_distributed, keep_freed_memory_in_heap


def parse_args() -> argparse.Namespace:
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
    args = parse_args()
    keep_freed_memory_in_heap()
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    cfg.launcher = args.launcher
    work_dir = args.work_dir or cfg.get('work_dir') or osp.join(
        './work_dirs', osp.splitext(osp.basename(args.config))[0])
    init_default_scope(cfg.get('default_scope', 'mmrazor_zs'))
    init_cpu_distributed(cfg)
    if args.launcher != 'none' and not torch.distributed.is_initialized():
        init_dist(args.launcher, **cfg.get('env_cfg', {}).get('dist_cfg', {}))
    device = torch.device('cuda', int(os.environ['LOCAL_RANK'])) \
        if torch.cuda.is_available() else torch.device('cpu')

    settings = dict(cfg.get('synthesis', {}))
    out_dir = settings.pop('out_dir', None) or osp.join(work_dir,
                                                        'impressions')
    settings = synthesis_settings(settings)
    teacher = build_submodel(cfg.model.teacher, 'teacher')
    teacher_ckpt = cfg.model.get('teacher_ckpt')
    if teacher_ckpt:
        load_teacher_checkpoint(teacher, teacher_ckpt)
    teacher = teacher.to(device).eval()
    preprocessor = cfg.data_preprocessor
    manifest = synthesize_impressions(
        teacher, settings, cfg.model.input_shape, preprocessor.mean,
        preprocessor.std, out_dir, teacher_fingerprint(teacher_ckpt))
    if int(os.environ.get('RANK', 0)) == 0:
        print(f"\n{manifest['total']} data impressions in {out_dir} "
              f"({manifest['synthesis_wall_time_s']} s this run, "
              f"{manifest['impressions_per_s']} per s)")


if __name__ == '__main__':
    main()
