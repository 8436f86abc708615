# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""The ``.mim`` folder of setup.py and the package's shipped checkpoints."""
import importlib.util
import os
import os.path as osp
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from mmrazor_zs.utils import download, resolve_checkpoint
from ..conftest import REPO_ROOT

MIM_NAMES = ('configs', 'tools', 'model-index.yml', 'checkpoints')
TEACHER = 'checkpoints/lenet5_1xb64_digits-fe2ed308.pth'
ZSKT_CONFIG = 'configs/zskt/zskt_logits_lenet5_lenet5-half_1xb128_digits.py'


def load_setup_module():
    """``setup.py`` as a module; ``setup()`` itself runs only as __main__."""
    spec = importlib.util.spec_from_file_location(
        'mmrazor_zs_setup', osp.join(REPO_ROOT, 'setup.py'))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def source_tree(tmp_path: Path) -> Path:
    """A small source tree with the four things ``.mim`` ships."""
    src = tmp_path / 'src'
    (src / 'mmrazor_zs').mkdir(parents=True)
    (src / 'configs' / 'zskt' / '__pycache__').mkdir(parents=True)
    (src / 'configs' / 'zskt' / 'a.py').write_text('x = 1\n')
    (src / 'configs' / 'zskt' / '__pycache__' / 'a.pyc').write_text('')
    (src / 'tools').mkdir()
    (src / 'tools' / 'train.py').write_text('print(1)\n')
    (src / 'model-index.yml').write_text('Import: []\n')
    (src / 'checkpoints').mkdir()
    (src / 'checkpoints' / 'c.pth').write_bytes(b'weights')
    return src


@pytest.mark.parametrize('argv,mode', [
    (['setup.py', 'develop'], 'symlink'),
    (['setup.py', 'editable_wheel', '--dist-dir', 'd'], 'symlink'),
    (['setup.py', 'bdist_wheel', '--dist-dir', 'd'], 'copy'),
    (['setup.py', 'sdist'], 'copy'),
    (['setup.py', 'egg_info'], None),
])
def test_mim_mode_follows_the_setup_command(argv, mode):
    assert load_setup_module().mim_mode(argv) == mode


def test_editable_install_links_the_originals(source_tree):
    load_setup_module().add_mim_extension('symlink', source_tree)
    mim = source_tree / 'mmrazor_zs' / '.mim'
    assert sorted(os.listdir(mim)) == sorted(MIM_NAMES)
    for name in MIM_NAMES:
        assert (mim / name).is_symlink()
        # relative, so that the tree can be moved
        assert os.readlink(mim / name) == osp.join('..', '..', name)
        assert (mim / name).resolve() == (source_tree / name).resolve()
    assert (mim / 'checkpoints' / 'c.pth').read_bytes() == b'weights'


def test_regular_install_copies_over_the_links(source_tree):
    setup_module = load_setup_module()
    setup_module.add_mim_extension('symlink', source_tree)
    setup_module.add_mim_extension('copy', source_tree)
    mim = source_tree / 'mmrazor_zs' / '.mim'
    assert sorted(os.listdir(mim)) == sorted(MIM_NAMES)
    for name in MIM_NAMES:
        assert not (mim / name).is_symlink()
    assert (mim / 'configs' / 'zskt' / 'a.py').read_text() == 'x = 1\n'
    assert not (mim / 'configs' / 'zskt' / '__pycache__').exists()
    assert (mim / 'tools' / 'train.py').read_text() == 'print(1)\n'
    assert (mim / 'model-index.yml').read_text() == 'Import: []\n'
    assert (mim / 'checkpoints' / 'c.pth').read_bytes() == b'weights'
    # replacing the links left the originals whole
    assert (source_tree / 'configs' / 'zskt' / 'a.py').is_file()
    assert (source_tree / 'checkpoints' / 'c.pth').is_file()


def test_build_from_an_sdist_keeps_the_copies(source_tree):
    """An sdist carries ``.mim`` but not the top-level originals."""
    setup_module = load_setup_module()
    setup_module.add_mim_extension('copy', source_tree)
    shutil.rmtree(source_tree / 'configs')
    setup_module.add_mim_extension('copy', source_tree)
    mim = source_tree / 'mmrazor_zs' / '.mim'
    assert (mim / 'configs' / 'zskt' / 'a.py').read_text() == 'x = 1\n'


