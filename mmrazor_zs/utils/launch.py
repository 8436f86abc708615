# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Config adjustments made by the command-line tools."""
import difflib
import glob
import os
import os.path as osp
from typing import List, Optional

import torch
import torch.distributed as torch_dist
from mmengine.config import Config
from mmengine.dist import init_dist

from .precision import AUTOCAST_DTYPES

#: where the tools look for configs like a mistyped one
CONFIG_ROOT = osp.join(
    osp.dirname(osp.dirname(osp.dirname(__file__))), 'configs')


def closest_configs(path: str, limit: int = 3) -> List[str]:
    """The configs under ``configs/`` whose names are closest to ``path``'s
    (difflib), as paths relative to the repository."""
    found = glob.glob(osp.join(CONFIG_ROOT, '**', '*.py'), recursive=True)
    by_name = {osp.basename(p): p for p in found if '_base_' not in p}
    names = difflib.get_close_matches(
        osp.basename(path), list(by_name), n=limit, cutoff=0.5)
    root = osp.dirname(CONFIG_ROOT)
    return [osp.relpath(by_name[name], root) for name in names]


def load_config(path: str) -> Config:
    """Read the config at ``path`` for a command-line tool.

    Raises:
        SystemExit: If ``path`` is not a file, naming the closest configs.
    """
    if not osp.isfile(path):
        kind = 'is a folder' if osp.isdir(path) else 'does not exist'
        close = closest_configs(path)
        hint = (f' Closest configs: {", ".join(close)}.'
                if close else ' The configs are under configs/.')
        raise SystemExit(f'Config {path} {kind}: give the path of a config '
                         f'file (.py).{hint}')
    return Config.fromfile(path)


def enable_amp(cfg: Config, dtype: Optional[str] = None) -> None:
    """``--amp``: switch every optimizer wrapper of ``cfg`` to
    :class:`AutocastOptimWrapper` in ``dtype``.

    Single-optimizer configs have ``optim_wrapper.optimizer``; multi-
    optimizer configs (ZSKT's generator and student) have one wrapper config
    per submodule, and each of them is switched. The loops carry the same
    precision to the work outside the wrappers (the teacher's targets and
    every synthesis round: ``mmrazor_zs.utils.precision.precision_of``).

    Args:
        cfg (Config): The config, changed in place.
        dtype (str, optional): 'bfloat16' or 'float16'. Defaults to float16
            (with dynamic loss scaling, as mmengine's ``AmpOptimWrapper``)
            where CUDA is available and to bfloat16 (no loss scaling) on the
            CPU.

    Raises:
        ValueError: If ``dtype`` is not one of the above, or ``cfg`` has no
            optimizer wrapper config to switch.
    """
    if dtype is None:
        dtype = 'float16' if torch.cuda.is_available() else 'bfloat16'
    if dtype not in AUTOCAST_DTYPES:
        raise ValueError(f'--amp-dtype must be one of '
                         f'{sorted(AUTOCAST_DTYPES)}, but got {dtype!r}.')
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
        # scoped: a teacher's config builds in mmpretrain's scope
        wrapper['type'] = 'mmrazor_zs.AutocastOptimWrapper'
        wrapper['dtype'] = dtype
        wrapper.pop('loss_scale', None)


def enable_runtime(cfg: Config, channels_last: bool, compile: bool) -> None:
    """``--channels-last`` / ``--compile``: set the model's ``runtime`` keys
    (:class:`~mmrazor_zs.models.algorithms.TeacherStudentModel`), keeping the
    config's own ``compile`` arguments when it has them.

    Raises:
        SystemExit: If the config's model is not a distillation algorithm
            (a teacher's classifier config).
    """
    if not (channels_last or compile):
        return
    from mmrazor_zs.models.algorithms import TeacherStudentModel
    from mmrazor_zs.registry import MODELS
    model_type = cfg.model.get('type')
    model_class = MODELS.get(model_type) if isinstance(model_type,
                                                       str) else model_type
    if not (isinstance(model_class, type)
            and issubclass(model_class, TeacherStudentModel)):
        raise SystemExit(
            f'--channels-last and --compile set `model.runtime` of a '
            f'distillation algorithm, but this config\'s model is '
            f'{model_type!r}; train a teacher without them.')
    if cfg.model.get('runtime') is None:
        cfg.model.runtime = {}
    runtime = cfg.model.runtime
    if channels_last:
        runtime['channels_last'] = True
    if compile and not runtime.get('compile'):
        runtime['compile'] = True


#: the trace ``--profile`` writes, in the work dir
PROFILE_TRACE = 'profile_trace.json'


