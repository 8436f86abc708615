# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""A benchmark run again in fresh interpreters, its results combined.

On the CPU a benchmark's ratio moves by a point or two from one process to the
next (where its tensors happen to lie in memory), more than the rounds of one
process move it: the median over processes is the steadier number.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from typing import Any, Callable, Dict, List, Optional, Sequence


def add_processes_argument(parser: argparse.ArgumentParser) -> None:
    """The ``--processes N`` option of a benchmark tool (default 1)."""
    parser.add_argument(
        '--processes',
        type=int,
        default=1,
        help='run the measurement in this many fresh processes and report '
        'the medians over them')


def result_over_processes(
        processes: int,
        measure: Callable[[], Dict[str, Any]],
        argv: Optional[Sequence[str]] = None) -> Dict[str, Any]:
    """``measure()`` in this process where ``processes`` is 1; otherwise the
    tool's command line ``argv`` (default ``sys.argv``) run ``processes`` times
    in fresh interpreters and their results combined
    (:func:`combine_process_results`)."""
    if processes > 1:
        return combine_process_results(
            results_of_processes(sys.argv if argv is None else argv,
                                 processes))
    return measure()


def results_of_processes(argv: Sequence[str],
                         processes: int) -> List[Dict[str, Any]]:
    """Run ``python argv[0] argv[1:] --processes 1 --out FILE`` ``processes``
    times, one after another, and return the JSON each wrote.

    ``argv`` is a benchmark tool's command line (``sys.argv``); the appended
    options override any earlier ``--processes``/``--out``.
    """
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for index in range(processes):
            out = os.path.join(folder, f'{index}.json')
            subprocess.run(
                [sys.executable, *argv, '--processes', '1', '--out', out],
                check=True)
            with open(out) as file:
                results.append(json.load(file))
    return results


def combine_process_results(
        results: Sequence[Dict[str, Any]]) -> Dict[str, Any]:
    """One result from several processes' results of one command.

    A value that every process reported alike (a setting) is kept; a number
    that differs becomes the median over the processes, its values listed
    under ``<key>_per_process``. Adds ``processes``.

    Raises:
        ValueError: Where the results have different keys, or a value that
            is not a number differs.
    """
    keys = list(results[0])
    if any(list(result) != keys for result in results):
        raise ValueError('The processes reported different keys: '
                         f'{[sorted(result) for result in results]}.')
    combined: Dict[str, Any] = dict(processes=len(results))
    for key in keys:
        values = [result[key] for result in results]
        if all(value == values[0] for value in values):
            combined[key] = values[0]
            continue
        if not all(
                isinstance(value, (int,
                                   float)) and not isinstance(value, bool)
                for value in values):
            raise ValueError(f'`{key}` differs between the processes and is '
                             f'not a number: {values}.')
        combined[key] = statistics.median(values)
        combined[f'{key}_per_process'] = values
    return combined


def print_and_save(result: Dict[str, Any], out: Optional[str] = None) -> None:
    """Print ``key: value`` lines, and write the JSON to ``out`` if given."""
    width = max(len(key) for key in result)
    for key, value in result.items():
        print(f'{key:>{width}}: {value}')
    if out:
        with open(out, 'w') as file:
            json.dump(result, file, indent=2)
