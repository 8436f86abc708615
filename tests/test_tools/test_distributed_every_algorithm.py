# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""tools/dist_train.sh with 2 CPU processes (gloo) on the digits config of
every algorithm that tests/test_tools/test_distributed.py does not train:

two iterations (one epoch for ZSKD and KD-AT), shrunk as
tests/test_every_config_runs.py shrinks every config, leave the student
identical on both ranks.
"""
import subprocess

import pytest
import torch
from mmengine.config import Config

from ..config_harness import as_cfg_options, shrink_options
from ..conftest import PYTHON, REPO_ROOT, python_env
from .test_distributed import CONFIGS as GENERATOR_CONFIGS
from .test_distributed import INVERSION_CONFIGS, free_port

CONFIGS = dict(
    zskd='configs/zskd/zskd_lenet5_lenet5-half_1xb64_digits.py',
    dafl='configs/dafl/dafl_lenet5_lenet5-half_1xb256_digits.py',
    dfad='configs/dfad/dfad_lenet5_lenet5-half_1xb256_digits.py',
    deepinversion=('configs/deepinversion/'
                   'deepinversion_lenet5-bn_lenet5-half_1xb256_digits.py'),
    adi='configs/deepinversion/adi_lenet5-bn_lenet5-half_1xb256_digits.py',
    kd_at='configs/kd_at/kd-at_m10_lenet5_lenet5-half_1xb128_digits.py',
)
ALGORITHMS = {
    'zskt', 'zskd', 'dafl', 'dfad', 'dfq', 'deepinversion', 'adi', 'cmi',
    'fast', 'nayer', 'cpnet', 'kd_at', 'mad'
}


def test_every_algorithm_is_trained_on_two_processes():
    covered = set(CONFIGS) | set(GENERATOR_CONFIGS) | set(INVERSION_CONFIGS)
    assert covered == ALGORITHMS


def probed_config(config: str, tmp_path) -> str:
    """A config that takes ``config`` and adds the student probe hook."""
    base = Config.fromfile(f'{REPO_ROOT}/{config}')
    hooks = list(base.get('custom_hooks', [])) + [
        dict(type='StudentDDPProbeHook', out_dir=str(tmp_path))
    ]
    path = tmp_path / 'ddp.py'
    path.write_text(f"_base_ = ['{REPO_ROOT}/{config}']\n"
                    "custom_imports = dict(imports=['tests.ddp_probe'])\n"
                    f'custom_hooks = {hooks!r}\n')
    return str(path)


@pytest.mark.skipif(
    not torch.distributed.is_available(),
    reason='torch.distributed is not available')
@pytest.mark.parametrize('algorithm', list(CONFIGS))
def test_two_processes_keep_one_student(tmp_path, algorithm):
    config = probed_config(CONFIGS[algorithm], tmp_path)
    merged = Config.fromfile(config).to_dict()
    options = shrink_options(merged, tmp_path / 'data')
    env = python_env()
    env.update(PORT=str(free_port()), PYTHON=PYTHON)
    result = subprocess.run([
        'bash', 'tools/dist_train.sh', config, '2', '--work-dir',
        str(tmp_path / 'work'), '--cfg-options', *as_cfg_options(options)
    ],
                            cwd=REPO_ROOT,
                            env=env,
                            capture_output=True,
                            text=True,
                            timeout=600)
    assert result.returncode == 0, (result.stdout + result.stderr)[-4000:]
    ranks = [torch.load(tmp_path / f'rank{r}_student.pth') for r in (0, 1)]
    assert [r['world_size'] for r in ranks] == [2, 2]
    assert ranks[0]['wrapper'] == ranks[1]['wrapper']
    assert 'DistributedDataParallel' in ranks[0]['wrapper']
    assert ranks[0]['iters'] == ranks[1]['iters'] > 0
    params = [r['params'] for r in ranks]
    assert params[0].keys() == params[1].keys() and params[0]
    for key in params[0]:
        assert torch.equal(params[0][key], params[1][key]), key
