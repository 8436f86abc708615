# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""docs/en/user_guides/your_own_teacher.md, executed as written: its Python
blocks that name a file are written there and its shell blocks run, in a folder
that sees the repository's configs, tools and checkpoints."""
import json
import os
import os.path as osp
import re
import shlex
import subprocess

from ..conftest import PYTHON, REPO_ROOT, python_env

TUTORIAL = osp.join(REPO_ROOT, 'docs', 'en', 'user_guides',
                    'your_own_teacher.md')
BLOCK = re.compile(r'^```(python|shell)\n(.*?)^```$', re.M | re.S)
SHARED = ('configs', 'tools', 'checkpoints')


def tutorial_blocks() -> list:
    """The (language, text) of each fenced block of the tutorial, in order."""
    with open(TUTORIAL) as f:
        return BLOCK.findall(f.read())


def run_block(lang: str, text: str, root: str) -> list:
    """Write a file block or run a shell block's commands in ``root``; return
    the outputs of the commands."""
    first, _, body = text.partition('\n')
    if lang == 'python':
        path = osp.join(root, first.lstrip('# ').strip())
        os.makedirs(osp.dirname(path), exist_ok=True)
        with open(path, 'w') as f:
            f.write(body)
        return []
    outputs = []
    for line in text.splitlines():
        args = shlex.split(line)
        assert args[0] == 'python', f'unexpected command: {line}'
        result = subprocess.run([PYTHON, *args[1:]],
                                cwd=root,
                                env=python_env(),
                                capture_output=True,
                                text=True,
                                timeout=300)
        assert result.returncode == 0, (
            f'{line} failed:\n{result.stdout[-3000:]}\n'
            f'{result.stderr[-3000:]}')
        outputs.append(result.stdout + result.stderr)
    return outputs


def test_tutorial_runs_as_written(tmp_path):
    root = str(tmp_path)
    for name in SHARED:
        os.symlink(osp.join(REPO_ROOT, name), osp.join(root, name))
    blocks = tutorial_blocks()
    assert [lang for lang, _ in blocks].count('python') == 3
    outputs = []
    for lang, text in blocks:
        outputs += run_block(lang, text, root)

    # The teacher is none of ours and its input shape was inferred.
    assert not osp.exists(
        osp.join(REPO_ROOT, 'configs', 'teachers',
                 'lenet5-mmpretrain_1xb64_digits.py'))
    with open(
            osp.join(root, 'work_dirs', 'zskd_mine', 'impressions',
                     'manifest.json')) as f:
        assert json.load(f)['input_shape'] == [1, 32, 32]
    tests = [out for out in outputs if 'Epoch(test)' in out]
    assert len(tests) == 2
    assert all(re.search(r'accuracy/top1: \d+\.\d+', out) for out in tests)
