# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Every config parses and builds its model (no training, no data)."""
import math
import os.path as osp
import re

import pytest
from mmengine.config import Config

from mmrazor_zs.registry import MODELS
from .config_snapshot import discover_configs
from .conftest import REPO_ROOT
from .test_inversion_configs import CONFIGS as INVERSION_CONFIGS

#: every config but the inversion family's (tests/test_inversion_configs.py)
CONFIGS = [c for c in discover_configs() if c not in INVERSION_CONFIGS]


def build_model_of(config: str):
    cfg = Config.fromfile(osp.join(REPO_ROOT, config))
    model_cfg = cfg.model
    if 'teacher_ckpt' in model_cfg:
        # checkpoints of CIFAR teachers are not in the repository
        if not osp.isfile(osp.join(REPO_ROOT, model_cfg.teacher_ckpt)):
            model_cfg.teacher_ckpt = None
    return cfg, MODELS.build(model_cfg)


def test_configs_were_found():
    folders = {config.split('/')[1] for config in CONFIGS}
    assert folders >= {
        'zskt', 'zskd', 'kd_at', 'dafl', 'dfad', 'dfq', 'teachers'
    }


@pytest.mark.parametrize('config', CONFIGS)
def test_config_builds(config):
    cfg, model = build_model_of(config)
    assert cfg.default_scope in ('mmrazor_zs', 'mmpretrain')
    if cfg.model.type in ('ZSKT', 'DAFL', 'DFAD', 'DFQ'):
        assert cfg.train_cfg.type == 'DataFreeTrainLoop'
        assert cfg.train_dataloader == {}  # data-free for real
        assert set(cfg.optim_wrapper) >= {'generator', 'student'}
    elif cfg.model.type == 'ZSKD':
        assert cfg.train_dataloader.dataset.type == 'DataImpressions'
        assert cfg.synthesis.input_shape is not None
    elif cfg.model.type == 'KDAT':
        assert cfg.train_cfg.type == 'FewShotTrainLoop'
        assert cfg.train_dataloader.dataset.type == 'ClassBalancedSubset'
        assert cfg.param_scheduler.type == 'FractionalMultiStepLR'
    else:
        assert cfg.train_dataloader.dataset.type.endswith(
            ('Digits', 'OfflineCIFAR10', 'OfflineCIFAR100', 'MNIST',
             'OfflineSVHN', 'ImageNet'))


@pytest.mark.parametrize('config', CONFIGS)
def test_pipelines_build(config):
    from mmengine.dataset import Compose
    from mmengine.registry import DefaultScope
    cfg = Config.fromfile(osp.join(REPO_ROOT, config))
    with DefaultScope.overwrite_default_scope(cfg.default_scope):
        for key in ('train_dataloader', 'val_dataloader'):
            dataset = (cfg.get(key) or {}).get('dataset', {})
            if dataset.get('pipeline'):
                assert len(Compose(dataset.pipeline).transforms) == len(
                    dataset.pipeline)


def test_cifar_configs_never_download():
    for config in CONFIGS:
        cfg = Config.fromfile(osp.join(REPO_ROOT, config))
        for key in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
            loader = cfg.get(key) or {}
            dataset = loader.get('dataset', {})
            assert dataset.get('download', False) is False, (config, key)
            if 'CIFAR' in dataset.get('type', ''):
                assert dataset.type.endswith(
                    ('OfflineCIFAR10', 'OfflineCIFAR100')), config


def test_wrn_pairs_follow_the_paper():
    cfg, model = build_model_of('configs/zskt/zskt_backbone_logits_'
                                'wrn-40-2_wrn-16-1_1xb128_cifar10.py')
    assert model.teacher.backbone.depth == 40
    assert model.teacher.backbone.widen_factor == 2
    assert model.student.backbone.depth == 16
    assert (model.batch_size, model.student_steps) == (128, 10)
    assert model.at_loss.loss_weight == 250
    assert len(model.at_pairs) == 3
    assert cfg.train_cfg.max_iters == 80000
    assert cfg.optim_wrapper.generator.optimizer.lr == 1e-3
    assert cfg.optim_wrapper.student.optimizer.lr == 2e-3


@pytest.mark.parametrize('config', CONFIGS)
def test_runs_get_the_reliability_hooks(config):
    hooks = Config.fromfile(osp.join(REPO_ROOT, config)).default_hooks
    assert hooks.checkpoint.backend_args == dict(backend='local_atomic')
    assert hooks.reseed.type.endswith('ReseedHook')
    assert hooks.finite_loss.type.endswith('FiniteLossHook')


def load(config: str) -> Config:
    return Config.fromfile(osp.join(REPO_ROOT, 'configs', config))


def total_batch(config: str, cfg: Config) -> int:
    """Images per step over all GPUs, from the `<gpus>xb<batch>` name."""
    gpus = int(re.search(r'_(\d+)xb(\d+)', config).group(1))
    return gpus * cfg.model.batch_size


