# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""The ``.mim`` folder of setup.py and the package's shipped checkpoints."""
import os
import os.path as osp
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from mmrazor_zs import __version__
from mmrazor_zs.utils import download, resolve_checkpoint
from ..conftest import REPO_ROOT, load_module_from_file

MIM_NAMES = ('configs', 'tools', 'model-index.yml', 'checkpoints')
TEACHER = 'checkpoints/lenet5_1xb64_digits-fe2ed308.pth'
ZSKT_CONFIG = 'configs/zskt/zskt_logits_lenet5_lenet5-half_1xb128_digits.py'


def load_setup_module():
    """``setup.py`` as a module; ``setup()`` itself runs only as __main__."""
    return load_module_from_file('mmrazor_zs_setup',
                                 osp.join(REPO_ROOT, 'setup.py'))


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


@pytest.fixture(scope='module')
def wheel_site(tmp_path_factory) -> Path:
    """The project built as a wheel (a regular, non-editable install) and
    unpacked into a site directory of its own."""
    tmp_path = tmp_path_factory.mktemp('wheel')
    src = tmp_path / 'src'
    src.mkdir()
    for name in ('setup.py', 'README.md', 'MANIFEST.in', 'model-index.yml'):
        shutil.copyfile(osp.join(REPO_ROOT, name), src / name)
    ignore = shutil.ignore_patterns('__pycache__', '*.pyc', '.mim')
    for name in ('requirements', 'mmrazor_zs', 'configs', 'tools',
                 'checkpoints', 'tests'):
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
        archive.extractall(site)
    return site


def run_from(site: Path, cwd: Path, argv: list) -> subprocess.CompletedProcess:
    """``argv`` with ``site`` (the unpacked wheel) first on the path."""
    env = dict(
        os.environ,
        PYTHONPATH=str(site),
        PYTHONWARNINGS='ignore',
        OMP_NUM_THREADS='1')
    return subprocess.run(
        argv, cwd=cwd, env=env, capture_output=True, text=True)


def test_wheel_ships_mim_and_finds_the_teacher_from_anywhere(
        wheel_site, tmp_path):
    """A regular (non-editable) install builds the digits demo's ZSKT, its
    teacher loaded from the package, in a directory without checkpoints/."""
    site = wheel_site
    names = {
        osp.relpath(osp.join(root, f), site)
        for root, _, files in os.walk(site) for f in files
    }
    dist_info = f'mmrazor_zs-{__version__}.dist-info'
    assert sorted(os.listdir(site)) == ['mmrazor_zs', dist_info
                                        ], ('only the package is installed')
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

    config = site / 'mmrazor_zs' / '.mim' / ZSKT_CONFIG
    script = ('import mmrazor_zs, sys\n'
              'from mmengine.config import Config\n'
              'from mmrazor_zs.registry import MODELS\n'
              'from mmrazor_zs.utils import register_all_modules\n'
              'register_all_modules()\n'
              f'model = MODELS.build(Config.fromfile({str(config)!r}).model)\n'
              'print(mmrazor_zs.__file__)\n')
    result = run_from(site, tmp_path, [sys.executable, '-c', script])
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == str(site / 'mmrazor_zs' /
                                                         '__init__.py')


def test_openmim_finds_and_runs_the_installed_package(wheel_site, tmp_path):
    """openmim's own CLI on the regular install: search reads the model index,
    ``mim test`` evaluates a shipped student, ``mim train`` runs the digits
    demo for a few iterations, ``mim run`` starts an analysis tool; all from a
    directory that holds no configs and no checkpoints."""
    pytest.importorskip(
        'mim',
        reason='openmim is installed by the README test command: '
        'pip install --no-deps openmim')
    mim = [sys.executable, '-c', 'from mim.cli import cli; cli()']
    student = ('checkpoints/'
               'zskt_logits_lenet5_lenet5-half_1xb128_digits_student-'
               '3cd453e5.pth')

    search = run_from(wheel_site, tmp_path, mim + ['search', 'mmrazor_zs'])
    assert search.returncode == 0, search.stdout[-2000:] + search.stderr
    assert 'config id: zskt_logits_lenet5_lenet5-half_1xb128_digits' in (
        search.stdout)

    test = run_from(
        wheel_site, tmp_path, mim + [
            'test', 'mmrazor_zs', 'lenet5-half_1xb64_digits.py',
            '--checkpoint', student
        ])
    assert test.returncode == 0, test.stdout[-2000:] + test.stderr[-2000:]
    assert 'accuracy/top1: 96.6667' in test.stdout + test.stderr

    train = run_from(
        wheel_site, tmp_path, mim + [
            'train', 'mmrazor_zs',
            osp.basename(ZSKT_CONFIG), '--work-dir', 'w', '--cfg-options',
            'train_cfg.max_iters=2', 'train_cfg.val_interval=2'
        ])
    assert train.returncode == 0, train.stdout[-2000:] + train.stderr[-2000:]
    assert (tmp_path / 'w' / 'iter_2.pth').is_file()

    config = wheel_site / 'mmrazor_zs' / '.mim' / ZSKT_CONFIG
    run = run_from(
        wheel_site, tmp_path, mim + [
            'run', 'mmrazor_zs', 'belief_match',
            str(config), student, '--num-images', '4', '--steps', '2', '--out',
            'bm'
        ])
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    assert 'MTE' in run.stdout
    assert any((tmp_path / 'bm').iterdir())
