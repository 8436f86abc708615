# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""A benchmark repeated in fresh processes: each run's own JSON, and one result
with the medians of what differs."""
import sys

import pytest

from mmrazor_zs.testing import (combine_process_results, result_over_processes,
                                results_of_processes)

#: a stand-in benchmark: reports its call count (kept in a file) and the
#: options it was given last
COUNTING_TOOL = '''
import argparse, json, pathlib, sys
parser = argparse.ArgumentParser()
parser.add_argument('counter')
parser.add_argument('--processes', type=int)
parser.add_argument('--out')
args = parser.parse_args()
path = pathlib.Path(args.counter)
calls = int(path.read_text()) + 1 if path.exists() else 1
path.write_text(str(calls))
with open(args.out, 'w') as file:
    json.dump(dict(calls=calls, processes_seen=args.processes), file)
'''


def test_each_process_runs_once_with_one_process_and_its_own_output(tmp_path):
    tool = tmp_path / 'tool.py'
    tool.write_text(COUNTING_TOOL)
    counter = tmp_path / 'calls.txt'
    results = results_of_processes(
        [str(tool),
         str(counter), '--processes', '3', '--out', 'ignored'], 3)
    # one after another, each told to run once, none writing `--out ignored`
    assert results == [dict(calls=n, processes_seen=1) for n in (1, 2, 3)]
    assert not (tmp_path / 'ignored').exists()


def test_a_failing_process_stops_the_repeats(tmp_path):
    tool = tmp_path / 'tool.py'
    tool.write_text('raise SystemExit(3)')
    with pytest.raises(Exception, match='exit status 3'):
        results_of_processes([str(tool)], 2)


def test_combined_keeps_settings_and_takes_medians_of_what_differs():
    results = [
        dict(config='a.py', batch_size=64, ratio=1.02, framework_ms=10.0),
        dict(config='a.py', batch_size=64, ratio=0.98, framework_ms=12.0),
        dict(config='a.py', batch_size=64, ratio=1.00, framework_ms=11.0),
    ]
    assert combine_process_results(results) == dict(
        processes=3,
        config='a.py',
        batch_size=64,
        ratio=1.00,
        ratio_per_process=[1.02, 0.98, 1.00],
        framework_ms=11.0,
        framework_ms_per_process=[10.0, 12.0, 11.0])
    # an even count: the mean of the middle two
    assert combine_process_results(results[:2])['ratio'] == pytest.approx(1.0)


@pytest.mark.parametrize('second, match', [
    (dict(config='b.py', ratio=1.0), 'config'),
    (dict(config='a.py'), 'different keys'),
])
def test_combined_refuses_results_of_different_commands(second, match):
    with pytest.raises(ValueError, match=match):
        combine_process_results([dict(config='a.py', ratio=1.0), second])


def test_the_repeats_use_this_interpreter(tmp_path):
    tool = tmp_path / 'tool.py'
    tool.write_text('import json, sys\n'
                    'json.dump(sys.executable, open(sys.argv[-1], "w"))')
    assert results_of_processes([str(tool)], 1) == [sys.executable]


def test_one_process_measures_here_and_several_run_the_command(monkeypatch):
    from mmrazor_zs.testing import process_repeats
    calls = []

    def runs(argv, processes):
        calls.append((list(argv), processes))
        return [dict(ratio=1.0), dict(ratio=3.0)]

    monkeypatch.setattr(process_repeats, 'results_of_processes', runs)
    assert result_over_processes(1, lambda: dict(ratio=2.0)) == dict(ratio=2.0)
    assert calls == []
    assert result_over_processes(2, lambda: pytest.fail('measured here'),
                                 ['tool.py', 'c.py']) == dict(
                                     processes=2,
                                     ratio=2.0,
                                     ratio_per_process=[1.0, 3.0])
    assert calls == [(['tool.py', 'c.py'], 2)]
