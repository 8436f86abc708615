# Copyright (c) mmrazor_zs contributors. All rights reserved.
import json

import mmcv
import numpy as np

from ..conftest import run_tool

TOOL = 'tools/analysis_tools/compare_transition_curves.py'


def run_compare(*args):
    return run_tool(TOOL, *args, check=False, timeout=300)


def write_curves(folder, teacher, student, step_size=None, steps=4):
    """A belief_match.npz of 2 images x 9 target classes x ``steps``."""
    folder.mkdir()
    shape = (2, 9, steps)
    np.savez_compressed(
        folder / 'belief_match.npz',
        labels=np.zeros(2, dtype=np.int64),
        teacher=np.full(shape, teacher, dtype=np.float32),
        student=np.full(shape, student, dtype=np.float32),
        targets=np.ones((2, 9), dtype=np.int64))
    if step_size is not None:
        (folder / 'belief_match.json').write_text(
            json.dumps(
                dict(mte=abs(teacher - student), steps=4,
                     step_size=step_size)))
    return str(folder / 'belief_match.npz')


def test_one_panel_per_student_with_its_mte(tmp_path):
    zero_shot = write_curves(tmp_path / 'zskt', 0.5, 0.25, step_size=1.0)
    write_curves(tmp_path / 'kdat', 0.5, 0.875)
    out = tmp_path / 'curves.png'
    # a file, and a folder holding one
    result = run_compare(zero_shot, str(tmp_path / 'kdat'), '--labels',
                         'zero-shot', 'few-shot', '--out', str(out))
    assert result.returncode == 0, result.stderr[-2000:]
    lines = result.stdout.splitlines()
    assert lines[0] == 'zero-shot: MTE 0.2500 (K=4, xi=1.0), 18 curves'
    assert lines[1] == 'few-shot: MTE 0.3750 (K=4), 18 curves'
    image = mmcv.imread(str(out))
    assert image.shape[1] == 720 and image.shape[0] == 320  # 2 x 3.6 in


def test_commas_pool_several_files_into_one_panel(tmp_path):
    seeds = ','.join(
        write_curves(tmp_path / f'seed_{seed}', 0.5, student)
        for seed, student in enumerate((0.25, 0.625)))
    result = run_compare(seeds, '--labels', 'pooled', '--out',
                         str(tmp_path / 'pooled.png'))
    assert result.returncode == 0, result.stderr[-2000:]
    # (18 curves x 0.25 + 18 curves x 0.125) / 36
    assert result.stdout.splitlines()[0] == \
        'pooled: MTE 0.1875 (K=4), 36 curves'


def test_clear_errors(tmp_path):
    curves = write_curves(tmp_path / 'a', 0.5, 0.5)
    result = run_compare(curves, '--labels', 'a', 'b')
    assert result.returncode != 0
    assert 'one name per panel' in result.stderr
    other = write_curves(tmp_path / 'b', 0.5, 0.5, steps=5)
    result = run_compare(f'{curves},{other}')
    assert result.returncode != 0
    assert 'pool measurements with the same K only' in result.stderr
    result = run_compare(str(tmp_path / 'missing.npz'))
    assert result.returncode != 0
    assert 'write it with tools/analysis_tools/belief_match.py' in \
        result.stderr
