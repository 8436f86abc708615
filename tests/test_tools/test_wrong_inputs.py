# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Wrong checkpoints, configs and folders given to the tools are errors that
say what is wrong, never a number or a raw traceback."""

import re
import sys

import pytest

from mmrazor_zs.utils import CheckpointError, load_checkpoint_file
from ..conftest import REPO_ROOT, load_module_from_file, python_env, run_tool
from ..unreadable import UNREADABLE, make_unreadable

STUDENT_CFG = 'configs/teachers/lenet5-half_1xb64_digits.py'
TEACHER_CKPT = 'checkpoints/lenet5_1xb64_digits-fe2ed308.pth'
MMCV_LITE_WARNING = 'Fail to import ``MultiScaleDeformableAttention``'


def run_bad(*args, warnings='ignore'):
    """Run a tool that is expected to fail; its result is checked by the
    test."""
    env = dict(python_env(), PYTHONWARNINGS=warnings)
    return run_tool(*args, check=False, env=env, timeout=300)


def test_test_refuses_checkpoint_of_another_model(tmp_path):
    result = run_bad('tools/test.py', STUDENT_CFG, TEACHER_CKPT, '--work-dir',
                     str(tmp_path))
    assert result.returncode != 0
    assert f'Cannot test: {TEACHER_CKPT} does not fit the model built from ' \
        'the config (ImageClassifier): shape mismatches: ' \
        'backbone.stages.0.0.weight (checkpoint (6, 1, 5, 5), model ' \
        '(3, 1, 5, 5))' in result.stderr
    assert 'pass --partial-load' in result.stderr
    assert 'accuracy/top1' not in result.stdout


def test_test_partial_load_keeps_mmengines_behaviour(tmp_path):
    result = run_bad('tools/test.py', STUDENT_CFG, TEACHER_CKPT, '--work-dir',
                     str(tmp_path), '--partial-load')
    assert result.returncode == 0, result.stderr[-3000:]
    assert 'accuracy/top1' in result.stdout + result.stderr


@pytest.mark.parametrize('tool', [
    'tools/test.py', 'tools/train.py', 'tools/analysis_tools/belief_match.py'
])
def test_tools_document_partial_load(tool, monkeypatch, capsys):
    module = load_module_from_file(f'help_of_{tool.replace("/", "_")}',
                                   f'{REPO_ROOT}/{tool}')
    monkeypatch.setattr(sys, 'argv', [tool, '--help'])
    with pytest.raises(SystemExit) as info:
        module.parse_args()
    assert info.value.code == 0
    assert '--partial-load' in capsys.readouterr().out


def test_mmcv_lite_warning_is_silenced_in_a_tool():
    result = run_bad('tools/train.py', '--help', warnings='default')
    assert result.returncode == 0, result.stderr[-3000:]
    assert MMCV_LITE_WARNING not in result.stderr


def test_mmcv_lite_warning_is_silenced_and_other_warnings_show():
    result = run_bad(
        '-c', 'import warnings, mmrazor_zs.models; '
        'warnings.warn("Fail to import something else", UserWarning)',
        warnings='default')
    assert result.returncode == 0, result.stderr[-3000:]
    assert MMCV_LITE_WARNING not in result.stderr
    assert 'UserWarning: Fail to import something else' in result.stderr


def test_load_checkpoint_file_names_a_file_that_is_no_checkpoint(tmp_path):
    text = tmp_path / 'notes.pth'
    text.write_text('hello world')
    with pytest.raises(CheckpointError) as info:
        load_checkpoint_file(str(text))
    assert str(info.value) == (
        f"{text} is not a PyTorch checkpoint: it is neither a zip archive "
        "(what torch.save writes) nor a pickle (it begins with "
        "b'hello wo'). Pass the .pth file that training or torch.save "
        'wrote.')


def test_extract_student_refuses_a_config_file(tmp_path):
    result = run_bad('tools/model_converters/extract_student.py', STUDENT_CFG,
                     str(tmp_path / 'out.pth'))
    assert result.returncode != 0
    assert f'Cannot extract the student: {STUDENT_CFG} is not a PyTorch ' \
        'checkpoint' in result.stderr
    assert 'Traceback' not in result.stderr


MISSPELT_CFG = 'configs/zskt/zskt_logits_lenet5_lenet5-half_1xb128_digit.py'


@pytest.mark.parametrize('tool, extra', [
    ('tools/train.py', ()),
    ('tools/test.py', (TEACHER_CKPT, )),
    ('tools/synthesize_impressions.py', ()),
    ('tools/analysis_tools/belief_match.py', (TEACHER_CKPT, )),
])
def test_tools_name_the_closest_configs(tool, extra):
    result = run_bad(tool, MISSPELT_CFG, *extra)
    assert result.returncode != 0
    assert f'Config {MISSPELT_CFG} does not exist: give the path of a ' \
        'config file (.py). Closest configs: ' \
        'configs/zskt/zskt_logits_lenet5_lenet5-half_1xb128_digits.py' \
        in result.stderr
    assert 'Traceback' not in result.stderr


def test_train_refuses_a_work_dir_that_is_a_file(tmp_path):
    work_file = tmp_path / 'work'
    work_file.write_text('')
    result = run_bad('tools/train.py', STUDENT_CFG, '--work-dir',
                     str(work_file))
    assert result.returncode != 0
    assert f'The work dir {work_file} is a file, not a folder: pass ' \
        '--work-dir a folder (it is created when missing).' in result.stderr
    assert 'Traceback' not in result.stderr


def test_train_refuses_load_from_of_another_model(tmp_path):
    result = run_bad('tools/train.py', STUDENT_CFG, '--work-dir',
                     str(tmp_path), '--cfg-options',
                     f'load_from={TEACHER_CKPT}')
    assert result.returncode != 0
    assert f'Cannot load `load_from`: {TEACHER_CKPT} does not fit the model ' \
        'built from the config (ImageClassifier): shape mismatches: ' \
        'backbone.stages.0.0.weight (checkpoint (6, 1, 5, 5), model ' \
        '(3, 1, 5, 5))' in result.stderr
    assert 'Epoch(train)' not in result.stdout + result.stderr


@pytest.mark.parametrize('kind', sorted(UNREADABLE))
def test_train_and_test_refuse_an_unreadable_checkpoint(tmp_path, kind):
    """``load_from`` of tools/train.py and the checkpoint of tools/test.py:

    the file, what is wrong and what to do, before the Runner starts.
    """
    path = make_unreadable(str(tmp_path / 'model.pth'), kind)
    problem, fix = UNREADABLE[kind]
    for tool, args, action in (
        ('tools/train.py', ['--cfg-options',
                            f'load_from={path}'], 'load `load_from`'),
        ('tools/test.py', [path], 'test'),
    ):
        result = run_bad(tool, STUDENT_CFG, *args, '--work-dir',
                         str(tmp_path / 'work'))
        assert result.returncode == 1
        message = result.stderr.strip().splitlines()[-1]
        assert re.match(f'Cannot {action}: {path} {problem}', message), \
            message
        assert fix in message
        assert not (tmp_path / 'work').exists()  # the Runner never started


def test_train_with_a_truncated_teacher_says_what_to_do(tmp_path):
    """As a user would: ``teacher_ckpt`` at the first 20 kB of a real one
    (torch's reader ends in ``OSError: [Errno 22] Invalid argument``)."""
    path = make_unreadable(str(tmp_path / 'teacher.pth'), 'truncated')
    result = run_bad(
        'tools/train.py',
        'configs/zskt/zskt_logits_lenet5_lenet5-half_1xb128_digits.py',
        '--work-dir', str(tmp_path / 'work'), '--cfg-options',
        f'model.teacher_ckpt={path}')
    assert result.returncode == 1
    message = result.stderr.strip().splitlines()[-1]
    assert message.startswith(
        'mmrazor_zs.models.utils.teacher_checkpoint.TeacherCheckpointError: '
        f'Cannot read the teacher checkpoint (`model.teacher_ckpt`): {path} '
        'is truncated: it begins as a zip archive'), message
    assert 'Download or copy it again' in message
    assert 'Errno 22' not in result.stderr


def test_belief_match_refuses_a_checkpoint_of_another_student(tmp_path):
    result = run_bad(
        'tools/analysis_tools/belief_match.py', 'configs/zskt/'
        'zskt_logits_lenet5_lenet5-half_1xb128_digits.py', TEACHER_CKPT,
        '--out', str(tmp_path))
    assert result.returncode != 0
    assert f'Cannot measure: {TEACHER_CKPT} does not fit the student built ' \
        'from the config: shape mismatches: backbone.stages.0.0.weight ' \
        '(checkpoint (6, 1, 5, 5), model (3, 1, 5, 5))' in result.stderr
    assert 'pass --partial-load' in result.stderr
