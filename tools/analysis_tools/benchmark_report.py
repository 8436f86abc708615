# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Benchmark tables and plots from the ``summary.json`` files of runs.

    python tools/analysis_tools/benchmark_report.py WORK_DIR [WORK_DIR ...]
        [--papers docs/en/benchmark_paper_rows.yml] [--out-dir DIR]
        [--title TITLE]

WORK_DIR may be a glob (quote it) and may hold single runs of
``tools/train.py`` or sweeps of ``tools/analysis_tools/multi_seed.py``
(``seed_*/``); every ``summary.json`` under it is read (written by the
``DistillSummaryHook``, summary format 2 or later), the newest one of each
work dir when a run was resumed or repeated there. Runs are grouped by
dataset and, within one, by config and command-line options other than the
seeds; a group of several seeds shows mean +- sample standard deviation and
n. Writes OUT_DIR/benchmark.md (one table per dataset: method, teacher
top-1, student top-1 final and best of validations, gap to the teacher,
whole-run wall time, synthesis time, images synthesised, the command that
reproduces the runs; the papers' rows of ``--papers`` beside them, marked as
the papers') and OUT_DIR/benchmark_<dataset>.png (student top-1 against
whole-run wall time, one labelled point per method, error bars over seeds,
the teachers' top-1 as horizontal lines), and OUT_DIR/overview.md: one row
per method, the teacher, the student and the whole run's seconds of each
dataset side by side, the papers' students in their own rows (for a
README).
"""
import argparse
import glob
import json
import os
import os.path as osp
import re
import shlex
import statistics
import sys
from collections import defaultdict
from typing import Any, Dict, List, Optional, Sequence, Tuple

import matplotlib

matplotlib.use('Agg')
import matplotlib.pyplot as plt  # noqa: E402
import yaml  # noqa: E402

SUMMARY = 'summary.json'
#: the fields the report reads: name -> the summary format that first
#: writes it (``summary_format`` in the file; absent means 1)
NEEDED_FIELDS = {
    'teacher_top1': 1,
    'student_top1': 1,
    'student_best_top1': 1,
    'run_wall_time_s': 2,
    'config': 2,
    'command': 2,
    'algorithm': 2,
    'dataset': 2,
    'seed': 2,
}
#: the seeds ``multi_seed.py`` sets, left out of a group's options
SEED_OPTIONS = ('randomness.seed', 'model.seed', 'synthesis.seed')
#: display names of the datasets, by :func:`dataset_key`
DATASET_NAMES = {
    'mnist': 'MNIST',
    'fashionmnist': 'Fashion-MNIST',
    'digits': 'Digits',
    'svhn': 'SVHN',
    'cifar10': 'CIFAR-10',
    'cifar100': 'CIFAR-100',
}


def dataset_order(key: str) -> Tuple[int, str]:
    """Datasets in the order of :data:`DATASET_NAMES` (MNIST first), then the
    others by name."""
    order = list(DATASET_NAMES)
    return (order.index(key) if key in order else len(order), key)


PAPER_FIELDS = ('dataset', 'method', 'teacher_top1', 'student_top1', 'source')
GENERATOR_MARK = '\u2020'


class ReportError(Exception):
    """Input the report cannot use; the message names the file and the fix."""


# ----------------------------------------------------------------------
# reading
def find_summaries(patterns: Sequence[str]) -> List[str]:
    """The newest ``summary.json`` of every work dir under ``patterns``.

    A work dir's runs write ``WORK_DIR/<timestamp>/summary.json``; when a
    run was resumed or repeated in one work dir, the newest timestamp wins.

    Raises:
        ReportError: If no pattern finds a summary.
    """
    found = set()
    for pattern in patterns:
        for path in glob.glob(pattern):
            if osp.isfile(path) and osp.basename(path) == SUMMARY:
                found.add(osp.abspath(path))
            elif osp.isdir(path):
                found.update(
                    osp.abspath(p) for p in glob.glob(
                        osp.join(path, '**', SUMMARY), recursive=True))
    if not found:
        raise ReportError(
            f'No {SUMMARY} under {", ".join(patterns)}. Give the work dirs '
            'of finished runs (tools/train.py writes WORK_DIR/<timestamp>/'
            f'{SUMMARY} when a run ends; multi_seed.py sweeps hold '
            'seed_*/ folders).')
    newest: Dict[str, str] = {}
    for path in sorted(found):  # timestamps sort in time order
        newest[osp.dirname(osp.dirname(path))] = path
    return sorted(newest.values())


def load_summary(path: str) -> Dict[str, Any]:
    """Read one summary and check it has every field the report needs.

    Raises:
        ReportError: If it is not JSON or misses a field, naming the file,
            the field and the summary format that writes it.
    """
    try:
        with open(path) as file:
            summary = json.load(file)
    except (OSError, ValueError) as err:
        raise ReportError(f'{path} cannot be read as JSON ({err}).') from None
    version = summary.get('summary_format', 1)
    for field, since in NEEDED_FIELDS.items():
        if field not in summary:
            raise ReportError(
                f'{path} has no `{field}`: the DistillSummaryHook writes it '
                f'from summary format {since} on (this file is format '
                f'{version}; mmrazor_zs after 0.1.0 writes format 2). Run '
                'the config again with this version of mmrazor_zs.')
    if summary['student_top1'] is None:
        raise ReportError(f'{path} has `student_top1: null`: the run was '
                          'not evaluated with the `accuracy/top1` metric.')
    summary['path'] = path
    return summary


def load_paper_rows(path: str) -> List[Dict[str, Any]]:
    """The papers' rows of a YAML or JSON file: a mapping with ``rows``, a list
    of mappings with ``dataset``, ``method``, ``teacher_top1``,
    ``student_top1`` and ``source`` (optional: ``images``, ``note``).

    Raises:
        ReportError: If the file or a row is malformed, naming it.
    """
    try:
        with open(path) as file:
            data = json.load(file) if path.endswith('.json') else \
                yaml.safe_load(file)
    except (OSError, ValueError, yaml.YAMLError) as err:
        raise ReportError(f'{path} cannot be read ({err}).') from None
    rows = data.get('rows') if isinstance(data, dict) else None
    if not isinstance(rows, list):
        raise ReportError(f'{path} must be a mapping with a list `rows` of '
                          'the papers\' rows.')
    for index, row in enumerate(rows):
        missing = [f for f in PAPER_FIELDS if f not in (row or {})]
        if missing:
            raise ReportError(
                f'{path}: row {index} has no {", ".join(missing)}; every '
                f'paper row needs {", ".join(PAPER_FIELDS)}.')
    return rows


# ----------------------------------------------------------------------
# grouping
def dataset_key(name: str) -> str:
    """A dataset's name for grouping: the type without its scope and
    ``Offline`` prefix, lower case, letters and digits only
    (``OfflineFashionMNIST`` and ``Fashion-MNIST`` -> ``fashionmnist``)."""
    key = re.sub(r'[^a-z0-9]', '', str(name).split('.')[-1].lower())
    return key[len('offline'):] if key.startswith('offline') else key


def parse_command(command: Sequence[str]) -> argparse.Namespace:
    """The parts of a ``tools/train.py`` command line that say what ran."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument('script')
    parser.add_argument('config')
    parser.add_argument('--work-dir')
    parser.add_argument('--resume', nargs='?', const='auto')
    parser.add_argument('--cfg-options', nargs='+', default=[])
    parser.add_argument('--launcher', default='none')
    parser.add_argument('--local_rank', '--local-rank')
    args, rest = parser.parse_known_args(list(command))
    args.options = [
        o for o in args.cfg_options if o.split('=')[0] not in SEED_OPTIONS
    ]
    args.flags = rest
    return args


