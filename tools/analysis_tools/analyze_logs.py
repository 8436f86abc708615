# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Plot training curves of one or more runs from mmengine's json logs.

    python tools/analysis_tools/analyze_logs.py LOG [LOG ...]
        [--keys loss accuracy/top1] [--legend NAME ...] [--out curves.png]

LOG is a run's ``vis_data/scalars.json`` (or the run folder holding it).
One panel per key, one line per run, against the training iteration
(a validation record is placed at the iteration of the training record
logged just before it).
"""
import argparse
import glob
import json
import os.path as osp
from typing import Dict, List, Tuple


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('logs', nargs='+')
    parser.add_argument('--keys', nargs='+', default=['loss', 'accuracy/top1'])
    parser.add_argument('--legend', nargs='+', help='one name per log')
    parser.add_argument('--out', default='curves.png')
    return parser.parse_args()


def scalars_file(path: str) -> str:
    if osp.isfile(path):
        return path
    found = sorted(
        glob.glob(osp.join(path, '**', 'scalars.json'), recursive=True))
    if not found:
        raise FileNotFoundError(f'No vis_data/scalars.json under {path}.')
    return found[-1]


def read_series(path: str,
                keys: List[str]) -> Dict[str, Tuple[List[float], List[float]]]:
    """{key: (steps, values)} from an mmengine scalars.json."""
    series: Dict[str, Tuple[List[float],
                            List[float]]] = {key: ([], [])
                                             for key in keys}
    last_iter = 0
    with open(path) as file:
        for line in file:
            record = json.loads(line)
            last_iter = record.get('iter', last_iter)
            step = last_iter
            for key in keys:
                if key in record:
                    series[key][0].append(step)
                    series[key][1].append(record[key])
    return series


def main() -> None:
    args = parse_args()
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    names = args.legend or [osp.basename(osp.normpath(p)) for p in args.logs]
    if len(names) != len(args.logs):
        raise SystemExit('--legend needs one name per log.')
    fig, axes = plt.subplots(
        1,
        len(args.keys),
        figsize=(4.5 * len(args.keys), 3.5),
        dpi=110,
        squeeze=False)
    for log, name in zip(args.logs, names):
        series = read_series(scalars_file(log), args.keys)
        for ax, key in zip(axes[0], args.keys):
            steps, values = series[key]
            if steps:
                ax.plot(steps, values, label=name)
    for ax, key in zip(axes[0], args.keys):
        ax.set_title(key)
        ax.set_xlabel('iteration')
        ax.legend()
    fig.tight_layout()
    fig.savefig(args.out)
    print(f'Curves of {", ".join(args.keys)} in {args.out}')


if __name__ == '__main__':
    main()
