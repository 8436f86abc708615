# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Transition curves of several students side by side (ZSKT, Figure 4).

    python tools/analysis_tools/compare_transition_curves.py PANEL [PANEL ...]
        [--labels NAME ...] [--out transition_curves.png]

PANEL is a ``belief_match.npz`` written by
``tools/analysis_tools/belief_match.py`` (or the folder holding it), or
several joined by commas, whose curves are pooled (e.g. the students of
several seeds). One panel each, as Figure 4 of Micaelli & Storkey (NeurIPS
2019) sets the zero-shot student beside a few-shot one: the mean
probability ``p_j`` of the target class against the step, under the
teacher and under the student that made the path, +- 2 standard errors of
the mean over all (image, target class) curves; the title holds the name
and the mean transition error of the pooled curves (K and xi from the
``belief_match.json`` beside the first file, when it is there).
"""
import argparse
import json
import os.path as osp
from typing import Dict, List, Optional

import numpy as np


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        'panels',
        nargs='+',
        help='belief_match.npz files, commas pool several')
    parser.add_argument('--labels', nargs='+', help='one name per panel')
    parser.add_argument('--out', default='transition_curves.png')
    args = parser.parse_args()
    if args.labels is not None and len(args.labels) != len(args.panels):
        parser.error(f'--labels gives {len(args.labels)} names for '
                     f'{len(args.panels)} panels; give one name per panel.')
    return args


def load_curves(path: str) -> Dict[str, np.ndarray]:
    """The teacher's and the student's curves, each (curves, K), and the
    settings of the measurement when its JSON is beside the file."""
    if osp.isdir(path):
        path = osp.join(path, 'belief_match.npz')
    if not osp.isfile(path):
        raise SystemExit(f'{path} does not exist; write it with '
                         'tools/analysis_tools/belief_match.py CONFIG CKPT.')
    with np.load(path) as data:
        missing = {'teacher', 'student'} - set(data.files)
        if missing:
            raise SystemExit(f'{path} has no {sorted(missing)}: it is not a '
                             'belief_match.npz.')
        steps = data['teacher'].shape[-1]
        curves = {
            key: data[key].reshape(-1, steps)
            for key in ('teacher', 'student')
        }
    settings = osp.join(osp.dirname(path), 'belief_match.json')
    if osp.isfile(settings):
        with open(settings) as file:
            curves['settings'] = json.load(file)
    return curves


def load_panel(paths: str) -> Dict[str, np.ndarray]:
    """The curves of every comma-separated file, pooled; the settings of the
    first."""
    parts = [load_curves(path) for path in paths.split(',')]
    steps = {part['teacher'].shape[1] for part in parts}
    if len(steps) > 1:
        raise SystemExit(f'{paths} mixes curves of {sorted(steps)} steps; '
                         'pool measurements with the same K only.')
    pooled = {
        key: np.concatenate([part[key] for part in parts])
        for key in ('teacher', 'student')
    }
    if 'settings' in parts[0]:
        pooled['settings'] = parts[0]['settings']
    return pooled


def mean_and_band(values: np.ndarray) -> List[np.ndarray]:
    """Mean over curves and +- 2 standard errors of the mean."""
    mean = values.mean(0)
    sem = values.std(
        0, ddof=1) / np.sqrt(
            len(values)) if len(values) > 1 else np.zeros_like(mean)
    return [mean, mean - 2 * sem, mean + 2 * sem]


def describe(curves: Dict, steps: int) -> str:
    """``MTE m (K=.., xi=..)``: the mean of ``|p_j(teacher) - p_j(student)|``
    over curves and steps."""
    mte = float(np.abs(curves['teacher'] - curves['student']).mean())
    settings: Optional[dict] = curves.get('settings')
    detail = f'K={steps}, xi={settings["step_size"]}' if settings else \
        f'K={steps}'
    return f'MTE {mte:.4f} ({detail})'


def main() -> None:
    args = parse_args()
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    labels = args.labels or [
        osp.basename(osp.dirname(osp.abspath(p))) for p in args.panels
    ]
    fig, axes = plt.subplots(
        1,
        len(args.panels),
        figsize=(3.6 * len(args.panels), 3.2),
        dpi=100,
        sharey=True,
        squeeze=False)
    for ax, paths, label in zip(axes[0], args.panels, labels):
        curves = load_panel(paths)
        steps = curves['teacher'].shape[1]
        x = np.arange(steps)
        for name, colour in (('teacher', 'tab:blue'), ('student',
                                                       'tab:orange')):
            mean, low, high = mean_and_band(curves[name])
            ax.plot(x, mean, color=colour, label=name)
            ax.fill_between(x, low, high, color=colour, alpha=0.25)
        description = describe(curves, steps)
        print(f'{label}: {description}, {len(curves["teacher"])} curves')
        ax.set_title(f'{label}\n{description}', fontsize=9)
        ax.set_xlabel('step k')
        ax.set_ylim(0, 1)
        ax.grid(alpha=0.3)
    axes[0][0].set_ylabel('p_j (target class)')
    axes[0][0].legend(loc='lower right', fontsize=8)
    fig.tight_layout()
    fig.savefig(args.out)
    plt.close(fig)
    print(f'{len(args.panels)} panels in {args.out}')


if __name__ == '__main__':
    main()