def method_label(algorithm: str, config: str) -> str:
    """``algorithm`` with the variant its config file names (``fast-2_...`` of
    ``Fast`` -> ``Fast-2``)."""
    prefix = osp.basename(config).split('_')[0]
    if prefix.lower().startswith(algorithm.lower()):
        return algorithm + prefix[len(algorithm):]
    return f'{algorithm} ({prefix})'


def run_order(summary: Dict[str, Any]) -> Tuple[str, str]:
    """Older runs first: by the timestamp of the log folder, then path."""
    return osp.basename(osp.dirname(summary['path'])), summary['path']


def group_runs(summaries: List[Dict[str, Any]]) -> Dict[str, List[List[Dict]]]:
    """Runs by dataset key, then by config, options and processes.

    A seed that appears twice in a group is counted once (the newer run, by its
    log folder's timestamp), with a warning.
    """
    groups: Dict[Tuple, Dict[Any, Dict]] = defaultdict(dict)
    for summary in sorted(summaries, key=run_order):
        args = parse_command(summary['command'])
        summary['options'] = args.options
        summary['flags'] = args.flags
        key = (dataset_key(summary['dataset']), summary['config'],
               tuple(args.options), tuple(args.flags),
               summary.get('world_size', 1))
        seed = summary['seed']
        if seed in groups[key]:
            warn(f'seed {seed} of {summary["config"]} is in both '
                 f'{groups[key][seed]["path"]} and {summary["path"]}; '
                 'the report counts the newer run (the second).')
        groups[key][seed] = summary
    by_dataset: Dict[str, List[List[Dict]]] = defaultdict(list)
    for key in sorted(groups, key=lambda k: (k[0], k[1], k[2], k[3])):
        runs = [groups[key][seed] for seed in sorted(groups[key])]
        by_dataset[key[0]].append(runs)
    return dict(by_dataset)


