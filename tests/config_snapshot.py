# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Every config under ``configs/`` merged to a plain, canonical value.

The snapshot in ``tests/data/merged_configs.json`` holds what each config
(every ``configs/**/*.py`` outside ``configs/_base_/``) merges to with
``mmengine.Config.fromfile``; ``tests/test_config_snapshot.py`` checks that
reshaping the ``_base_`` pieces leaves every merge as it was. Refresh the
snapshot after a deliberate change of a recipe (and say so in the commit)::

    python -m tests.config_snapshot --update

The canonical value is JSON with sorted keys, where

- a tuple is kept apart from a list as ``{"<tuple>": [...]}``;
- the repository root is written ``<repo>``, so that the snapshot does not
  depend on where the clone lives (``{{ fileDirname }}`` expands to absolute
  paths);
- a path into the repository is normalised (``a/b/../c`` is ``a/c``), so
  that a ``cfg_path`` moved from a leaf into a ``_base_`` piece, which names
  the same file from another folder, merges to the same value.
"""
import argparse
import glob
import json
import os.path as osp
import posixpath
import sys
from typing import Any, Dict, List, Optional

from mmengine.config import Config

REPO_ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
SNAPSHOT = osp.join(REPO_ROOT, 'tests', 'data', 'merged_configs.json')
UPDATE_COMMAND = 'python -m tests.config_snapshot --update'
REPO = '<repo>'
TUPLE = '<tuple>'


def discover_configs(root: str = REPO_ROOT) -> List[str]:
    """Return the configs under ``configs/``, ``_base_`` pieces excluded.

    Args:
        root (str): The repository root. Defaults to this repository.

    Returns:
        list[str]: Sorted paths relative to ``root``, with ``/`` separators.
    """
    found = glob.glob(osp.join(root, 'configs', '**', '*.py'), recursive=True)
    relative = (
        osp.relpath(path, root).replace(osp.sep, '/') for path in found)
    return sorted(
        path for path in relative if not path.startswith('configs/_base_/'))


def canonical(value: Any, root: str = REPO_ROOT) -> Any:
    """Return ``value`` as plain JSON data, independent of the clone's place.

    Args:
        value (Any): A merged config value (dicts, lists, tuples, scalars).
        root (str): The repository root to write as ``<repo>``. Defaults to
            this repository.

    Returns:
        Any: Dicts, lists, strings, numbers, booleans and ``None`` only.

    Raises:
        TypeError: If a dict has a key that is not a string or ``value``
            holds an object that JSON cannot write.
    """
    if isinstance(value, dict):
        for key in value:
            if not isinstance(key, str):
                raise TypeError(f'A config dict key must be a string to be '
                                f'snapshotted, got {key!r}; write the dict '
                                'with string keys.')
        return {key: canonical(item, root) for key, item in value.items()}
    if isinstance(value, tuple):
        return {TUPLE: [canonical(item, root) for item in value]}
    if isinstance(value, list):
        return [canonical(item, root) for item in value]
    if isinstance(value, str):
        if root not in value:
            return value
        value = value.replace(root, REPO).replace(osp.sep, '/')
        return posixpath.normpath(value) if value.startswith(REPO) else value
    if value is None or isinstance(value, (bool, int, float)):
        return value
    raise TypeError(f'A config value must be plain data to be snapshotted, '
                    f'got {type(value).__name__}: {value!r}.')


def merge(config: str, root: str = REPO_ROOT) -> Dict[str, Any]:
    """Return the canonical merge of one config.

    Args:
        config (str): Path relative to ``root``.
        root (str): The repository root. Defaults to this repository.

    Returns:
        dict: The config's merged dict, made canonical by :func:`canonical`.
    """
    cfg = Config.fromfile(osp.join(root, config))
    return canonical(cfg.to_dict(), root)


def merge_all(root: str = REPO_ROOT) -> Dict[str, Dict[str, Any]]:
    """Return the canonical merge of every config, keyed by its path.

    Args:
        root (str): The repository root. Defaults to this repository.

    Returns:
        dict: ``{config path: canonical merged dict}``.
    """
    return {config: merge(config, root) for config in discover_configs(root)}


def load_snapshot(path: str = SNAPSHOT) -> Dict[str, Dict[str, Any]]:
    """Return the stored snapshot.

    Args:
        path (str): The snapshot file. Defaults to
            ``tests/data/merged_configs.json``.

    Returns:
        dict: ``{config path: canonical merged dict}``.
    """
    with open(path, encoding='utf-8') as file:
        return json.load(file)


def dumps(merged: Dict[str, Dict[str, Any]]) -> str:
    """Return the snapshot text: sorted keys, one value a line.

    Args:
        merged (dict): ``{config path: canonical merged dict}``.

    Returns:
        str: Indented JSON with sorted keys and a final newline.
    """
    return json.dumps(merged, indent=1, sort_keys=True) + '\n'


def differences(expected: Any, actual: Any, where: str = '') -> List[str]:
    """Return one readable line per key where two merges differ.

    Args:
        expected (Any): The snapshot's canonical value.
        actual (Any): The current canonical value.
        where (str): The dotted key of these values. Defaults to ''.

    Returns:
        list[str]: Lines such as ``model.batch_size: 256 -> 128``; empty when
        the values are equal.
    """
    if isinstance(expected, dict) and isinstance(actual, dict):
        lines = []
        for key in sorted(set(expected) | set(actual)):
            inner = f'{where}.{key}' if where else key
            if key not in actual:
                lines.append(f'{inner}: removed (was {expected[key]!r})')
            elif key not in expected:
                lines.append(f'{inner}: added ({actual[key]!r})')
            else:
                lines += differences(expected[key], actual[key], inner)
        return lines
    if (isinstance(expected, list) and isinstance(actual, list)
            and len(expected) == len(actual)):
        lines = []
        for index, (old, new) in enumerate(zip(expected, actual)):
            lines += differences(old, new, f'{where}[{index}]')
        return lines
    if expected == actual and type(expected) is type(actual):
        return []
    return [f'{where or "<root>"}: {expected!r} -> {actual!r}']


def main(argv: Optional[List[str]] = None) -> int:
    """Check the configs against the snapshot, or rewrite it.

    Args:
        argv (list[str], optional): Command-line arguments. Defaults to
            ``sys.argv[1:]``.

    Returns:
        int: 0 when the snapshot is written or matches, else 1.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        '--update',
        action='store_true',
        help='write the current merge of every config to the snapshot')
    parser.add_argument(
        '--out', default=SNAPSHOT, help='the snapshot file to write or read')
    args = parser.parse_args(argv)
    merged = merge_all()
    if args.update:
        with open(args.out, 'w', encoding='utf-8') as file:
            file.write(dumps(merged))
        print(f'wrote {len(merged)} configs to {args.out}')
        return 0
    stored = load_snapshot(args.out)
    failed = 0
    for config, expected in sorted(stored.items()):
        if config not in merged:
            print(f'{config}: in the snapshot but gone; run {UPDATE_COMMAND}')
            failed += 1
            continue
        lines = differences(expected, merged[config])
        if lines:
            print('\n  '.join([f'{config}:'] + lines))
            failed += 1
    print(f'{len(stored) - failed} of {len(stored)} configs merge as in '
          f'{args.out}; {len(set(merged) - set(stored))} not in it')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
