# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Run a config once per seed and report mean +- std.

    python tools/analysis_tools/multi_seed.py CONFIG --seeds 0 1 2
        [--work-dir DIR] [--gpus N] [--cfg-options K=V ...]

Each seed runs ``tools/train.py`` (or ``tools/dist_train.sh`` with
``--gpus N``) in WORK_DIR/seed_S with ``randomness.seed=S`` and, where the
config has them, ``model.seed=S`` (the algorithm's noise or synthesis) and
``synthesis.seed=S`` (ZSKD's impressions). The runs go one after another;
a seed whose ``summary.json`` already exists is not run again, so an
interrupted sweep continues. Writes WORK_DIR/multi_seed.md: one row per
seed and mean +- std (sample standard deviation) of the final and best
top-1, the synthesis time (ZSKD's stage 1; the inversion algorithms'
rounds, inside training) and synthesised images, the training time and the
whole run's wall time.
"""
import argparse
import glob
import json
import os
import os.path as osp
import statistics
import subprocess
import sys
import time
from typing import Dict, List, Optional

from mmengine.config import Config, DictAction

from mmrazor_zs.utils import load_config

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2])
    parser.add_argument(
        '--work-dir', help='defaults to '
        'work_dirs/CONFIG_NAME/multi_seed')
    parser.add_argument(
        '--gpus',
        type=int,
        default=0,
        help='run each seed with tools/dist_train.sh on N '
        'processes (0: tools/train.py)')
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        default={},
        help='passed on to every run')
    return parser.parse_args()


def seed_options(cfg: Config, seed: int) -> List[str]:
    options = [f'randomness.seed={seed}']
    if 'seed' in cfg.model:
        options.append(f'model.seed={seed}')
    if cfg.get('synthesis') is not None:
        options.append(f'synthesis.seed={seed}')
    return options


def find_summary(work_dir: str) -> Optional[dict]:
    found = sorted(glob.glob(osp.join(work_dir, '*', 'summary.json')))
    if not found:
        return None
    with open(found[-1]) as file:
        return json.load(file)


def run_seed(args: argparse.Namespace, cfg: Config, seed: int,
             work_dir: str) -> dict:
    options = seed_options(cfg, seed) + [
        f'{key}={value}' for key, value in args.cfg_options.items()
    ]
    if args.gpus:
        command = ['bash', 'tools/dist_train.sh', args.config, str(args.gpus)]
    else:
        command = [sys.executable, 'tools/train.py', args.config]
    command += ['--work-dir', work_dir, '--cfg-options', *options]
    print(f'seed {seed}: {" ".join(command)}', flush=True)
    start = time.perf_counter()
    subprocess.run(command, cwd=REPO_ROOT, check=True)
    wall = time.perf_counter() - start
    with open(osp.join(work_dir, 'wall_time.json'), 'w') as file:
        json.dump(dict(seed=seed, wall_time_s=round(wall, 1)), file)
    return find_summary(work_dir)


def mean_std(values: List[float]) -> str:
    if len(values) == 1:
        return f'{values[0]:.2f}'
    return f'{statistics.mean(values):.2f} +- {statistics.stdev(values):.2f}'


def table(rows: Dict[int, dict]) -> str:
    columns = [('student_top1', 'student top-1 (final)'),
               ('student_best_top1', 'best of validations'),
               ('teacher_top1', 'teacher top-1'),
               ('synthesis_time_s', 'synthesis (s)'),
               ('synthesized_images', 'synthesised images'),
               ('train_wall_time_s', 'training (s)'),
               ('wall_time_s', 'whole run (s)')]
    columns = [(key, name) for key, name in columns
               if any(key in row for row in rows.values())]
    lines = [
        '| seed | ' + ' | '.join(name for _, name in columns) + ' |',
        '|---' * (len(columns) + 1) + '|'
    ]
    for seed, row in rows.items():
        lines.append(f'| {seed} | ' + ' | '.join(
            f'{row[key]:.2f}' if row.get(key) is not None else '-'
            for key, _ in columns) + ' |')
    lines.append('| mean +- std | ' + ' | '.join(
        mean_std([row[key] for row in rows.values()]) if all(
            row.get(key) is not None for row in rows.values()) else '-'
        for key, _ in columns) + ' |')
    return '\n'.join(lines)


def main() -> None:
    args = parse_args()
    cfg = load_config(args.config)
    cfg.merge_from_dict(args.cfg_options)
    name = osp.splitext(osp.basename(args.config))[0]
    root = osp.abspath(
        args.work_dir or osp.join('work_dirs', name, 'multi_seed'))
    rows = {}
    for seed in args.seeds:
        work_dir = osp.join(root, f'seed_{seed}')
        summary = find_summary(work_dir)
        wall_file = osp.join(work_dir, 'wall_time.json')
        if summary is None or not osp.isfile(wall_file):
            os.makedirs(work_dir, exist_ok=True)
            summary = run_seed(args, cfg, seed, work_dir)
        with open(wall_file) as file:
            summary['wall_time_s'] = json.load(file)['wall_time_s']
        manifest = osp.join(work_dir, 'impressions', 'manifest.json')
        if summary.get('synthesis_time_s') is None and osp.isfile(manifest):
            # ZSKD's stage 1 ran in this work dir (summaries written before
            # the run summary carried its time)
            with open(manifest) as file:
                summary['synthesis_time_s'] = json.load(
                    file)['synthesis_wall_time_s']
        rows[seed] = summary
    command = ' '.join(
        ['python tools/analysis_tools/multi_seed.py', *sys.argv[1:]])
    report = (f'{name}, seeds {", ".join(map(str, args.seeds))}\n\n'
              f'{table(rows)}\n\nCommand: `{command}`\n')
    with open(osp.join(root, 'multi_seed.md'), 'w') as file:
        file.write(report)
    print(report)


if __name__ == '__main__':
    main()
