# Copyright (c) mmrazor_zs contributors. All rights reserved.
import re

import pytest
import torch
from mmengine.runner import Runner

from mmrazor_zs.models.utils import (TeacherCheckpointError,
                                     load_teacher_checkpoint)
from mmrazor_zs.registry import MODELS
from mmrazor_zs.testing import tiny_classifier_cfg, tiny_zskt_cfg
from tests.unreadable import UNREADABLE, make_unreadable


@pytest.fixture
def teacher_file(tmp_path):
    """A teacher checkpoint in mmengine's format, with DDP prefixes."""
    teacher = MODELS.build(tiny_zskt_cfg()['teacher'])
    state = {f'module.{k}': v for k, v in teacher.state_dict().items()}
    path = tmp_path / 'teacher.pth'
    torch.save({'meta': {'epoch': 3, 'iter': 30}, 'state_dict': state}, path)
    return str(path), teacher


def test_teacher_loaded_after_init_survives_runner_init(teacher_file):
    path, reference = teacher_file
    model = MODELS.build(tiny_zskt_cfg(teacher_ckpt=path))
    model.init_weights()  # what the Runner does before training
    for key, value in reference.state_dict().items():
        assert torch.equal(model.teacher.state_dict()[key], value), key


def test_bare_state_dict_loads(tmp_path):
    teacher = MODELS.build(tiny_zskt_cfg()['teacher'])
    path = tmp_path / 'bare.pth'
    torch.save(teacher.state_dict(), path)
    other = MODELS.build(tiny_zskt_cfg()['teacher'])
    load_teacher_checkpoint(other, str(path))
    assert torch.equal(other.head.fc.weight, teacher.head.fc.weight)


def test_missing_file_says_what_to_do(tmp_path):
    with pytest.raises(
            TeacherCheckpointError,
            match='Teacher checkpoint not found: .*teacher_ckpt'):
        MODELS.build(tiny_zskt_cfg(teacher_ckpt=str(tmp_path / 'no.pth')))


@pytest.mark.parametrize('kind', sorted(UNREADABLE))
def test_unreadable_file_names_the_setting_the_problem_and_the_fix(
        tmp_path, kind):
    path = make_unreadable(str(tmp_path / 'teacher.pth'), kind)
    problem, fix = UNREADABLE[kind]
    with pytest.raises(TeacherCheckpointError) as err:
        MODELS.build(tiny_zskt_cfg(teacher_ckpt=path))
    assert re.match(
        r'Cannot read the teacher checkpoint \(`model.teacher_ckpt`\): '
        f'{path} {problem}', str(err.value)), str(err.value)
    assert fix in str(err.value)


def test_a_file_without_weights_is_refused(tmp_path):
    path = tmp_path / 'meta.pth'
    torch.save({'meta': {'epoch': 3}}, path)
    with pytest.raises(
            TeacherCheckpointError,
            match=f'teacher_ckpt`\\): {path} holds no state dict'):
        MODELS.build(tiny_zskt_cfg(teacher_ckpt=str(path)))


def test_diverged_teacher_is_refused(tmp_path):
    teacher = MODELS.build(tiny_zskt_cfg()['teacher'])
    state = teacher.state_dict()
    state['head.fc.weight'][0, 0] = float('nan')
    path = tmp_path / 'diverged.pth'
    torch.save({'state_dict': state}, path)
    with pytest.raises(
            TeacherCheckpointError,
            match=r'NaN or infinite values in head\.fc\.weight'):
        MODELS.build(tiny_zskt_cfg(teacher_ckpt=str(path)))


def test_other_architecture_lists_missing_and_unexpected_keys(tmp_path):
    other = MODELS.build(
        dict(
            tiny_classifier_cfg(),
            neck=None,
            head=dict(type='LinearClsHead', num_classes=10, in_channels=24)))
    state = {
        f'{prefix}.{k}': v
        for k, v in other.state_dict().items() for prefix in ('extra', 'more')
    }
    path = tmp_path / 'other.pth'
    torch.save({'state_dict': state}, path)
    with pytest.raises(TeacherCheckpointError) as err:
        MODELS.build(tiny_zskt_cfg(teacher_ckpt=str(path)))
    message = str(err.value)
    assert 'missing keys: backbone.stages.0.0.weight' in message
    assert 'unexpected keys: extra.backbone.stages.0.0.weight' in message
    assert 'more)' in message  # long lists are shortened


def test_class_count_of_checkpoint_is_reported(tmp_path):
    teacher = MODELS.build(
        dict(tiny_classifier_cfg((6, 12, 24), num_classes=100)))
    path = tmp_path / 'hundred.pth'
    torch.save({'state_dict': teacher.state_dict()}, path)
    with pytest.raises(
            TeacherCheckpointError,
            match=r'head.fc.weight \(checkpoint \(100, 24\), '
            r'model \(10, 24\)\)'):
        MODELS.build(tiny_zskt_cfg(teacher_ckpt=str(path)))


def test_distillation_checkpoint_gets_a_hint(tmp_path):
    zskt = MODELS.build(tiny_zskt_cfg())
    path = tmp_path / 'zskt.pth'
    torch.save({'state_dict': zskt.state_dict()}, path)
    with pytest.raises(TeacherCheckpointError, match='extract_student.py'):
        MODELS.build(tiny_zskt_cfg(teacher_ckpt=str(path)))


def test_unsafe_pickle_is_refused_unless_trusted(tmp_path):
    teacher = MODELS.build(tiny_zskt_cfg()['teacher'])
    path = tmp_path / 'pickled.pth'
    torch.save({
        'state_dict': teacher.state_dict(),
        'meta': {
            'run': Runner
        }
    }, path)
    with pytest.raises(TeacherCheckpointError, match='--trust-checkpoint'):
        MODELS.build(tiny_zskt_cfg(teacher_ckpt=str(path)))
    model = MODELS.build(
        tiny_zskt_cfg(teacher_ckpt=str(path), trust_teacher_ckpt=True))
    assert torch.equal(model.teacher.head.fc.weight, teacher.head.fc.weight)
