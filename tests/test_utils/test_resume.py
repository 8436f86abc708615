# Copyright (c) mmrazor_zs contributors. All rights reserved.
import re
import subprocess

import pytest
import torch

from mmrazor_zs.utils import (CheckpointError, check_checkpoint,
                              find_resume_checkpoint)
from ..conftest import PYTHON, REPO_ROOT, python_env
from ..unreadable import UNREADABLE, make_unreadable


def write_checkpoints(work_dir, *iters):
    for it in iters:
        torch.save({'meta': {'iter': it}}, work_dir / f'iter_{it}.pth')


def test_resume_takes_what_last_checkpoint_names(tmp_path):
    write_checkpoints(tmp_path, 2, 4)
    (tmp_path / 'last_checkpoint').write_text(str(tmp_path / 'iter_2.pth'))
    assert find_resume_checkpoint(str(tmp_path)) == str(tmp_path /
                                                        'iter_2.pth')


def test_resume_passes_over_a_broken_pointer_and_a_truncated_file(tmp_path):
    write_checkpoints(tmp_path, 2, 4, 10)
    # a job killed while writing the pointer, and a truncated newest file
    (tmp_path / 'last_checkpoint').write_text('')
    data = (tmp_path / 'iter_10.pth').read_bytes()
    (tmp_path / 'iter_10.pth').write_bytes(data[:len(data) // 2])
    (tmp_path / 'iter_6.pth.tmp-99').write_bytes(b'half')
    assert find_resume_checkpoint(str(tmp_path)) == str(tmp_path /
                                                        'iter_4.pth')
    # nothing is deleted: the truncated file stays for a person to look at
    assert (tmp_path / 'iter_10.pth').exists()


def test_nothing_to_resume_from(tmp_path):
    assert find_resume_checkpoint(str(tmp_path)) is None


def test_a_truncated_checkpoint_is_reported_as_such(tmp_path):
    write_checkpoints(tmp_path, 2)
    path = tmp_path / 'iter_2.pth'
    path.write_bytes(path.read_bytes()[:50])
    with pytest.raises(
            CheckpointError,
            match='iter_2.pth is truncated: it begins as a zip archive'):
        check_checkpoint(str(path))


@pytest.mark.parametrize('kind', sorted(UNREADABLE))
def test_train_refuses_an_unreadable_resume_checkpoint_before_starting(
        tmp_path, kind):
    path = make_unreadable(str(tmp_path / 'iter_2.pth'), kind)
    result = subprocess.run([
        PYTHON, 'tools/train.py',
        'configs/zskt/zskt_logits_lenet5_lenet5-half_1xb128_digits.py',
        '--work-dir',
        str(tmp_path), '--resume', path
    ],
                            cwd=REPO_ROOT,
                            env=python_env(),
                            capture_output=True,
                            text=True,
                            timeout=300)
    assert result.returncode == 1
    message = result.stderr.strip().splitlines()[-1]
    problem, fix = UNREADABLE[kind]
    assert re.match(f'Cannot resume: {path} {problem}', message), message
    assert fix in message
    assert not list(tmp_path.glob('*/vis_data'))  # the Runner never started
