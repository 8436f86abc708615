# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Install mmrazor_zs: ``pip install -e .`` (add ``[tests]`` for the suite)."""
import os
import shutil
import sys
import warnings
from pathlib import Path
from setuptools import find_packages, setup
from typing import Optional, Sequence

HERE = Path(__file__).parent
# What OpenMMLab's ``mim`` looks for in ``<package>/.mim``; the checkpoints
# let the shipped configs find their teachers from any working directory.
MIM_FILES = ('configs', 'tools', 'model-index.yml', 'checkpoints')


def read_version() -> str:
    namespace: dict = {}
    exec((HERE / 'mmrazor_zs' / 'version.py').read_text(), namespace)
    return namespace['__version__']


def read_requirements(name: str) -> list:
    lines = (HERE / 'requirements' / name).read_text().splitlines()
    return [
        ln.strip() for ln in lines if ln.strip() and not ln.startswith('#')
    ]


def mim_mode(argv: Sequence[str]) -> Optional[str]:
    """How the setup command ``argv`` ships the ``.mim`` folder.

    Args:
        argv (Sequence[str]): The command line of ``setup.py``.

    Returns:
        str, optional: ``'symlink'`` for editable installs (``develop``,
        ``editable_wheel``), ``'copy'`` for ``sdist`` and ``bdist_wheel``,
        None for other commands (``egg_info`` and the like).
    """
    if 'develop' in argv or 'editable_wheel' in argv:
        return 'symlink'
    if 'sdist' in argv or 'bdist_wheel' in argv:
        return 'copy'
    return None


def add_mim_extension(mode: str, repo: Path = HERE) -> None:
    """Put configs, tools, model-index.yml and checkpoints in ``.mim``.

    ``mim`` (openmim) finds a package's model index, configs and tools in
    ``<package>/.mim``, as mmpretrain's setup.py provides them: relative
    symlinks to the originals for an editable install, copies otherwise.
    An original that is absent (a build from an sdist, which carries only
    the copies) leaves its existing copy alone.

    Args:
        mode (str): ``'symlink'`` or ``'copy'``.
        repo (Path): The source tree holding ``mmrazor_zs/``. Defaults to
            the folder of this file.
    """
    if mode not in ('symlink', 'copy'):
        raise ValueError(f"mode must be 'symlink' or 'copy', not {mode!r}.")
    mim = repo / 'mmrazor_zs' / '.mim'
    mim.mkdir(parents=True, exist_ok=True)
    for name in MIM_FILES:
        src, dst = repo / name, mim / name
        if not src.exists():
            continue
        if dst.is_symlink() or dst.is_file():
            dst.unlink()
        elif dst.is_dir():
            shutil.rmtree(dst)
        if mode == 'symlink':
            try:
                os.symlink(os.path.relpath(src, mim), dst)
                continue
            except OSError as err:  # e.g. Windows without the privilege
                warnings.warn(f'Cannot symlink {dst} ({err}); copying '
                              f'{src} instead.')
        if src.is_dir():
            shutil.copytree(
                src,
                dst,
                ignore=shutil.ignore_patterns('__pycache__', '*.pyc'))
        else:
            shutil.copyfile(src, dst)


if __name__ == '__main__':
    MODE = mim_mode(sys.argv)
    if MODE is not None:
        add_mim_extension(MODE)
    setup(
        name='mmrazor_zs',
        version=read_version(),
        description='Config-driven zoo of data-free (zero-shot) knowledge '
        'distillation algorithms on mmengine and mmpretrain',
        long_description=(HERE / 'README.md').read_text(encoding='utf-8'),
        long_description_content_type='text/markdown',
        packages=find_packages(
            exclude=('configs', 'tools', 'tests', 'tests.*', 'docs')),
        python_requires='>=3.10',
        install_requires=read_requirements('runtime.txt'),
        extras_require={
            'tests': read_requirements('tests.txt'),
            'lint': read_requirements('lint.txt'),
            'docs': read_requirements('docs.txt'),
        },
        license='Apache License 2.0',
        include_package_data=True,
        zip_safe=False,
    )