def teacher_name(summary: Dict[str, Any]) -> str:
    """The teacher checkpoint's file name (``unknown`` without one)."""
    ckpt = summary.get('teacher_ckpt')
    return osp.basename(ckpt) if ckpt else 'unknown'


def teachers_of(groups: List[List[Dict]]) -> Dict[str, Dict[str, Any]]:
    """The teachers of one dataset's groups: name -> its top-1 and the methods
    distilled from it."""
    teachers: Dict[str, Dict[str, Any]] = {}
    for runs in groups:
        name = teacher_name(runs[0])
        entry = teachers.setdefault(
            name, dict(top1=runs[0]['teacher_top1'], methods=[]))
        entry['methods'].append(
            method_label(runs[0]['algorithm'], runs[0]['config']))
    return teachers


def warn(message: str) -> None:
    """Print a warning on stderr."""
    print(f'Warning: {message}', file=sys.stderr)


# ----------------------------------------------------------------------
# numbers
def values(runs: List[Dict], key: str) -> List[float]:
    """The runs' non-null values of ``key``."""
    return [r[key] for r in runs if r.get(key) is not None]


def mean_std(numbers: List[float]) -> Tuple[float, float]:
    """Mean and sample standard deviation (0 for one number)."""
    if len(numbers) == 1:
        return numbers[0], 0.
    return statistics.mean(numbers), statistics.stdev(numbers)


def fmt_stat(numbers: List[float], digits: int = 2, with_n=False) -> str:
    """``mean +- std`` (and ``(n=N)``) of several numbers, the number of one,
    ``-`` of none."""
    if not numbers:
        return '-'
    if len(numbers) == 1:
        return f'{numbers[0]:.{digits}f}'
    mean, std = mean_std(numbers)
    n = f' (n={len(numbers)})' if with_n else ''
    return f'{mean:.{digits}f} \u00b1 {std:.{digits}f}{n}'


def fmt_optional(number: Optional[float]) -> str:
    """A top-1 to two decimals, ``-`` for None."""
    return '-' if number is None else f'{number:.2f}'


def fmt_count(numbers: List[float]) -> str:
    """An image count (its mean and std when the runs differ)."""
    if not numbers:
        return '-'
    if len(set(numbers)) == 1:
        return f'{int(numbers[0]):,}'
    return fmt_stat(numbers, 0)


def gap(runs: List[Dict]) -> str:
    """Teacher top-1 minus the student's mean final top-1 (points)."""
    teacher = values(runs, 'teacher_top1')
    if not teacher:
        return '-'
    student = statistics.mean(values(runs, 'student_top1'))
    return f'{statistics.mean(teacher) - student:.2f}'


def synthesis_cell(runs: List[Dict]) -> str:
    """The synthesis time: the inversion rounds' or ZSKD's
    (``synthesis_time_s``), else the generator's own steps
    (``generator_step_time_s``, marked)."""
    if values(runs, 'synthesis_time_s'):
        return fmt_stat(values(runs, 'synthesis_time_s'), 1)
    if values(runs, 'generator_step_time_s'):
        return fmt_stat(values(runs, 'generator_step_time_s'),
                        1) + GENERATOR_MARK
    return '-'


def reproduce_command(runs: List[Dict]) -> str:
    """The command that makes the group's runs again: ``multi_seed.py`` for
    several seeds, else the run's own (``tools/dist_train.sh`` for several
    processes), without its work dir."""
    first = runs[0]
    world_size = first.get('world_size', 1)
    options = first['options']
    if len(runs) > 1:
        parts = [
            'python', 'tools/analysis_tools/multi_seed.py', first['config'],
            '--seeds', *(str(r['seed']) for r in runs)
        ]
        if world_size > 1:
            parts += ['--gpus', str(world_size)]
        if options:
            parts += ['--cfg-options', *options]
        return shlex.join(parts)
    args = parse_command(first['command'])
    if world_size > 1:
        parts = [
            'bash', 'tools/dist_train.sh', first['config'],
            str(world_size)
        ]
    else:
        parts = ['python', args.script, first['config']]
    parts += first['flags']
    if args.cfg_options:
        parts += ['--cfg-options', *args.cfg_options]
    return shlex.join(parts)


