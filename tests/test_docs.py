# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""The docstring gate of the documentation build (docs/en/_ext).

The whole documentation build (``sphinx-build -W``) runs in ``.ci/run``, not
here; these tests check the registry check on its own, that it fails a Sphinx
build of a one-page project, and that ``api.rst`` names every public package.
"""
import importlib
import os
import pkgutil
import re
from types import ModuleType

import pytest

import mmrazor_zs
from mmrazor_zs.registry import MODELS
from .conftest import REPO_ROOT, load_module_from_file

EXT_DIR = os.path.join(REPO_ROOT, 'docs', 'en', '_ext')
PROBE = 'UndocumentedProbe'


def load_extension() -> ModuleType:
    """Import ``docs/en/_ext/registry_docstrings.py`` (not a package)."""
    return load_module_from_file(
        'registry_docstrings', os.path.join(EXT_DIR, 'registry_docstrings.py'))


@pytest.fixture
def registered_probe():
    """Register, for one test, a class of mmrazor_zs without a docstring that
    only inherits its parent's."""

    class Parent:
        """A documented parent."""

    probe = type(PROBE, (Parent, ), {'__module__': 'mmrazor_zs.models.probe'})
    MODELS.register_module(module=probe)
    yield
    MODELS._module_dict.pop(PROBE)


def test_every_registered_class_has_a_docstring():
    assert load_extension().undocumented_registered_objects() == []


def test_a_class_with_only_its_parents_docstring_is_reported(registered_probe):
    assert load_extension().undocumented_registered_objects() == [
        f'MODELS: mmrazor_zs.models.probe.{PROBE}'
    ]


def test_classes_from_other_packages_are_not_ours_to_document():
    probe = type('OutsideProbe', (), {'__module__': 'mmpretrain.probe'})
    MODELS.register_module(module=probe)
    try:
        assert load_extension().undocumented_registered_objects() == []
    finally:
        MODELS._module_dict.pop('OutsideProbe')


def test_an_undocumented_class_fails_a_sphinx_build_with_warnings_as_errors(
        registered_probe, tmp_path, capsys):
    build_main = pytest.importorskip('sphinx.cmd.build').build_main
    src = tmp_path / 'src'
    src.mkdir()
    (src / 'conf.py').write_text('import sys\n'
                                 f'sys.path.insert(0, {EXT_DIR!r})\n'
                                 "extensions = ['registry_docstrings']\n")
    (src / 'index.rst').write_text('Probe\n=====\n')
    args = ['-W', '-q', '-b', 'html', str(src), str(tmp_path / 'html')]
    assert build_main(args) == 1
    assert 'registered without a docstring: MODELS: ' \
        f'mmrazor_zs.models.probe.{PROBE}' in capsys.readouterr().err
    MODELS._module_dict[PROBE].__doc__ = 'Now documented.'
    assert build_main(args) == 0


def test_the_api_reference_covers_every_public_package(repo_root):
    with open(os.path.join(repo_root, 'docs', 'en', 'api.rst')) as f:
        documented = set(
            re.findall(r'^\.\. automodule:: (\S+)$', f.read(), re.M))
    packages = [
        info.name
        for info in pkgutil.walk_packages(mmrazor_zs.__path__, 'mmrazor_zs.')
        if info.ispkg
    ]
    public = {
        name
        for name in packages
        if getattr(importlib.import_module(name), '__all__', None)
    }
    assert public - documented == set(), 'add these to docs/en/api.rst'
    for name in documented:
        importlib.import_module(name)  # a moved package fails here
