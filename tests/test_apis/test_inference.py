# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""The published students work with mmpretrain's inference APIs, as the "Using
the distilled student" section of docs/en/get_started.md shows."""
import ast
import os.path as osp
import re

import pytest
from mmpretrain import ImageClassificationInferencer

from mmrazor_zs.datasets import Digits
from ..conftest import REPO_ROOT

CONFIG = 'configs/teachers/lenet5-half_1xb64_digits.py'
STUDENTS = {
    'checkpoints/zskt_logits_lenet5_lenet5-half_1xb128_digits_student-'
    '3cd453e5.pth':
    96.67,
    'checkpoints/zskd_lenet5_lenet5-half_1xb64_digits_student-'
    'bf176a90.pth':
    96.67,
}


def doc_snippet() -> str:
    """The python block of the section, and the labels its comment shows."""
    with open(osp.join(REPO_ROOT, 'docs', 'en', 'get_started.md')) as f:
        text = f.read()
    match = re.search(
        r'## Using the distilled student\n.*?```python\n(.*?)```', text, re.S)
    assert match, 'get_started.md lost its "Using the distilled student"'
    return match.group(1)


def test_doc_snippet_runs_and_shows_its_output(monkeypatch):
    code = doc_snippet()
    monkeypatch.chdir(REPO_ROOT)
    namespace = {}
    exec(compile(code, 'get_started.md', 'exec'), namespace)
    shown = ast.literal_eval(
        re.search(r'print\(labels\)  # (\[.*\])', code).group(1))
    assert namespace['labels'] == shown
    assert namespace['logits'].argmax(1).tolist() == shown


@pytest.mark.parametrize('checkpoint', sorted(STUDENTS))
def test_inferencer_top1_equals_documented(checkpoint):
    digits = Digits(split='test')
    infos = [digits.get_data_info(i) for i in range(len(digits))]
    inferencer = ImageClassificationInferencer(
        osp.join(REPO_ROOT, CONFIG),
        pretrained=osp.join(REPO_ROOT, checkpoint),
        device='cpu')
    results = inferencer([info['img'] for info in infos], batch_size=150)
    correct = sum(result['pred_label'] == info['gt_label']
                  for result, info in zip(results, infos))
    assert len(results) == 450
    assert round(100 * correct / len(infos), 2) == STUDENTS[checkpoint]