# ----------------------------------------------------------------------
# output
COLUMNS = ('method', 'teacher top-1', 'student top-1 (final)',
           'best of validations', 'gap to teacher', 'whole run (s)',
           'synthesis (s)', 'images synthesised', 'reproduce')


def our_row(runs: List[Dict]) -> List[str]:
    """A table row of one group of runs."""
    first = runs[0]
    return [
        method_label(first['algorithm'], first['config']),
        fmt_stat(sorted(set(values(runs, 'teacher_top1')))),  # one teacher
        fmt_stat(values(runs, 'student_top1'), with_n=True),
        fmt_stat(values(runs, 'student_best_top1')),
        gap(runs),
        fmt_stat(values(runs, 'run_wall_time_s'), 1),
        synthesis_cell(runs),
        fmt_count(values(runs, 'synthesized_images')),
        f'`{reproduce_command(runs)}`',
    ]


def paper_row(row: Dict[str, Any]) -> List[str]:
    """A table row of a paper's number, marked as the paper's."""
    images = row.get('images')
    note = f'; {row["note"]}' if row.get('note') else ''
    return [
        f'{row["method"]} (paper)',
        f'{row["teacher_top1"]:.2f}',
        f'{row["student_top1"]:.2f}',
        '-',
        f'{row["teacher_top1"] - row["student_top1"]:.2f}',
        '-',
        '-',
        f'{int(images):,}' if images is not None else '-',
        f'paper: {row["source"]}{note}',
    ]


def markdown_table(rows: List[List[str]],
                   columns: Sequence[str] = COLUMNS) -> str:
    """A Markdown table with ``columns`` (the report's :data:`COLUMNS`)."""
    lines = ['| ' + ' | '.join(columns) + ' |', '|---' * len(columns) + '|']
    lines += [
        '| ' + ' | '.join(cell.replace('|', '\\|') for cell in row) + ' |'
        for row in rows
    ]
    return '\n'.join(lines)


def dataset_name(key: str, groups: List[List[Dict]]) -> str:
    """The display name of a dataset key."""
    return DATASET_NAMES.get(key, str(groups[0][0]['dataset']))


def slug(name: str) -> str:
    """A file-name form of a dataset name."""
    return re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')


def plot_dataset(groups: List[List[Dict]], name: str, title: Optional[str],
                 path: str) -> None:
    """Student top-1 against whole-run wall time, a labelled point per group
    with error bars over seeds, the teachers' top-1 as grey lines; a log time
    axis when the times span a factor of 10 or more."""
    fig, ax = plt.subplots(figsize=(7, 4.5))
    times = []
    for runs in groups:
        x, x_err = mean_std(values(runs, 'run_wall_time_s'))
        y, y_err = mean_std(values(runs, 'student_top1'))
        times.append(x)
        ax.errorbar(
            x, y, xerr=x_err or None, yerr=y_err or None, fmt='o', capsize=3)
        label = method_label(runs[0]['algorithm'], runs[0]['config'])
        if len(runs) > 1:
            label += f' (n={len(runs)})'
        ax.annotate(
            label, (x, y),
            textcoords='offset points',
            xytext=(5, 4),
            fontsize=8)
    styles = ('--', ':', '-.')
    for index, (teacher, entry) in enumerate(teachers_of(groups).items()):
        if entry['top1'] is not None:
            ax.axhline(
                entry['top1'],
                linestyle=styles[index % len(styles)],
                color='0.3',
                linewidth=1,
                label=f'teacher {teacher}: {entry["top1"]:.2f}')
    positive = [t for t in times if t > 0]
    log_time = bool(positive) and max(positive) >= 10 * min(positive)
    if log_time:
        ax.set_xscale('log')
    ax.set_xlabel('whole-run wall time (s' +
                  (', log scale)' if log_time else ')'))
    ax.set_ylabel('student top-1 (%)')
    ax.set_title(f'{title}: {name}' if title else name)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc='best', fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def dataset_section(key: str, groups: List[List[Dict]],
                    papers: List[Dict[str, Any]], png: str) -> str:
    """The Markdown of one dataset: notes, table, footnotes, plot."""
    name = dataset_name(key, groups)
    lines = [f'## {name}', '']
    teachers = teachers_of(groups)
    if len(teachers) > 1:
        described = '; '.join(
            f'{teacher} (top-1 {fmt_optional(entry["top1"])}): '
            f'{", ".join(entry["methods"])}'
            for teacher, entry in teachers.items())
        warn(f'{name}: the runs distil {len(teachers)} different teachers '
             f'({described}).')
        lines += [
            f'The runs distil {len(teachers)} teachers: {described}. '
            'Compare each student with its own teacher (the teacher '
            'column).', ''
        ]
    rows = [our_row(runs) for runs in groups]
    rows += [
        paper_row(row) for row in papers if dataset_key(row['dataset']) == key
    ]
    lines += [markdown_table(rows), '']
    lines.append(
        'Student top-1: mean \u00b1 sample standard deviation over the '
        'seeds (n) when a row has several; best of validations is chosen '
        'on the test split. Rows marked (paper) are the papers\' numbers, '
        'not measured here.')
    if any(GENERATOR_MARK in row[6] for row in rows):
        lines.append(f'{GENERATOR_MARK} the generator\'s own steps; the '
                     'images it makes for the student\'s steps are counted '
                     'but not timed.')
    lines += ['', f'![{name}: student top-1 against wall time]({png})', '']
    return '\n'.join(lines)