def milestones(scheduler) -> list:
    if isinstance(scheduler, (list, tuple)):
        scheduler = [s for s in scheduler if s.type == 'MultiStepLR'][0]
    return list(scheduler.milestones)


@pytest.mark.parametrize('config, weights', [
    ('dafl/dafl_r34_r18_8xb128_cifar10.py', (0.05, 5.0, 0.01)),
    ('dafl/dafl_r34_r18_8xb128_cifar100.py', (0.5, 20.0, 0.1)),
])
def test_dafl_follows_the_released_recipe(config, weights):
    # huawei-noah DAFL README.md:29/35 and DAFL-train.py
    cfg = load(config)
    terms = cfg.model.generator_losses
    assert (terms.onehot.loss_weight, terms.entropy.loss_weight,
            terms.activation.loss_weight) == weights
    assert terms.entropy.log_base == 10
    assert total_batch(config, cfg) == 1024
    assert cfg.model.generator.latent_dim == 1000
    assert cfg.model.generator.hidden_bn_eps == 0.8
    assert cfg.model.feature_layer == 'neck'
    assert (cfg.model.student_loss.tau,
            cfg.model.student_loss.reduction) == (1.0, 'batchmean')
    assert cfg.model.student_loss.get('loss_weight', 1.0) == 1.0
    assert cfg.model.student_batch == 'generator'
    assert cfg.optim_wrapper.generator.optimizer.type == 'Adam'
    assert cfg.optim_wrapper.generator.optimizer.lr == 0.02
    student = cfg.optim_wrapper.student.optimizer
    assert (student.type, student.lr, student.momentum,
            student.weight_decay) == ('SGD', 0.1, 0.9, 5e-4)
    assert milestones(cfg.param_scheduler.student) == [96000, 192000]
    assert cfg.param_scheduler.generator.type == 'ConstantLR'
    assert cfg.train_cfg.max_iters == 240000


def test_dafl_mmrazor_recipe():
    config = 'dafl/dafl_r34_r18_8xb256_cifar10_mmrazor.py'
    cfg = load(config)
    loss = cfg.model.student_loss
    assert (loss.tau, loss.loss_weight, loss.reduction) == (6.0, 36.0,
                                                            'batchmean')
    assert total_batch(config, cfg) == 2048
    assert cfg.optim_wrapper.student.optimizer.type == 'AdamW'
    assert cfg.optim_wrapper.student.optimizer.lr == 0.1
    assert cfg.optim_wrapper.generator.optimizer.type == 'AdamW'
    assert cfg.optim_wrapper.generator.optimizer.lr == 1e-3
    warmup = cfg.param_scheduler.student[0]
    assert (warmup.type, warmup.start_factor, warmup.end) == ('LinearLR', 1e-4,
                                                              500)
    assert cfg.param_scheduler.generator.end == 500
    assert milestones(cfg.param_scheduler.student) == [12000, 24000]
    assert cfg.train_cfg.max_iters == 30000


@pytest.mark.parametrize('config, batch, decays', [
    ('dfad/dfad_r34_r18_1xb256_cifar10.py', 256, [4950, 9950]),
    ('dfad/dfad_r34_r18_1xb256_cifar100.py', 256, [4950, 9950]),
    ('dfad/dfad_r34_r18_8xb32_cifar10_mmrazor.py', 32, [5000, 10000]),
])
def test_dfad_follows_its_recipe(config, batch, decays):
    # VainF DFAD_cifar.py (released), MMRazor's dfad config
    cfg = load(config)
    model = cfg.model
    assert (model.student_steps, model.order,
            model.student_batch) == (5, 'student_first', 'fresh')
    assert model.student_mode_in_generator_step == 'train'
    assert model.batch_size == batch
    assert total_batch(config, cfg) == 256
    assert model.generator.latent_dim == 256
    assert model.generator.hidden_bn_eps == 1e-5
    assert model.generator_losses.adversarial.type == 'L1Logits'
    assert model.generator_losses.adversarial.loss_weight == -1.0
    assert model.student_loss.type == 'L1Logits'
    assert cfg.optim_wrapper.student.optimizer.lr == 0.1
    assert cfg.optim_wrapper.student.optimizer.weight_decay == 5e-4
    assert cfg.optim_wrapper.generator.optimizer.lr == 1e-3
    for network in ('generator', 'student'):
        assert milestones(cfg.param_scheduler[network]) == decays
    assert cfg.train_cfg.max_iters == 25000


