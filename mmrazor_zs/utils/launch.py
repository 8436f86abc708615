# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Config adjustments made by the command-line tools."""
import os.path as osp
from typing import Optional

import torch
import torch.distributed as torch_dist
from mmengine.config import Config
from mmengine.dist import init_dist


def enable_amp(cfg: Config) -> None:
    """Switch every optimizer wrapper of ``cfg`` to ``AmpOptimWrapper``.

    Single-optimizer configs have ``optim_wrapper.optimizer``; multi-
    optimizer configs (ZSKT's generator and student) have one wrapper config
    per submodule, and each of them is switched. mmengine's AmpOptimWrapper
    needs a CUDA (or NPU/MLU/MUSA) device.

    Raises:
        RuntimeError: If no CUDA device is available.
        ValueError: If ``cfg`` has no optimizer wrapper config to switch.
    """
    if not torch.cuda.is_available():
        raise RuntimeError('--amp needs a CUDA GPU: mmengine\'s '
                           'AmpOptimWrapper does not run on the CPU. Drop '
                           '--amp to train in float32.')
    optim_wrapper = cfg.get('optim_wrapper')
    if not optim_wrapper:
        raise ValueError('--amp was given but the config has no '
                         '`optim_wrapper`.')
    if 'optimizer' in optim_wrapper:
        wrappers = [optim_wrapper]
    else:
        wrappers = [
            sub for sub in optim_wrapper.values()
            if isinstance(sub, dict) and 'optimizer' in sub
        ]
    if not wrappers:
        raise ValueError('--amp found no optimizer wrapper config (a dict '
                         'with `optimizer`) in `optim_wrapper`.')
    for wrapper in wrappers:
        wrapper['type'] = 'AmpOptimWrapper'
        wrapper.setdefault('loss_scale', 'dynamic')


def init_cpu_distributed(cfg: Config) -> None:
    """Start the process group with gloo when launched without a GPU.

    mmengine's ``init_dist`` calls ``torch.cuda.set_device``, which fails on
    CPU-only machines; a process group that already exists is kept by the
    Runner. The Runner also gives DDP wrappers ``device_ids=[LOCAL_RANK]``,
    which DDP refuses for CPU modules, so they get ``device_ids=None``.
    """
    if cfg.get('launcher', 'none') == 'none' or torch.cuda.is_available():
        return
    env_cfg = dict(cfg.get('env_cfg') or {})
    env_cfg['dist_cfg'] = dict(env_cfg.get('dist_cfg') or {}, backend='gloo')
    cfg.env_cfg = env_cfg
    if cfg.get('model_wrapper_cfg') is not None:
        cfg.model_wrapper_cfg.setdefault('device_ids', None)
    if not torch_dist.is_initialized():
        torch_dist.init_process_group(backend='gloo')


def init_distributed(cfg: Config) -> None:
    """Start the process group of ``cfg.launcher`` now, for tools that need
    it before (or without) mmengine's Runner: gloo on the CPU (see
    :func:`init_cpu_distributed`), ``env_cfg.dist_cfg`` on GPUs."""
    init_cpu_distributed(cfg)
    if cfg.get('launcher', 'none') != 'none' and \
            not torch_dist.is_initialized():
        init_dist(cfg.launcher, **(cfg.get('env_cfg') or {}).get(
            'dist_cfg', {}))


def resolve_work_dir(cfg: Config, config_path: str,
                     work_dir: Optional[str]) -> str:
    """Set ``cfg.work_dir``: the ``--work-dir`` option, else the config's,
    else ``./work_dirs/CONFIG_NAME`` (mmengine's convention)."""
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join(
            './work_dirs', osp.splitext(osp.basename(config_path))[0])
    return cfg.work_dir
