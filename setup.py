# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Install mmrazor_zs: ``pip install -e .`` (add ``[tests]`` for the suite)."""
from pathlib import Path

from setuptools import find_packages, setup

HERE = Path(__file__).parent


def read_version() -> str:
    namespace: dict = {}
    exec((HERE / 'mmrazor_zs' / 'version.py').read_text(), namespace)
    return namespace['__version__']


def read_requirements(name: str) -> list:
    lines = (HERE / 'requirements' / name).read_text().splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.startswith('#')]


setup(
    name='mmrazor_zs',
    version=read_version(),
    description='Config-driven zoo of data-free (zero-shot) knowledge '
    'distillation algorithms on mmengine and mmpretrain',
    long_description=(HERE / 'README.md').read_text(encoding='utf-8'),
    long_description_content_type='text/markdown',
    packages=find_packages(exclude=('configs', 'tools', 'tests', 'docs')),
    python_requires='>=3.10',
    install_requires=read_requirements('runtime.txt'),
    extras_require={'tests': read_requirements('tests.txt')},
    license='Apache License 2.0',
    zip_safe=False,
)
