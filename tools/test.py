# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Evaluate a checkpoint on the config's test set.

python tools/test.py CONFIG CHECKPOINT [--work-dir DIR]     [--trust-
checkpoint] [--partial-load] [--cfg-options KEY=VALUE ...]     [--launcher
{none,pytorch,slurm,mpi}]
"""
import argparse
import os
import sys

from mmengine.config import DictAction

from mmrazor_zs.engine import CheckedLoadRunner, CheckpointMismatchError
from mmrazor_zs.utils import (CheckpointError, add_trust_checkpoint_argument,
                              check_checkpoint, checkpoint_safe_globals,
                              init_cpu_distributed, load_config,
                              resolve_checkpoint, resolve_work_dir,
                              trust_all_checkpoints)


def parse_args() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description='Test a checkpoint')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file or URL')
    parser.add_argument('--work-dir', help='the dir to save logs')
    add_trust_checkpoint_argument(parser)
    parser.add_argument(
        '--partial-load',
        action='store_true',
        help='load only the checkpoint keys that fit the model and go on '
        '(mmengine\'s default); without it a checkpoint with missing, '
        'unexpected or mis-shaped keys is an error that lists them')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of the config')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def main() -> None:
    """Run the tool."""
    args = parse_args()
    if args.trust_checkpoint:
        trust_all_checkpoints()
    try:
        args.checkpoint = resolve_checkpoint(args.checkpoint)
        check_checkpoint(args.checkpoint, args.trust_checkpoint)
    except CheckpointError as err:
        sys.exit(f'Cannot test: {err}')
    cfg = load_config(args.config)
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    resolve_work_dir(cfg, args.config, args.work_dir)
    cfg.load_from = args.checkpoint
    init_cpu_distributed(cfg)
    with checkpoint_safe_globals():
        runner = CheckedLoadRunner.from_cfg(cfg)
        runner.partial_load = args.partial_load
        try:
            runner.test()
        except CheckpointMismatchError as err:
            sys.exit(f'Cannot test: {err}')


if __name__ == '__main__':
    main()
