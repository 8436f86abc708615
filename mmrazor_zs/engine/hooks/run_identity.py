# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""What a run was (config, command, seeds, algorithm, dataset, teacher,
commit), recorded in its ``summary.json`` so that a report can group runs
without parsing their paths."""
import os
import os.path as osp
import subprocess
import sys
from typing import Any, Dict, List, Optional

from mmengine.dist import get_world_size
from mmengine.model import is_model_wrapper

#: the folder holding the ``mmrazor_zs`` package (the repository root of a
#: checkout)
PACKAGE_PARENT = osp.dirname(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))))


def relative_to_cwd(path: str) -> str:
    """``path`` relative to the working directory when it lies under it (as a
    command run from the repository root names it), else absolute."""
    absolute = osp.abspath(path)
    relative = osp.relpath(absolute, os.getcwd())
    return absolute if relative.startswith('..') else relative


def git_commit(folder: str = PACKAGE_PARENT) -> Optional[Dict[str, Any]]:
    """The commit checked out in ``folder`` and whether tracked files differ
    from it; None when ``folder`` is not the root of a git checkout or git is
    missing or slow.

    Args:
        folder (str): The checkout's root. Defaults to the folder holding
            the ``mmrazor_zs`` package.

    Returns:
        dict | None: ``commit`` (40 hex digits) and ``dirty`` (bool).
    """
    if not osp.exists(osp.join(folder, '.git')):
        return None  # an installed package, not a checkout

    def git(*args: str) -> str:
        return subprocess.run(['git', *args],
                              cwd=folder,
                              capture_output=True,
                              text=True,
                              timeout=10,
                              check=True).stdout.strip()

    try:
        commit = git('rev-parse', 'HEAD')
        dirty = bool(git('status', '--porcelain', '--untracked-files=no'))
    except (OSError, subprocess.SubprocessError):
        return None
    return dict(commit=commit, dirty=dirty)


def _command(argv: List[str]) -> List[str]:
    """``argv`` with the script's path relative to the working directory."""
    return [relative_to_cwd(argv[0]), *argv[1:]] if argv else []


def _dataset_type(cfg) -> Optional[str]:
    """The type of the evaluation dataset (validation, else test)."""
    for key in ('val_dataloader', 'test_dataloader'):
        loader = cfg.get(key) or {}
        dataset = loader.get('dataset') or {}
        if dataset.get('type'):
            return str(dataset['type'])
    return None


def run_identity(runner) -> Dict[str, Any]:
    """The fields of ``summary.json`` that say what the run was.

    Args:
        runner (Runner): The runner.

    Returns:
        dict: ``config`` (its path, relative to the working directory when
        under it), ``command`` (the process's ``sys.argv``), ``world_size``,
        ``algorithm`` (the model's class), ``dataset`` (the evaluation
        dataset's type), ``teacher_ckpt``, the seeds (``seed``: the
        runner's, i.e. ``randomness.seed`` or the one drawn for it;
        ``model_seed``: the algorithm's noise or synthesis seed, None for
        ZSKD, whose impressions' seed the train loop's summary gives) and
        ``git`` (:func:`git_commit`).
    """
    cfg = runner.cfg
    model = runner.model
    if is_model_wrapper(model):
        model = model.module
    filename = getattr(cfg, 'filename', None)
    return dict(
        config=relative_to_cwd(filename) if filename else None,
        command=_command(list(sys.argv)),
        world_size=get_world_size(),
        algorithm=type(model).__name__,
        dataset=_dataset_type(cfg),
        teacher_ckpt=(cfg.get('model') or {}).get('teacher_ckpt'),
        seed=getattr(runner, 'seed', None),
        model_seed=getattr(model, 'seed', None),
        git=git_commit(),
    )