def test_unknown_mode_is_refused(source_tree):
    with pytest.raises(ValueError, match="'symlink' or 'copy'"):
        load_setup_module().add_mim_extension('hardlink', source_tree)


def test_relative_checkpoint_falls_back_to_the_package_copy(
        tmp_path, monkeypatch):
    mim = tmp_path / 'package' / '.mim'
    (mim / 'checkpoints').mkdir(parents=True)
    (mim / 'checkpoints' / 't.pth').write_bytes(b'shipped')
    monkeypatch.setattr(download, 'MIM_DIR', str(mim))
    work = tmp_path / 'work'
    work.mkdir()
    monkeypatch.chdir(work)

    assert resolve_checkpoint('checkpoints/t.pth') == str(mim / 'checkpoints' /
                                                          't.pth')
    # missing in both places: unchanged, for the caller's error message
    assert resolve_checkpoint('checkpoints/u.pth') == 'checkpoints/u.pth'
    # an absolute path is never redirected
    absolute = str(work / 'checkpoints' / 't.pth')
    assert resolve_checkpoint(absolute) == absolute
    # a file in the working directory wins over the package's copy
    (work / 'checkpoints').mkdir()
    (work / 'checkpoints' / 't.pth').write_bytes(b'mine')
    assert resolve_checkpoint('checkpoints/t.pth') == 'checkpoints/t.pth'


def test_wheel_ships_mim_and_finds_the_teacher_from_anywhere(tmp_path):
    """A regular (non-editable) install builds the digits demo's ZSKT, its
    teacher loaded from the package, in a directory without checkpoints/."""
    src = tmp_path / 'src'
    src.mkdir()
    for name in ('setup.py', 'README.md', 'MANIFEST.in', 'model-index.yml'):
        shutil.copyfile(osp.join(REPO_ROOT, name), src / name)
    ignore = shutil.ignore_patterns('__pycache__', '*.pyc', '.mim')
    for name in ('requirements', 'mmrazor_zs', 'configs', 'tools',
                 'checkpoints'):
        shutil.copytree(osp.join(REPO_ROOT, name), src / name, ignore=ignore)
    subprocess.run([
        sys.executable, '-m', 'pip', 'wheel', '-q', '--no-deps',
        '--no-build-isolation', '--no-index', '-w',
        str(tmp_path / 'dist'), '.'
    ],
                   cwd=src,
                   check=True)
    (wheel, ) = (tmp_path / 'dist').glob('mmrazor_zs-*.whl')
    site = tmp_path / 'site'
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(site)
    for name in ('model-index.yml', ZSKT_CONFIG, 'configs/zskt/metafile.yml',
                 'tools/train.py', 'tools/dist_train.sh', TEACHER):
        assert f'mmrazor_zs/.mim/{name}' in names
    originals = [
        osp.relpath(osp.join(root, f), REPO_ROOT)
        for name in ('configs', 'tools', 'checkpoints')
        for root, _, files in os.walk(osp.join(REPO_ROOT, name))
        if '__pycache__' not in root for f in files
    ]
    missing = [n for n in originals if f'mmrazor_zs/.mim/{n}' not in names]
    assert not missing, f'not in the wheel: {missing}'

    work = tmp_path / 'work'
    work.mkdir()
    config = site / 'mmrazor_zs' / '.mim' / ZSKT_CONFIG
    script = ('import mmrazor_zs, sys\n'
              'from mmengine.config import Config\n'
              'from mmrazor_zs.registry import MODELS\n'
              'from mmrazor_zs.utils import register_all_modules\n'
              'register_all_modules()\n'
              f'model = MODELS.build(Config.fromfile({str(config)!r}).model)\n'
              'print(mmrazor_zs.__file__)\n')
    env = dict(
        os.environ,
        PYTHONPATH=str(site),
        PYTHONWARNINGS='ignore',
        OMP_NUM_THREADS='1')
    result = subprocess.run([sys.executable, '-c', script],
                            cwd=work,
                            env=env,
                            capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().endswith(
        osp.join('site', 'mmrazor_zs', '__init__.py'))
