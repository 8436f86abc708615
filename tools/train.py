# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Train a model (a teacher on data, or a data-free student) from a config.

python tools/train.py CONFIG [--work-dir DIR] [--resume [CKPT]]     [--amp
[--amp-dtype {float16,bfloat16}]] [--channels-last]     [--compile] [--auto-
scale-lr]     [--trust-checkpoint] [--partial-load] [--profile N]     [--cfg-
options KEY=VALUE ...] [--launcher {none,pytorch,slurm,mpi}]
"""
import argparse
import os
import sys

from mmengine.config import Config, DictAction

from mmrazor_zs.engine import CheckedLoadRunner, CheckpointMismatchError
from mmrazor_zs.utils import (CheckpointError, add_trust_checkpoint_argument,
                              check_checkpoint, checkpoint_safe_globals,
                              find_resume_checkpoint, is_url,
                              keep_freed_memory_in_heap, resolve_checkpoint,
                              trust_all_checkpoints)
from mmrazor_zs.utils.launch import (enable_amp, enable_auto_scale_lr,
                                     enable_profiler, enable_runtime,
                                     init_cpu_distributed, load_config,
                                     resolve_work_dir)


def parse_args() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description='Train a model')
    parser.add_argument('config', help='train config file path')
    parser.add_argument('--work-dir', help='the dir to save logs and models')
    parser.add_argument(
        '--resume',
        nargs='?',
        type=str,
        const='auto',
        help='resume from the given checkpoint, or from the newest '
        'checkpoint of the work dir that reads whole when no path is given')
    add_trust_checkpoint_argument(parser, 'checkpoints')
    parser.add_argument(
        '--partial-load',
        action='store_true',
        help='load only the keys of `load_from` that fit the model and go '
        'on (mmengine\'s default); without it a checkpoint with missing, '
        'unexpected or mis-shaped keys is an error that lists them')
    parser.add_argument(
        '--amp',
        action='store_true',
        help='mixed precision: the forward passes of every step (student, '
        'generator, synthesis rounds) under torch.autocast')
    parser.add_argument(
        '--amp-dtype',
        choices=['float16', 'bfloat16'],
        help='the dtype of --amp: float16 with dynamic loss scaling by '
        'default on a GPU, bfloat16 (no loss scaling) on the CPU')
    parser.add_argument(
        '--channels-last',
        action='store_true',
        help='every 4-D weight (teacher, student, generators) in the '
        'channels-last memory layout')
    parser.add_argument(
        '--compile',
        action='store_true',
        help='compile the teacher and the student with torch.compile')
    parser.add_argument(
        '--auto-scale-lr',
        action='store_true',
        help='scale the learning rates linearly by the global batch over '
        'the config\'s `auto_scale_lr.base_batch_size`')
    parser.add_argument(
        '--profile',
        type=int,
        metavar='N',
        help='trace the first N training iterations with the torch profiler: '
        'a table of the costliest operators in the log and a Chrome trace in '
        'WORK_DIR/profile_trace.json')
    parser.add_argument(
        '--no-validate',
        action='store_true',
        help='skip validation during training')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        help='override settings of the config, e.g. '
        'model.student_steps=5 train_cfg.max_iters=1000')
    parser.add_argument(
        '--launcher',
        choices=['none', 'pytorch', 'slurm', 'mpi'],
        default='none',
        help='job launcher')
    # torch.distributed.launch passes --local_rank (torchrun sets the env)
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    os.environ.setdefault('LOCAL_RANK', str(args.local_rank))
    return args


def merge_args(cfg: Config, args: argparse.Namespace) -> Config:
    """Apply the command-line options to the config."""
    resolve_work_dir(cfg, args.config, args.work_dir)
    if args.amp:
        enable_amp(cfg, args.amp_dtype)
    elif args.amp_dtype is not None:
        raise SystemExit('--amp-dtype is the dtype of --amp; add --amp.')
    enable_runtime(cfg, args.channels_last, args.compile)
    if args.resume is not None:
        cfg.resume = True
        cfg.load_from = args.resume
    if args.no_validate:
        cfg.val_cfg = None
        cfg.val_dataloader = None
        cfg.val_evaluator = None
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    if args.auto_scale_lr:
        enable_auto_scale_lr(cfg)
    if args.profile is not None:
        enable_profiler(cfg, args.profile)
    return cfg


def check_load_from(cfg: Config, trust_checkpoint: bool) -> None:
    """Read ``load_from`` whole once, or fail now with the file, what is wrong
    with it and what to do (never mid-setup)."""
    if cfg.get('load_from') and not cfg.get('resume'):
        check_checkpoint(cfg.load_from, trust_checkpoint)


def choose_resume_checkpoint(cfg: Config, trust_checkpoint: bool) -> None:
    """Point ``cfg.load_from`` at a checkpoint that reads whole, or fail now
    with the file and what is wrong with it (never mid-setup)."""
    if not cfg.get('resume'):
        return
    if cfg.load_from in (None, 'auto'):
        cfg.load_from = find_resume_checkpoint(cfg.work_dir, trust_checkpoint)
        if cfg.load_from is None:
            print(f'No checkpoint to resume from in {cfg.work_dir}: '
                  'training starts from the beginning.')
            cfg.resume = False
        return
    check_checkpoint(cfg.load_from, trust_checkpoint)


def main() -> None:
    """Run the tool."""
    args = parse_args()
    keep_freed_memory_in_heap()
    if args.trust_checkpoint:
        trust_all_checkpoints()
    cfg = merge_args(load_config(args.config), args)
    try:
        if is_url(cfg.load_from):
            cfg.load_from = resolve_checkpoint(cfg.load_from)
        check_load_from(cfg, args.trust_checkpoint)
    except CheckpointError as err:
        sys.exit(f'Cannot load `load_from`: {err}')
    try:
        choose_resume_checkpoint(cfg, args.trust_checkpoint)
    except CheckpointError as err:
        sys.exit(f'Cannot resume: {err}')
    init_cpu_distributed(cfg)
    # mmengine's checkpoints hold its HistoryBuffer and numpy arrays, which
    # torch >= 2.6 refuses by default; allow exactly those types.
    with checkpoint_safe_globals():
        runner = CheckedLoadRunner.from_cfg(cfg)
        runner.partial_load = args.partial_load
        try:
            runner.train()
        except (CheckpointError, CheckpointMismatchError) as err:
            action = 'resume' if cfg.get('resume') else 'load `load_from`'
            sys.exit(f'Cannot {action}: {err}')


if __name__ == '__main__':
    main()
