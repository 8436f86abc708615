# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Unreadable copies of a real checkpoint, one per way a file goes bad, and the
words the error for each must contain: the tests of every place that reads a
checkpoint (teacher, ``load_from``, ``--resume``, pool and impression shards)
share them."""
import os.path as osp
import zipfile

from .conftest import REPO_ROOT

#: a real checkpoint to damage
REAL = osp.join(REPO_ROOT, 'checkpoints', 'lenet5_1xb64_digits-fe2ed308.pth')

#: kind -> (what the error says is wrong, what it says to do)
UNREADABLE = {
    'truncated':
    (r'is truncated: it begins as a zip archive', 'Download or copy it again'),
    'empty': (r'is empty \(0 bytes\)', 'Download or copy it again'),
    'not a checkpoint':
    ('is not a PyTorch checkpoint: it is neither', 'Pass the .pth file'),
    'wrong zip': ('is a zip archive but not a PyTorch checkpoint: it holds '
                  r'no data.pkl \(it holds notes.txt\)', 'Pass the .pth file'),
}


def make_unreadable(path: str, kind: str, source: str = REAL) -> str:
    """Write at ``path`` a file gone bad in the way ``kind`` (a key of
    :data:`UNREADABLE`) names, made from ``source``; return ``path``."""
    with open(source, 'rb') as file:
        whole = file.read()
    if kind == 'wrong zip':
        with zipfile.ZipFile(path, 'w') as archive:
            archive.writestr('notes.txt', 'not weights')
        return path
    data = dict(
        truncated=whole[:min(20_000,
                             len(whole) // 2)],
        empty=b'',
        **{'not a checkpoint': b'# a config, not weights\n'})[kind]
    with open(path, 'wb') as file:
        file.write(data)
    return path
