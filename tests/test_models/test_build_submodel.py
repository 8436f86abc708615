# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""``cfg_path`` builds another package's recipe in that file's scope."""
import torch

from mmrazor_zs.models.utils import build_submodel

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