@pytest.mark.parametrize('config, student_lr', [
    ('dfq/dfq_wrn-40-2_wrn-16-1_1xb256_cifar10.py', 0.1),
    ('dfq/dfq_wrn-40-2_wrn-40-1_1xb256_cifar10.py', 0.1),
    ('dfq/dfq_wrn-40-2_wrn-16-2_1xb256_cifar10.py', 0.1),
    ('dfq/dfq_r34_r18_1xb256_cifar10.py', 0.1),
    ('dfq/dfq_r34_r18_1xb256_cifar100.py', 0.05),
    ('dfq/dfq_wrn-40-2_wrn-16-1_1xb256_cifar100.py', 0.1),
])
def test_dfq_follows_the_zoo_scripts(config, student_lr):
    # zju-vipa/DataFree scripts/dfq/*.sh, datafree_kd.py, generative.py
    cfg = load(config)
    model = cfg.model
    terms = model.generator_losses
    assert set(terms) == {'bn', 'onehot', 'adversarial', 'balance'}
    assert (terms.bn.loss_weight, terms.onehot.loss_weight,
            terms.adversarial.loss_weight,
            terms.balance.loss_weight) == (1.0, 1.0, -1.0, 20.0)
    assert terms.adversarial.tau == 1.0  # --T 20 is ignored
    assert terms.balance.log_base == pytest.approx(math.e)
    assert model.student_loss.tau == 1.0
    assert model.student_mode_in_generator_step == 'eval'
    assert model.generator_mode_for_student == 'eval'
    assert (model.batch_size, model.student_steps) == (256, 10)
    assert model.generator.latent_dim == 256
    assert cfg.optim_wrapper.student.optimizer.lr == student_lr
    assert cfg.optim_wrapper.student.optimizer.weight_decay == 1e-4
    assert cfg.optim_wrapper.generator.optimizer.betas == (0.5, 0.999)
    assert cfg.param_scheduler.student.type == 'CosineAnnealingLR'
    # 200 epochs x (ep_steps 400 // kd_steps 10) rounds
    assert cfg.train_cfg.max_iters == 8000


@pytest.mark.parametrize('family, terms, kd_steps, latent', [
    ('dafl', {
        'onehot': 1.0,
        'balance': 20.0,
        'activation': 0.001
    }, 5, 512),
    ('dfad', {
        'adversarial': -1.0
    }, 5, 256),
])
@pytest.mark.parametrize('student', ['wrn-16-1', 'wrn-40-1', 'wrn-16-2'])
def test_datafree_wrn_pairs_follow_the_zoo(family, terms, kd_steps, latent,
                                           student):
    config = f'{family}/{family}_wrn-40-2_{student}_1xb256_cifar10.py'
    cfg = load(config)
    model = cfg.model
    assert {k: v.loss_weight
            for k, v in model.generator_losses.items()} == terms
    if 'balance' in terms:
        assert model.generator_losses.balance.log_base == pytest.approx(math.e)
    assert model.generator.type == 'DFQGenerator'
    assert model.generator.latent_dim == latent
    assert (model.order, model.student_batch) == ('generator_first', 'fresh')
    assert model.student_steps == kd_steps
    assert model.generator_mode_for_student == 'eval'
    backbone = Config.fromfile(model.student.cfg_path).model.backbone
    assert [backbone.depth,
            backbone.widen_factor] == [int(v) for v in student.split('-')[1:]]
    # 200 epochs x (ep_steps 400 // kd_steps 5) rounds
    assert cfg.train_cfg.max_iters == 16000


@pytest.mark.parametrize('config',
                         [c for c in CONFIGS if c.endswith('_cifar100.py')])
def test_cifar100_configs_are_cifar100_throughout(config):
    cfg = Config.fromfile(osp.join(REPO_ROOT, config))
    assert cfg.data_preprocessor.num_classes == 100
    assert cfg.data_preprocessor.mean[0] == 129.304
    assert cfg.val_dataloader.dataset.type.endswith('OfflineCIFAR100')
    assert cfg.val_dataloader.dataset.data_root == 'data/cifar100'
    assert cfg.test_dataloader.dataset.type.endswith('OfflineCIFAR100')
    if 'teacher' in cfg.model:
        for network in ('teacher', 'student'):
            sub = Config.fromfile(cfg.model[network].cfg_path)
            assert sub.model.head.num_classes == 100, network
        assert 'cifar100' in cfg.model.teacher_ckpt
    else:
        assert cfg.model.head.num_classes == 100
        assert cfg.train_dataloader.dataset.type.endswith('OfflineCIFAR100')
        assert cfg.train_dataloader.dataset.data_root == 'data/cifar100'


def test_dfq_generator_takes_the_cifar100_normalisation():
    _, model = build_model_of(
        'configs/dfq/dfq_wrn-40-2_wrn-16-1_1xb256_cifar100.py')
    assert model.generator.output == 'sigmoid'
    # the teacher's CIFAR-100 statistics on the [0, 1] scale
    pixel_space = model.generator.pixel_space
    assert pixel_space.mean.flatten()[0].item() == pytest.approx(129.304 / 255)
    assert pixel_space.std.flatten()[0].item() == pytest.approx(68.170 / 255)
    assert model.teacher.head.num_classes == 100
