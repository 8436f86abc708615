# Copyright (c) mmrazor_zs contributors. All rights reserved.
import importlib.util
import os
import subprocess
import sys
from types import ModuleType
from typing import Optional

import pytest
import torch
from mmengine.registry import DefaultScope

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(autouse=True)
def mmrazor_zs_scope():
    """Build everything in the mmrazor_zs scope, as the configs do."""
    name = 'mmrazor_zs-tests'
    if not DefaultScope.check_instance_created(name):
        DefaultScope.get_instance(name, scope_name='mmrazor_zs')
    with DefaultScope.overwrite_default_scope('mmrazor_zs'):
        yield


@pytest.fixture
def repo_root() -> str:
    return REPO_ROOT


@pytest.fixture(autouse=True)
def seeded():
    torch.manual_seed(0)
    yield


def python_env() -> dict:
    """Environment for subprocesses: one thread each, repo on the path."""
    env = dict(os.environ)
    env['OMP_NUM_THREADS'] = '1'
    env['PYTHONPATH'] = os.pathsep.join(
        [REPO_ROOT] +
        [p for p in env.get('PYTHONPATH', '').split(os.pathsep) if p])
    env.setdefault('PYTHONWARNINGS', 'ignore')
    return env


PYTHON = sys.executable


def load_module_from_file(name: str, path: str) -> ModuleType:
    """A fresh module from a file outside the package (a tool, setup.py, a
    Sphinx extension), executed under ``name``."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None, path
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_tool(*args: str,
             check: bool = True,
             env: Optional[dict] = None,
             timeout: int = 600) -> subprocess.CompletedProcess:
    """Run ``python ARGS`` from the repository root (a tool of the repository)
    in :func:`python_env` or ``env``; with ``check``, fail with the tool's
    output when it exits non-zero."""
    result = subprocess.run([PYTHON, *args],
                            cwd=REPO_ROOT,
                            env=python_env() if env is None else env,
                            capture_output=True,
                            text=True,
                            timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f'{args} failed:\n{result.stdout[-3000:]}\n'
                             f'{result.stderr[-3000:]}')
    return result