def enable_profiler(cfg: Config, iterations: int) -> str:
    """``--profile N``: trace the first ``iterations`` training iterations of
    this process with the torch profiler (mmengine's ``ProfilerHook``: CPU, and
    CUDA when a GPU is there; memory and shapes recorded; a table of the
    costliest operators printed; a Chrome trace written to
    ``WORK_DIR/profile_trace.json``, to open in ``chrome://tracing`` or
    Perfetto). Call after the work dir is resolved.

    Returns:
        str: The trace's path.

    Raises:
        ValueError: If ``iterations`` is not a positive integer.
    """
    if isinstance(iterations,
                  bool) or not isinstance(iterations, int) or iterations < 1:
        raise ValueError('--profile takes the number of training iterations '
                         f'to trace (>= 1), but got {iterations!r}.')
    trace = osp.join(cfg.work_dir, PROFILE_TRACE)
    hooks = list(cfg.get('custom_hooks', []))
    hooks.append(
        dict(
            type='mmengine.ProfilerHook',
            by_epoch=False,
            profile_times=iterations,
            activity_with_cuda=torch.cuda.is_available(),
            record_shapes=True,
            profile_memory=True,
            on_trace_ready=dict(
                type='log_trace', sort_by='self_cpu_time_total', row_limit=20),
            json_trace_path=trace))
    cfg.custom_hooks = hooks
    return trace


def launched_world_size(cfg: Config) -> int:
    """The number of processes of this run, read from the launcher's
    environment (torchrun's ``WORLD_SIZE``, Slurm's ``SLURM_NTASKS``) before
    any process group exists."""
    launcher = cfg.get('launcher', 'none')
    if launcher == 'slurm':
        return int(os.environ.get('SLURM_NTASKS', 1))
    if launcher == 'none':
        return 1
    return int(os.environ.get('WORLD_SIZE', 1))


def enable_auto_scale_lr(cfg: Config) -> None:
    """``--auto-scale-lr``: scale every learning rate by the run's global
    batch over ``auto_scale_lr.base_batch_size`` (the linear rule, as
    mmpretrain's tools).

    Configs that read a training dataloader leave the scaling to mmengine's
    Runner. A data-free config has no dataloader batch for the Runner to
    read: its global batch is ``world size x model.batch_size`` (the images
    generated per step and process), and the learning rates of every
    optimizer wrapper are scaled here, before the Runner is built.

    Raises:
        ValueError: If the config has no ``auto_scale_lr.base_batch_size``.
    """
    auto_scale_lr = cfg.get('auto_scale_lr')
    if not auto_scale_lr or 'base_batch_size' not in auto_scale_lr:
        raise ValueError(
            '--auto-scale-lr needs `auto_scale_lr = dict(base_batch_size=N)` '
            'in the config: the global batch its learning rates were set '
            'for.')
    if cfg.get('train_dataloader', {}).get('batch_size') is not None:
        auto_scale_lr.enable = True
        return
    batch_size = cfg.model.get('batch_size')
    if batch_size is None:
        raise ValueError('--auto-scale-lr found neither '
                         '`train_dataloader.batch_size` nor '
                         '`model.batch_size` in the config.')
    world_size = launched_world_size(cfg)
    ratio = world_size * batch_size / float(auto_scale_lr.base_batch_size)
    optimizers = [
        wrapper['optimizer'] for wrapper in cfg.optim_wrapper.values()
        if isinstance(wrapper, dict) and 'optimizer' in wrapper
    ] if 'optimizer' not in cfg.optim_wrapper else [
        cfg.optim_wrapper.optimizer
    ]
    for optimizer in optimizers:
        optimizer.lr = optimizer.lr * ratio
    auto_scale_lr.enable = False  # done: the Runner must not scale again
    print(f'--auto-scale-lr: global batch {world_size} x '
          f'{batch_size} over base {auto_scale_lr.base_batch_size}, '
          f'learning rates x {ratio:g}.')


def init_cpu_distributed(cfg: Config) -> None:
    """Start the process group with gloo when launched without a GPU.

    mmengine's ``init_dist`` calls ``torch.cuda.set_device``, which fails on
    CPU-only machines; a process group that already exists is kept by the
    Runner. The Runner also gives DDP wrappers ``device_ids=[LOCAL_RANK]``,
    which DDP refuses for CPU modules, so they get ``device_ids=None``: the
    config's wrapper, or mmengine's default ``MMDistributedDataParallel`` when
    the config names none (ZSKD, KD-AT, the teachers).
    """
    if cfg.get('launcher', 'none') == 'none' or torch.cuda.is_available():
        return
    env_cfg = dict(cfg.get('env_cfg') or {})
    env_cfg['dist_cfg'] = dict(env_cfg.get('dist_cfg') or {}, backend='gloo')
    cfg.env_cfg = env_cfg
    if cfg.get('model_wrapper_cfg') is None:
        cfg.model_wrapper_cfg = dict(type='MMDistributedDataParallel')
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
        init_dist(cfg.launcher,
                  **(cfg.get('env_cfg') or {}).get('dist_cfg', {}))


def resolve_work_dir(cfg: Config, config_path: str,
                     work_dir: Optional[str]) -> str:
    """Set ``cfg.work_dir``: the ``--work-dir`` option, else the config's, else
    ``./work_dirs/CONFIG_NAME`` (mmengine's convention).

    Raises:
        SystemExit: If the work dir is an existing file.
    """
    if work_dir is not None:
        cfg.work_dir = work_dir
    elif cfg.get('work_dir') is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(config_path))[0])
    if osp.isfile(cfg.work_dir):
        raise SystemExit(f'The work dir {cfg.work_dir} is a file, not a '
                         'folder: pass --work-dir a folder (it is created '
                         'when missing).')
    return cfg.work_dir
