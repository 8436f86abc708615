# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""``cfg_path`` builds another package's recipe in that file's scope; default
arguments; the build-time probe runs once, after the whole object is built."""
import pytest
import torch
import torch.nn as nn

from mmrazor_zs.models import TeacherStudentModel
from mmrazor_zs.models.utils import build_submodel
from mmrazor_zs.models.utils.build import BuildTimeProbe
from mmrazor_zs.registry import MODELS
from mmrazor_zs.testing import (tiny_classifier_cfg, tiny_inversion_cfg,
                                tiny_zskt_cfg)

PLAIN_MMPRETRAIN_RECIPE = '''
default_scope = 'mmpretrain'
model = dict(
    type='ImageClassifier',
    backbone=dict(type='LeNet5', num_classes=-1),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(type='LinearClsHead', num_classes=10, in_channels=120))
'''


def test_cfg_path_builds_a_plain_mmpretrain_recipe(tmp_path):
    """A recipe that relies on ``default_scope='mmpretrain'`` (no ``_scope_``
    in its model) builds, and overrides still apply."""
    path = tmp_path / 'my_teacher.py'
    path.write_text(PLAIN_MMPRETRAIN_RECIPE)
    model = build_submodel(
        dict(cfg_path=str(path), head=dict(num_classes=7)), 'teacher')
    assert type(model).__name__ == 'ImageClassifier'
    logits = model(torch.zeros(2, 1, 32, 32), mode='tensor')
    assert logits.shape == (2, 7)


def test_an_explicit_scope_is_kept(repo_root):
    model = build_submodel(
        dict(cfg_path=f'{repo_root}/configs/teachers/lenet5_1xb64_digits.py'),
        'teacher')
    assert type(model.backbone).__name__ == 'LeNet5Backbone'


def test_default_args_fill_what_the_config_does_not_set():
    cfg = dict(type='ZSKTGenerator', latent_dim=4, img_size=8)
    generator = build_submodel(cfg, 'generator',
                               dict(img_size=16, out_channels=2))
    assert (generator.img_size, generator.out_channels) == (8, 2)
    assert cfg == dict(type='ZSKTGenerator', latent_dim=4, img_size=8)
    built = nn.Identity()
    assert build_submodel(built, 'generator', dict(img_size=16)) is built


class Recorded(BuildTimeProbe):
    """Records each probe with the attributes that exist at that moment."""

    def __init__(self) -> None:
        self.probes: list = []
        self.base_done = True

    def probe(self) -> None:
        self.probes.append(sorted(vars(self)))


class Child(Recorded):

    def __init__(self) -> None:
        super().__init__()
        self.child_done = True


class Grandchild(Child):
    """No ``__init__`` of its own: Child's is the outermost one."""


def test_the_probe_runs_once_after_the_most_derived_init():
    assert Recorded().probes == [['base_done', 'probes']]
    for obj in (Child(), Grandchild()):
        assert obj.probes == [['base_done', 'child_done', 'probes']]


def test_the_wrapped_init_keeps_its_signature():
    import inspect

    class WithArgs(Recorded):

        def __init__(self, size: int, name: str = 'x') -> None:
            super().__init__()

    assert list(inspect.signature(
        WithArgs.__init__).parameters) == ['self', 'size', 'name']
    assert WithArgs.__init__.__name__ == '__init__'


@pytest.mark.parametrize(
    'cfg', [
        tiny_zskt_cfg(),
        dict(type='ADI', **tiny_inversion_cfg()),
        dict(
            type='KDAT',
            teacher=tiny_classifier_cfg((6, 12, 24)),
            student=tiny_classifier_cfg((3, 6, 24)),
            input_shape=(1, 32, 32),
            kt_mode='KD'),
    ],
    ids=['ZSKT', 'ADI', 'KDAT'])
def test_every_algorithm_probes_once_when_built(cfg, monkeypatch):
    calls = []
    original = TeacherStudentModel.probe

    def counted(self):
        calls.append(type(self).__name__)
        original(self)

    monkeypatch.setattr(TeacherStudentModel, 'probe', counted)
    MODELS.build(cfg)
    assert calls == [cfg['type']]
