# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Run a shipped config through ``tools/train.py`` in seconds, on the CPU.

:func:`shrink_options` makes the ``--cfg-options`` that shrink a merged config
by the names of its keys only: batch sizes, iterations and epochs, synthesis
steps and counts, memory-bank sizes and dataset lengths become small, every
``teacher_ckpt`` becomes None (a randomly initialised teacher) and every
``data_root`` (and NAYER's ``label_embeddings`` file) under ``data/``
points at fakes in the official on-disk layouts, written by
:func:`write_fake_datasets`. Widths, losses and the algorithm are never
touched. :func:`train_in_process` runs ``tools/train.py``'s
``main`` with those options in this process and returns what a probe hook saw.
"""
import inspect
import math
import os.path as osp
import sys
from pathlib import Path
from typing import Any, Dict, Iterator, List, Optional, Tuple

import mmengine.config.config as mmengine_config
import torch
from mmengine.dataset import BaseDataset
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from torch import nn

from mmrazor_zs.models.generators import (random_label_embeddings,
                                          save_label_embeddings)
from mmrazor_zs.registry import DATASETS, HOOKS
from .conftest import REPO_ROOT, load_module_from_file
from .test_datasets.test_imagenet_layout import write_fake_imagenet
from .test_datasets.test_offline_cifar import (write_fake_cifar10,
                                               write_fake_cifar100)
from .test_datasets.test_offline_mnist import write_idx
from .test_datasets.test_offline_svhn import write_svhn
from .unformatted_config_text import unformatted

#: iterations of an iteration-based loop; epoch-based loops run one epoch
ITERS = 2
#: key name -> its small value, wherever the key is in the merged config
SMALL = dict(
    batch_size=2,
    num_workers=0,
    max_iters=ITERS,
    max_epochs=1,
    base_epochs=1,  # FewShotTrainLoop: epochs over the full dataset
    student_steps=1,
    steps=1,  # synthesizer optimisation steps per round ...
    pooled_steps=1,  # ... and DeepInversion's pooled stage before them
    iterations=1,  # ZSKD synthesis iterations per impression
    per_class=2,  # ZSKD impressions per class (one per beta)
    shard_size=2,
    num_per_class=1,  # ClassBalancedSubset: images per class
    warmup_rounds=1,
    warmup_epochs=1,  # NAYER: epochs of synthesis only ...
    warmup_loops=1,  # ... their generator loops ...
    loops=1,  # ... and the loops per student interval
    bank_size=8,  # CMI's memory bank ...
    negatives=4,  # ... and the negatives drawn from it
    num_samples=2,  # SyntheticSamplesHook: images drawn for the grid
)
#: one digits demo per loop: generator family (ZSKT, MAD, DAFL, DFAD, DFQ),
#: inversion family (DeepInversion, ADI, CMI, Fast, NAYER, CPNet), ZSKD's
#: student stage and the few-shot KD-AT
ONE_DEMO_PER_LOOP = [
    'configs/zskt/zskt_logits_lenet5_lenet5-half_1xb128_digits.py',
    'configs/zskt/zskt-mad_logits_lenet5_lenet5-half_1xb128_digits.py',
    'configs/dafl/dafl_lenet5_lenet5-half_1xb256_digits.py',
    'configs/dfad/dfad_lenet5_lenet5-half_1xb256_digits.py',
    'configs/dfq/dfq_lenet5-bn_lenet5-half_1xb256_digits.py',
    'configs/deepinversion/deepinversion_lenet5-bn_lenet5-half_1xb256_'
    'digits.py',
    'configs/deepinversion/adi_lenet5-bn_lenet5-half_1xb256_digits.py',
    'configs/cmi/cmi_lenet5-bn_lenet5-half_1xb128_digits.py',
    'configs/fast/fast-5_lenet5-bn_lenet5-half_1xb256_digits.py',
    'configs/nayer/nayer_lenet5-bn_lenet5-half_1xb256_digits.py',
    'configs/cpnet/cpnet_lenet5-bn_lenet5-half_1xb256_digits.py',
    'configs/zskd/zskd_lenet5_lenet5-half_1xb64_digits.py',
    'configs/kd_at/kd-at_m10_lenet5_lenet5-half_1xb128_digits.py',
]
#: images a dataset keeps (mmengine's ``BaseDataset(indices=...)``): the
#: training split, the evaluation splits (one batch), and the full dataset
#: under a ClassBalancedSubset (the first 20 hold every class of
#: scikit-learn's digits and of the fake CIFAR-10)
TRAIN_IMAGES = 4
EVAL_IMAGES = SMALL['batch_size']
SUBSET_SOURCE_IMAGES = 20
#: the fake datasets, by folder under ``data/``
FAKE_DATASETS = dict(
    cifar10=lambda root: write_fake_cifar10(root, per_batch=6),
    cifar100=lambda root: write_fake_cifar100(root, train=6, test=4),
    svhn=lambda root: write_svhn(root, train=6, test=4),
    mnist=write_idx,
    imagenet=write_fake_imagenet,
    **{'fashion-mnist': write_idx})
LOADERS = ('train_dataloader', 'val_dataloader', 'test_dataloader')
#: NAYER's label-embedding files under ``data/label_embeddings/``, by name:
#: their class counts (random rows stand in for the CLIP ones)
FAKE_LABEL_EMBEDDINGS = {
    'cifar10_nayer-clip-vit-b32.pth': 10,
    'cifar100_nayer-clip-vit-b32.pth': 100,
    'imagenet_nayer-clip-vit-b32.pth': 1000,
}


def write_fake_datasets(data_root: Path) -> Path:
    """Write every fake dataset under ``data_root``, as ``data/`` holds the
    real ones (tests/test_datasets/ write the official layouts).

    Args:
        data_root (Path): The folder that replaces ``data/``.

    Returns:
        Path: ``data_root``.
    """
    for folder, write in FAKE_DATASETS.items():
        (data_root / folder).mkdir(parents=True)
        write(data_root / folder)
    (data_root / 'label_embeddings').mkdir()
    for name, classes in FAKE_LABEL_EMBEDDINGS.items():
        save_label_embeddings(
            str(data_root / 'label_embeddings' / name),
            random_label_embeddings(classes, 512),
            source='fake')
    return data_root


def walk(value: Any, path: Tuple = ()) -> Iterator[Tuple[Tuple, Any]]:
    """Yield ``(path, value)`` for every value in nested dicts and lists,
    ``path`` the keys and list indices leading to it."""
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from walk(item, path + (key, ))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk(item, path + (index, ))


def dataset_options(loader: str, dataset: dict, path: Tuple,
                    data_root: Path) -> Dict[Tuple, Any]:
    """The options of one dataset dict of a dataloader: its ``data_root`` moved
    to the fakes, no md5 check, and few images."""
    options: Dict[Tuple, Any] = {}
    root = dataset.get('data_root')
    if isinstance(root, str) and root.startswith('data/'):
        options[path + ('data_root', )] = str(data_root / root[len('data/'):])
    if not isinstance(dataset.get('type'), str):
        return options
    cls = DATASETS.get(dataset['type'])
    if cls is None:
        return options
    if 'verify_md5' in inspect.signature(cls).parameters:
        options[path + ('verify_md5', )] = False  # fakes are not official
    if 'dataset' in dataset:  # a wrapper: shrink the dataset it wraps
        options.update(
            dataset_options(loader, dataset['dataset'], path + ('dataset', ),
                            data_root))
    elif issubclass(cls, BaseDataset):
        parent = path[-2] if len(path) > 2 else None
        images = (
            TRAIN_IMAGES if loader == 'train_dataloader' else EVAL_IMAGES)
        if parent == 'dataset':  # the full dataset of a subset
            images = SUBSET_SOURCE_IMAGES
        options[path + ('indices', )] = images
    return options


def hook_default_options(cfg: dict) -> Dict[Tuple, Any]:
    """Sizes a custom hook takes by default, not named in the config (the
    ``num_samples=256`` of ``SyntheticSamplesHook``), made small."""
    options: Dict[Tuple, Any] = {}
    for index, hook in enumerate(cfg.get('custom_hooks') or []):
        cls = HOOKS.get(hook.get('type')) if isinstance(hook, dict) else None
        if cls is None:
            continue
        for name, param in inspect.signature(cls).parameters.items():
            if (name in SMALL and name not in hook
                    and isinstance(param.default, int)
                    and param.default > SMALL[name]):
                options[('custom_hooks', index, name)] = SMALL[name]
    return options


def shrink_options(cfg: dict, data_root: Path) -> Dict[str, Any]:
    """The ``--cfg-options`` that make a merged config run in seconds.

    Args:
        cfg (dict): The merged config (``Config.to_dict()``).
        data_root (Path): Where :func:`write_fake_datasets` wrote the fakes.

    Returns:
        dict: ``{dotted key: value}``, list items by index, as
        ``--cfg-options`` takes them.
    """
    iteration_based = 'max_iters' in (cfg.get('train_cfg') or {})
    length = ITERS if iteration_based else 1
    options: Dict[Tuple, Any] = {}
    for path, value in walk(cfg):
        if not path or isinstance(path[-1], int):
            continue
        key = path[-1]
        if len(path) == 1 and not isinstance(value, dict):
            continue  # a top-level variable, already substituted
        if key in SMALL and isinstance(value, int) and value > SMALL[key]:
            options[path] = SMALL[key]
        elif (key in ('interval', 'val_interval') and isinstance(value, int)
              and value > 0):
            options[path] = length  # validate, log, save once at the end
        elif key in ('begin', 'end') and isinstance(value, int):
            # a scheduler's bounds: inside the shortened run, in order
            bound = length - 1 if key == 'begin' else length
            if value > bound:
                options[path] = bound
        elif key == 'round_interval' and value is not None:
            options[path] = ITERS  # one round at the start
        elif key == 'teacher_ckpt' and value is not None:
            options[path] = None  # a randomly initialised teacher
        elif (key == 'label_embeddings' and isinstance(value, str)
              and value.startswith('data/')):
            options[path] = str(data_root / value[len('data/'):])
    options.update(hook_default_options(cfg))
    for loader in LOADERS:
        dataset = (cfg.get(loader) or {}).get('dataset')
        if isinstance(dataset, dict):
            options.update(
                dataset_options(loader, dataset, (loader, 'dataset'),
                                data_root))
    return {'.'.join(map(str, path)): value for path, value in options.items()}


def as_cfg_options(options: Dict[str, Any]) -> List[str]:
    """``{key: value}`` as ``--cfg-options`` arguments, ``KEY=VALUE``."""
    return [f'{key}={value}' for key, value in options.items()]


def trained_network(model: torch.nn.Module) -> torch.nn.Module:
    """The network a run trains: the student of a distiller, else the model."""
    model = model.module if is_model_wrapper(model) else model
    student = getattr(model, 'student', model)
    return student.module if is_model_wrapper(student) else student


def parameters_of(network: torch.nn.Module) -> Dict[str, torch.Tensor]:
    """A detached copy of the parameters of ``network``."""
    return {
        name: param.detach().clone()
        for name, param in network.named_parameters()
    }


class TrainingProbe(Hook):
    """Record the trained network before and after training, and every
    iteration's logged values.

    Attributes:
        before (dict): Parameters of the trained network before the first
            iteration.
        after (dict): Its parameters after the last.
        log_vars (list[dict]): The outputs of each training iteration.
        runner (Runner): The runner, kept after training.
    """

    priority = 'LOWEST'

    def __init__(self) -> None:
        self.before: Dict[str, torch.Tensor] = {}
        self.after: Dict[str, torch.Tensor] = {}
        self.log_vars: List[Dict[str, float]] = []
        self.runner = None

    def before_train(self, runner) -> None:
        self.runner = runner
        self.before = parameters_of(trained_network(runner.model))

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch: Any = None,
                         outputs: Optional[dict] = None) -> None:
        self.log_vars.append({
            key: float(value)
            for key, value in (outputs or {}).items()
            if isinstance(value, (torch.Tensor, float, int))
        })

    def after_train(self, runner) -> None:
        self.after = parameters_of(trained_network(runner.model))


#: the layers whose output dtype tells autocast's state
COMPUTE_LAYERS = (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)
#: the networks a loop may run, by attribute of the algorithm
NETWORKS = ('teacher', 'student', 'generator', 'momentum_generator',
            'synthesizer')


class ComputeLayerProbe(TrainingProbe):
    """Also record, per network, what its convolutions and linear layers see
    inside the model's ``train_step`` (not in hooks, which may draw sample
    grids in float32).

    Attributes:
        dtypes (dict): Network -> the set of its layers' output dtypes.
        layouts (dict): Network -> the set of its convolutions' input
            layouts ('channels_last' or 'contiguous'), for inputs of more
            than one channel (a one-channel image is both).
    """

    def __init__(self) -> None:
        super().__init__()
        self.dtypes: Dict[str, set] = {}
        self.layouts: Dict[str, set] = {}
        self._recording = False

    def before_train(self, runner) -> None:
        super().before_train(runner)
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        for name in NETWORKS:
            network = getattr(model, name, None)
            if not isinstance(network, nn.Module):
                continue
            for module in network.modules():
                if isinstance(module, COMPUTE_LAYERS):
                    module.register_forward_hook(self._hook(name))
        train_step = runner.model.train_step

        def recorded_train_step(*args, **kwargs):
            self._recording = True
            try:
                return train_step(*args, **kwargs)
            finally:
                self._recording = False

        runner.model.train_step = recorded_train_step

    def _hook(self, network: str):

        def record(module, args, output):
            if not self._recording:
                return
            self.dtypes.setdefault(network, set()).add(output.dtype)
            image = args[0]
            if image.dim() == 4 and image.shape[1] > 1:
                layout = 'channels_last' if image.is_contiguous(
                    memory_format=torch.channels_last) else 'contiguous'
                self.layouts.setdefault(network, set()).add(layout)

        return record


def load_train_tool():
    """``tools/train.py`` as a module."""
    return load_module_from_file('train_tool',
                                 osp.join(REPO_ROOT, 'tools', 'train.py'))


def train_in_process(monkeypatch,
                     config: str,
                     work_dir: Path,
                     options: Dict[str, Any],
                     extra_args: Tuple[str, ...] = (),
                     probe: Optional[TrainingProbe] = None) -> TrainingProbe:
    """Run ``python tools/train.py CONFIG --work-dir WORK_DIR --cfg-options
    OPTIONS`` in this process, with a :class:`TrainingProbe` in the runner.

    The config text that mmengine logs, dumps and saves in checkpoints is
    left unformatted (:mod:`tests.unformatted_config_text`).

    Args:
        monkeypatch (pytest.MonkeyPatch): Sets ``sys.argv`` and the tool's
            runner class for the call.
        config (str): The config, relative to the repository root.
        work_dir (Path): The work dir.
        options (dict): ``{dotted key: value}`` for ``--cfg-options``.
        extra_args (tuple[str]): More command-line arguments (``--amp``).
        probe (TrainingProbe, optional): The probe to register (a subclass
            that records more); a plain one by default.

    Returns:
        TrainingProbe: What the probe saw; ``probe.runner`` is the runner.
    """
    tool = load_train_tool()
    probe = TrainingProbe() if probe is None else probe

    class ProbedRunner(tool.CheckedLoadRunner):

        def train(self):
            self.register_hook(probe)
            return super().train()

    monkeypatch.setattr(tool, 'CheckedLoadRunner', ProbedRunner)
    monkeypatch.setattr(mmengine_config, 'FormatCode', unformatted)
    monkeypatch.setattr(sys, 'argv', [
        'tools/train.py',
        osp.join(REPO_ROOT, config), '--work-dir',
        str(work_dir), *extra_args, '--cfg-options', *as_cfg_options(options)
    ])
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # tiny batches: threads only add overhead
    try:
        tool.main()
    finally:
        torch.set_num_threads(threads)
    return probe


def all_finite(log_vars: List[Dict[str, float]]) -> bool:
    """Whether every logged value of every iteration is finite."""
    return all(math.isfinite(v) for row in log_vars for v in row.values())


def train_shrunk(monkeypatch, config: str, data_root: Path, work_dir: Path,
                 extra_args: Tuple[str, ...]) -> ComputeLayerProbe:
    """Train ``config`` shrunk (:func:`shrink_options`) on the fakes under
    ``data_root`` with ``extra_args`` on the command line; the probe records
    the compute layers' dtypes and layouts.

    The run's log files are closed.
    """
    monkeypatch.setenv('MMRAZOR_ZS_DEFAULT_MALLOC', '1')
    merged = mmengine_config.Config.fromfile(osp.join(REPO_ROOT,
                                                      config)).to_dict()
    probe = train_in_process(
        monkeypatch,
        config,
        work_dir,
        shrink_options(merged, data_root),
        extra_args=extra_args,
        probe=ComputeLayerProbe())
    logger = probe.runner.logger
    for handler in list(logger.handlers):
        handler.close()
        logger.removeHandler(handler)
    return probe
