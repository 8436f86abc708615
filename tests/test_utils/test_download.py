# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Checkpoints from http(s) URLs, served by a local ``http.server``."""
import functools
import http.server
import json
import os
import os.path as osp
import shutil
import subprocess
import threading

import pytest
import torch
from mmengine.config import Config

from mmrazor_zs.models.synthesizers.impression_synthesis import \
    teacher_fingerprint
from mmrazor_zs.models.utils import TeacherCheckpointError
from mmrazor_zs.registry import DATASETS, MODELS
from mmrazor_zs.storage import ShardStoreError
from mmrazor_zs.utils import (CheckpointDownloadError, load_checkpoint_file,
                              resolve_checkpoint, sha256_file)
from ..conftest import PYTHON, REPO_ROOT, python_env, run_tool

TEACHER = osp.join(REPO_ROOT, 'checkpoints',
                   'lenet5_1xb64_digits-fe2ed308.pth')
GOOD = 'lenet5_1xb64_digits-fe2ed308.pth'
CORRUPT = 'lenet5_corrupt-fe2ed308.pth'
MISSING = 'lenet5_missing-fe2ed308.pth'
NO_HASH = 'lenet5_digits.pth'
SHORT = 'lenet5_short.pth'  # 10 of its announced 1000 bytes arrive
ZSKT_CONFIG = 'configs/zskt/zskt_logits_lenet5_lenet5-half_1xb128_digits.py'
TEACHER_CONFIG = 'configs/teachers/lenet5_1xb64_digits.py'
SERVER_LIFETIME_S = 600


class CountingHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder and counts the requests for each path."""

    def do_GET(self) -> None:
        self.server.requests.append(self.path)
        if self.path == f'/{SHORT}':
            self.send_response(200)
            self.send_header('Content-Length', '1000')
            self.end_headers()
            self.wfile.write(b'x' * 10)
            self.close_connection = True
            return
        super().do_GET()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture(scope='module')
def server(tmp_path_factory):
    """A zoo on 127.0.0.1: the teacher, a truncated copy under a name with the
    teacher's hash, and the teacher under a name without one."""
    root = tmp_path_factory.mktemp('zoo')
    shutil.copy(TEACHER, root / GOOD)
    shutil.copy(TEACHER, root / NO_HASH)
    data = open(TEACHER, 'rb').read()
    (root / CORRUPT).write_bytes(data[:len(data) // 2])
    handler = functools.partial(CountingHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    httpd.requests = []
    httpd.root = root
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    watchdog = threading.Timer(SERVER_LIFETIME_S, httpd.shutdown)
    watchdog.daemon = True
    thread.start()
    watchdog.start()
    try:
        yield httpd
    finally:
        watchdog.cancel()
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def cache(tmp_path, monkeypatch):
    """An empty torch hub cache; the local server bypasses any proxy."""
    monkeypatch.setenv('TORCH_HOME', str(tmp_path / 'torch_home'))
    monkeypatch.setenv('NO_PROXY', '127.0.0.1')
    monkeypatch.setenv('no_proxy', '127.0.0.1')
    return tmp_path / 'torch_home' / 'hub' / 'checkpoints'


def url_of(server, name: str) -> str:
    return f'http://127.0.0.1:{server.server_address[1]}/{name}'


def test_local_path_is_returned_unchanged():
    assert resolve_checkpoint(TEACHER) == TEACHER


def test_url_without_file_name_is_refused(server, cache):
    with pytest.raises(CheckpointDownloadError, match='names no file'):
        resolve_checkpoint(url_of(server, ''))


def test_download_verifies_and_caches(server, cache):
    url = url_of(server, GOOD)
    before = len(server.requests)
    path = resolve_checkpoint(url)
    assert path == str(cache / GOOD)
    assert sha256_file(path) == sha256_file(TEACHER)
    assert resolve_checkpoint(url) == path
    assert server.requests[before:] == [f'/{GOOD}']
    assert teacher_fingerprint(url) == sha256_file(TEACHER)
    assert server.requests[before:] == [f'/{GOOD}']
    assert os.listdir(cache) == [GOOD]


def test_zskt_teacher_from_url(server, cache):
    cfg = Config.fromfile(osp.join(REPO_ROOT, ZSKT_CONFIG))
    cfg.model.teacher_ckpt = url_of(server, GOOD)
    model = MODELS.build(cfg.model)
    local = torch.load(TEACHER, map_location='cpu')['state_dict']
    loaded = model.teacher.state_dict()
    assert loaded.keys() == local.keys()
    for key, value in local.items():
        assert torch.equal(loaded[key], value), key


def test_impressions_accept_their_teacher_by_url(server, cache, tmp_path):
    (tmp_path / 'manifest.json').write_text(
        json.dumps(dict(teacher_sha256=sha256_file(TEACHER), shards=[])))
    dataset = dict(
        type='DataImpressions',
        data_root=str(tmp_path),
        teacher_ckpt=url_of(server, GOOD))
    # past the teacher check, to the (deliberately) empty shard list
    with pytest.raises(ShardStoreError, match='holds no impressions'):
        DATASETS.build(dataset)


def test_zskt_teacher_from_corrupt_url(server, cache):
    cfg = Config.fromfile(osp.join(REPO_ROOT, ZSKT_CONFIG))
    cfg.model.teacher_ckpt = url_of(server, CORRUPT)
    with pytest.raises(TeacherCheckpointError) as err:
        MODELS.build(cfg.model)
    assert cfg.model.teacher_ckpt in str(err.value)
    assert 'starting with fe2ed308' in str(err.value)


def test_corrupt_download_is_refused_and_not_kept(server, cache):
    url = url_of(server, CORRUPT)
    with pytest.raises(CheckpointDownloadError) as err:
        resolve_checkpoint(url)
    assert url in str(err.value)
    assert 'fe2ed308' in str(err.value)
    assert os.listdir(cache) == []


def test_corrupt_cached_file_is_refused(server, cache):
    cache.mkdir(parents=True)
    (cache / GOOD).write_bytes(b'not a checkpoint')
    with pytest.raises(CheckpointDownloadError, match='Delete the cached'):
        resolve_checkpoint(url_of(server, GOOD))


def test_missing_url_names_the_url(server, cache):
    url = url_of(server, MISSING)
    with pytest.raises(CheckpointDownloadError) as err:
        resolve_checkpoint(url)
    assert url in str(err.value)
    assert '404' in str(err.value)
    assert 'local path' in str(err.value)
    assert not cache.exists() or os.listdir(cache) == []


def test_url_without_hash_warns_and_is_used(server, cache):
    url = url_of(server, NO_HASH)
    with pytest.warns(UserWarning, match='no sha256 prefix'):
        path = resolve_checkpoint(url)
    assert sha256_file(path) == sha256_file(TEACHER)


def test_short_download_without_hash_is_refused(server, cache):
    url = url_of(server, SHORT)
    with pytest.raises(CheckpointDownloadError) as err, pytest.warns(
            UserWarning, match='no sha256 prefix'):
        resolve_checkpoint(url)
    assert url in str(err.value)
    assert '10 of 1000 bytes' in str(err.value)
    assert os.listdir(cache) == []


def test_train_load_from_url(server, cache, tmp_path):
    result = run_tool('tools/train.py', TEACHER_CONFIG, '--work-dir',
                      str(tmp_path / 'work'), '--cfg-options',
                      f'load_from={url_of(server, GOOD)}',
                      'train_cfg.max_epochs=1', 'train_cfg.val_interval=1')
    assert f'Load checkpoint from {cache / GOOD}' in (result.stdout +
                                                      result.stderr)


def test_belief_match_student_from_url(server, cache, tmp_path):
    cfg = Config.fromfile(osp.join(REPO_ROOT, ZSKT_CONFIG))
    student = MODELS.build(cfg.model).student
    saved = tmp_path / 'student.pth'
    torch.save(dict(state_dict=student.state_dict()), saved)
    name = f'student-{sha256_file(str(saved))[:8]}.pth'
    shutil.copy(saved, server.root / name)
    out = tmp_path / 'out'
    result = run_tool('tools/analysis_tools/belief_match.py', ZSKT_CONFIG,
                      url_of(server, name), '--num-images', '4', '--steps',
                      '2', '--out', str(out))
    assert 'K=2, xi=1.0' in result.stdout + result.stderr
    assert json.load(open(out / 'belief_match.json'))['num_images'] > 0
    assert os.listdir(cache) == [name]


def test_tools_test_from_url(server, cache, tmp_path):
    env = python_env()
    result = subprocess.run([
        PYTHON, 'tools/test.py', TEACHER_CONFIG,
        url_of(server, GOOD), '--work-dir',
        str(tmp_path / 'work')
    ],
                            cwd=REPO_ROOT,
                            env=env,
                            capture_output=True,
                            text=True,
                            timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    assert 'accuracy/top1: 97.3333' in result.stdout + result.stderr
    assert os.listdir(cache) == [GOOD]


def test_resume_and_converters_from_url(server, cache, tmp_path):
    """``--resume URL`` continues a run from a served training checkpoint;
    extract_student.py and publish_model.py read it by URL too."""
    first = tmp_path / 'first'
    run_tool('tools/train.py', ZSKT_CONFIG, '--work-dir', str(first),
             '--cfg-options', 'train_cfg.max_iters=2',
             'train_cfg.val_interval=2')
    saved = first / 'iter_2.pth'
    name = f'zskt_iter_2-{sha256_file(str(saved))[:8]}.pth'
    shutil.copy(saved, server.root / name)

    result = run_tool('tools/train.py', ZSKT_CONFIG, '--work-dir',
                      str(tmp_path / 'second'), '--resume',
                      url_of(server, name), '--cfg-options',
                      'train_cfg.max_iters=3', 'train_cfg.val_interval=3')
    log = result.stdout + result.stderr
    assert f'Load checkpoint from {cache / name}' in log
    assert 'resumed epoch: 0, iter: 2' in log
    assert (tmp_path / 'second' / 'iter_3.pth').is_file()

    student = tmp_path / 'student.pth'
    run_tool('tools/model_converters/extract_student.py', url_of(server, name),
             str(student))
    extracted = torch.load(student, weights_only=True)['state_dict']
    trained = load_checkpoint_file(str(saved))['state_dict']
    assert extracted.keys() == {
        k[len('student.'):]
        for k in trained if k.startswith('student.')
    }
    result = run_tool('tools/model_converters/publish_model.py',
                      url_of(server, name), str(tmp_path / 'published.pth'))
    assert list(tmp_path.glob('published-*.pth'))
    assert os.listdir(cache) == [name]