def overview_table(by_dataset: Dict[str, List[List[Dict]]],
                   papers: List[Dict[str, Any]]) -> str:
    """One row per method, each dataset's teacher top-1, student top-1 and
    whole-run seconds side by side (``-`` where the method has no run on it);
    the papers' students follow in rows marked (paper), without times."""
    keys = sorted(by_dataset, key=dataset_order)
    ours: Dict[str, Dict[str, Tuple[str, ...]]] = defaultdict(dict)
    for key in keys:
        for runs in by_dataset[key]:
            label = method_label(runs[0]['algorithm'], runs[0]['config'])
            teacher = fmt_stat(sorted(set(values(runs, 'teacher_top1'))))
            student = fmt_stat(values(runs, 'student_top1'), with_n=True)
            seconds = fmt_stat(values(runs, 'run_wall_time_s'), 0)
            ours[label][key] = (teacher, student, seconds)
    theirs: Dict[str, Dict[str, Tuple[str, ...]]] = defaultdict(dict)
    for row in papers:
        key = dataset_key(row['dataset'])
        if key in keys:
            theirs[f'{row["method"]} (paper)'][key] = (
                f'{row["teacher_top1"]:.2f}', f'{row["student_top1"]:.2f}',
                '-')
    columns = ['method'] + [
        f'{dataset_name(key, by_dataset[key])} {column}' for key in keys
        for column in ('teacher', 'student', 'run (s)')
    ]
    rows = [[label] +
            [cell for key in keys for cell in cells.get(key, ('-', '-', '-'))]
            for label, cells in sorted(ours.items()) + list(theirs.items())]
    return markdown_table(rows, columns) + '\n'


def report(patterns: Sequence[str],
           out_dir: str,
           papers_file: Optional[str] = None,
           title: Optional[str] = None) -> str:
    """Write the tables and plots; return the Markdown.

    Raises:
        ReportError: On input the report cannot use.
    """
    summaries = [load_summary(p) for p in find_summaries(patterns)]
    papers = load_paper_rows(papers_file) if papers_file else []
    os.makedirs(out_dir, exist_ok=True)
    sections = [f'# {title or "Benchmark"}', '']
    by_dataset = group_runs(summaries)
    with open(osp.join(out_dir, 'overview.md'), 'w') as file:
        file.write(overview_table(by_dataset, papers))
    for key in sorted(by_dataset, key=dataset_order):
        groups = by_dataset[key]
        png = f'benchmark_{slug(dataset_name(key, groups))}.png'
        plot_dataset(groups, dataset_name(key, groups), title,
                     osp.join(out_dir, png))
        sections.append(dataset_section(key, groups, papers, png))
    text = '\n'.join(sections)
    with open(osp.join(out_dir, 'benchmark.md'), 'w') as file:
        file.write(text)
    return text


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        'work_dirs', nargs='+', help='work dirs or globs of them')
    parser.add_argument(
        '--papers',
        help='YAML or JSON file of the papers\' rows '
        '(e.g. docs/en/benchmark_paper_rows.yml)')
    parser.add_argument(
        '--out-dir',
        default='work_dirs/benchmark_report',
        help='where benchmark.md and the plots go')
    parser.add_argument('--title', help='heading of the report and plots')
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> None:
    args = parse_args(argv)
    try:
        text = report(args.work_dirs, args.out_dir, args.papers, args.title)
    except ReportError as err:
        raise SystemExit(f'benchmark_report: {err}') from None
    print(text)
    print(f'Written to {osp.join(args.out_dir, "benchmark.md")}, the '
          'plots and overview.md beside it.')


if __name__ == '__main__':
    main()
