# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Choosing the checkpoint a run resumes from, and refusing a bad one with a
clear message before the Runner starts."""
import glob
import os.path as osp
import re
from typing import List, Optional

from mmengine.logging import print_log

from .checkpoint import CheckpointError, load_checkpoint_file


def _checkpoints_newest_first(work_dir: str) -> List[str]:
    found = []
    for path in glob.glob(osp.join(work_dir, '*.pth')):
        match = re.fullmatch(r'(epoch|iter)_(\d+)\.pth', osp.basename(path))
        if match:
            found.append((int(match.group(2)), path))
    return [path for _, path in sorted(found, reverse=True)]


def last_checkpoint(work_dir: str) -> Optional[str]:
    """The checkpoint mmengine's ``WORK_DIR/last_checkpoint`` names, or None
    when the file is absent or empty (a job killed while writing it)."""
    pointer = osp.join(work_dir, 'last_checkpoint')
    if not osp.isfile(pointer):
        return None
    with open(pointer) as file:
        return file.read().strip() or None


def check_checkpoint(path: str, trust_checkpoint: bool = False) -> str:
    """Read ``path`` whole once; raise :class:`CheckpointError` naming the file
    and what is wrong with it."""
    load_checkpoint_file(path, trust_checkpoint=trust_checkpoint)
    return path


def find_resume_checkpoint(work_dir: str,
                           trust_checkpoint: bool = False) -> Optional[str]:
    """The checkpoint ``--resume`` without a path continues from.

    The one ``work_dir/last_checkpoint`` names when it reads whole; otherwise
    (a job killed while writing, a file lost or corrupt) the newest
    ``epoch_N.pth`` / ``iter_N.pth`` of ``work_dir`` that reads whole, with a
    warning for each one passed over. Corrupt files are left where they are for
    the user to look at. None when there is none.
    """
    named = last_checkpoint(work_dir)
    candidates = [named] if named else []
    candidates += [
        path for path in _checkpoints_newest_first(work_dir)
        if path not in candidates
    ]
    for path in candidates:
        try:
            return check_checkpoint(path, trust_checkpoint)
        except CheckpointError as err:
            print_log(
                f'Not resuming from this checkpoint: {err}',
                logger='current',
                level=30)
    return None
