# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""The DeepInversion, ADI, CMI, Fast, NAYER and CPNet configs build and carry
their authors' recipes (zju-vipa/DataFree 9e79fa9 scripts/deepinv/ and
scripts/cmi/, NVlabs/DeepInversion 2413af1 cifar10/, zju-vipa/Fast-Datafree
0dcecbc scripts/fast_cifar.sh, tmtuan1307/NAYER c6bedcd scripts/nayer_*.sh,
LannCX/CPNet 3f3d397 cpnet_100.sh and cpnet_300.sh)."""
import functools
import os.path as osp

import pytest
from mmengine.config import Config

from mmrazor_zs.registry import MODELS
from .config_snapshot import discover_configs
from .conftest import REPO_ROOT

FOLDERS = ('deepinversion', 'cmi', 'fast', 'nayer', 'cpnet')
CONFIGS = [
    config for config in discover_configs() if config.split('/')[1] in FOLDERS
]
CIFAR = [c for c in CONFIGS if 'cifar' in c]
#: scripts/fast_cifar.sh: (g_steps, lr_g, lr_z)
FAST_STEPS = {2: (5e-3, 0.015), 5: (3e-3, 0.01), 10: (2e-3, 0.01)}


def without_unshipped_files(model_cfg) -> None:
    """Make a model config buildable without the files the repository does not
    ship: no teacher checkpoint (CIFAR and ImageNet teachers) and random rows
    of their width for NAYER's converted CLIP label embeddings."""
    teacher_ckpt = model_cfg.get('teacher_ckpt')
    if teacher_ckpt and not osp.isfile(osp.join(REPO_ROOT, teacher_ckpt)):
        model_cfg.teacher_ckpt = None
    generator = model_cfg.get('synthesizer', {}).get('generator', {})
    embeddings = generator.get('label_embeddings')
    if isinstance(embeddings,
                  str) and not osp.isfile(osp.join(REPO_ROOT, embeddings)):
        generator.label_embeddings = dict(type='random', dim=512, seed=0)


@functools.lru_cache(maxsize=None)
def build(config: str):
    """The config and its model, built once per test session."""
    cfg = Config.fromfile(osp.join(REPO_ROOT, config))
    without_unshipped_files(cfg.model)
    return cfg, MODELS.build(cfg.model)


def assert_zju_student_recipe(cfg, model) -> None:
    """The student stage of the zju-vipa scripts (Fast's and NAYER's): SGD 0.2,
    momentum 0.9, weight decay 1e-4, cosine to 2e-4, KL at T = 20 weighted by
    T^2 = 400 as their KLDiv."""
    student = cfg.optim_wrapper.student.optimizer
    assert (student.type, student.lr, student.momentum,
            student.weight_decay) == ('SGD', 0.2, 0.9, 1e-4)
    assert cfg.param_scheduler.student.eta_min == 2e-4
    assert model.student_loss.tau == 20 and \
        model.student_loss.loss_weight == 400


def test_every_folder_has_digits_and_cifar_configs():
    for folder in FOLDERS:
        found = [c for c in CONFIGS if c.startswith(f'configs/{folder}/')]
        assert any(c.endswith('_digits.py') for c in found), folder
        assert any(c.endswith('_cifar10.py') for c in found), folder
        assert any(c.endswith('_cifar100.py') for c in found), folder


@pytest.mark.parametrize('config', CONFIGS)
def test_config_builds_a_data_free_run(config):
    cfg, model = build(config)
    assert cfg.train_cfg.type == 'DataFreeTrainLoop'
    assert cfg.train_dataloader == {}
    assert set(cfg.optim_wrapper) - {'constructor'} == {'student'}
    assert {'ImagePoolHook', 'DistillSummaryHook'
            } <= {hook['type']
                  for hook in cfg.custom_hooks}
    assert type(model).__name__ == cfg.model.type
    classes = 1000 if 'imagenet' in config else (
        100 if 'cifar100' in config else 10)
    assert model.synthesizer.num_classes == classes
    if 'cifar100' in config:
        assert cfg.val_dataloader.dataset.type == 'OfflineCIFAR100'
        assert cfg.data_preprocessor.num_classes == 100


@pytest.mark.parametrize('config', [c for c in CIFAR if '/fast-' in c])
def test_fast_configs_follow_the_script(config):
    cfg, model = build(config)
    steps = int(osp.basename(config).split('_')[0].split('-')[1])
    lr_g, lr_z = FAST_STEPS[steps]
    synthesizer = model.synthesizer
    assert (synthesizer.steps, synthesizer.lr_g,
            synthesizer.lr_z) == (steps, lr_g, lr_z)
    assert synthesizer.meta == 'fomaml'
    assert synthesizer.meta_optimizer.param_groups[0]['lr'] == pytest.approx(
        lr_g * steps)
    assert synthesizer.batch_size == model.batch_size == 256
    assert synthesizer.losses.bn_statistics.momentum == 0.9
    weights = {k: t.loss_weight for k, t in synthesizer.losses.items()}
    wrn = 'wrn-40-2' in config
    assert weights == dict(
        bn=10.0,
        onehot=0.4 if wrn else 0.5,
        adversarial=-1.1 if wrn else -1.33)
    assert (model.warmup_rounds, model.round_interval) == (20, 400)
    assert synthesizer.student_terms_from_round == 19
    assert synthesizer.reset_first_layers_at_round == 139
    assert cfg.train_cfg.max_iters == 200 * 400
    assert_zju_student_recipe(cfg, model)


@pytest.mark.parametrize('config', [c for c in CIFAR if '/nayer-' in c])
def test_nayer_configs_follow_the_scripts(config):
    cfg, model = build(config)
    epochs = int(osp.basename(config).split('_')[0].split('-')[1])
    cifar100 = config.endswith('_cifar100.py')
    synthesizer = model.synthesizer
    assert type(synthesizer).__name__ == 'NAYERSynthesizer'
    assert (synthesizer.steps, synthesizer.lr_g, synthesizer.batch_size,
            synthesizer.betas) == (40 if cifar100 else 30, 4e-3, 400, (0.5,
                                                                       0.999))
    assert synthesizer.labels == 'balanced'
    assert synthesizer.augment_args == dict(padding=4, flip=True)
    assert synthesizer.losses.bn_statistics.momentum == 0.9
    weights = {k: t.loss_weight for k, t in synthesizer.losses.items()}
    assert weights == dict(bn=10.0, onehot=0.5, adversarial=-1.33)
    generator = synthesizer.generator
    classes = 100 if cifar100 else 10
    assert len(generator.noisy_layers) == 400 // classes
    assert generator.noisy_layers[0].in_features == 512
    assert generator.noise_dim == 1000
    assert generator.trunk.seed_channels == 128
    written = Config.fromfile(osp.join(REPO_ROOT, config)).model.synthesizer
    assert written.generator.label_embeddings == (
        f'data/label_embeddings/cifar{classes}_nayer-clip-vit-b32.pth')
    assert (synthesizer.warmup_epochs, synthesizer.warmup_loops,
            synthesizer.loops, synthesizer.generator_life) == (20, 10, 2, 10)
    assert (model.warmup_rounds, model.rounds_per_interval,
            model.round_interval, model.batch_size) == (200, 2, 400, 512)
    assert synthesizer.student_terms_from_round == 200
    assert cfg.train_cfg.max_iters == epochs * 400
    assert_zju_student_recipe(cfg, model)


#: the code's _BN_NODES, in the zoo's module names, and the shapes of their
#: inputs (channels, size) on a 32 x 32 image
CPNET_NODES = dict(
    wrn=([
        'backbone.final_bn', 'backbone.group3.0.bn1', 'backbone.group2.0.bn1',
        'backbone.group1.0.bn1'
    ], [(128, 8), (64, 16), (32, 32), (16, 32)]),
    r34=([
        'backbone.layer4.2.bn2', 'backbone.layer3.5.bn2',
        'backbone.layer2.3.bn2', 'backbone.layer1.2.bn2'
    ], [(512, 4), (256, 8), (128, 16), (64, 32)]))


@pytest.mark.parametrize('config', [c for c in CIFAR if '/cpnet-' in c])
def test_cpnet_configs_follow_the_scripts(config):
    """cpnet_100.sh / cpnet_300.sh: NAYER's loop and student stage, CPNet's
    synthesis, the coupled layers of the code's table."""
    cfg, model = build(config)
    epochs = int(osp.basename(config).split('_')[0].split('-')[1])
    cifar100 = config.endswith('_cifar100.py')
    synthesizer = model.synthesizer
    assert type(synthesizer).__name__ == 'CPNetSynthesizer'
    assert (synthesizer.steps, synthesizer.lr_g,
            synthesizer.batch_size) == (40 if cifar100 else 30, 4e-3, 400)
    weights = {k: t.loss_weight for k, t in synthesizer.losses.items()}
    assert weights == dict(bn=10.0, onehot=0.5, adversarial=-1.33)
    assert synthesizer.losses['adversarial'].reverse
    assert synthesizer.losses.bn_statistics.momentum == 0.9
    assert (synthesizer.coupling_weight, synthesizer.alignment_weight,
            synthesizer.cutmix_prob) == (1.0, 1.33, 0.5)
    assert synthesizer.augment_args == dict(padding=4, flip=True)
    assert synthesizer.color_jitter == dict(
        brightness=0.1, contrast=0.1, saturation=0.1, hue=0.1, p=0.4)
    nodes, shapes = CPNET_NODES['r34' if '_r34_' in config else 'wrn']
    assert synthesizer.bn_nodes == nodes
    assert synthesizer.generator.stage_shapes == shapes
    assert synthesizer.generator.noise_dim == 1000
    assert (synthesizer.warmup_epochs, synthesizer.warmup_loops,
            synthesizer.loops, synthesizer.generator_life) == (20, 10, 2, 10)
    assert (model.warmup_rounds, model.rounds_per_interval,
            model.round_interval, model.batch_size) == (200, 2, 400, 512)
    assert cfg.train_cfg.max_iters == epochs * 400
    assert_zju_student_recipe(cfg, model)


@pytest.mark.parametrize('config', [c for c in CIFAR if '/cmi_' in c])
def test_cmi_configs_follow_the_script(config):
    cfg, model = build(config)
    synthesizer = model.synthesizer
    assert (synthesizer.steps, synthesizer.lr_g,
            synthesizer.batch_size) == (200, 1e-3, 256)
    assert model.batch_size == 128 and model.round_interval == 400
    assert synthesizer.bank.shape[0] == 40960
    assert synthesizer.negatives == 4096
    assert (synthesizer.contrast_weight,
            synthesizer.contrast_temperature) == (0.8, 0.1)
    weights = {k: t.loss_weight for k, t in synthesizer.losses.items()}
    assert weights == dict(bn=1.0, onehot=1.0, adversarial=-0.5)
    assert synthesizer.head.layers[2].out_features == 256
    if '_r34_' in config:  # the inputs of layer1..layer4: 64+64+128+256
        assert synthesizer.head.layers[0].in_features == 512
    assert cfg.train_cfg.max_iters == 200 * 400
    student = cfg.optim_wrapper.student.optimizer
    assert (student.type, student.lr, student.weight_decay) == ('SGD', 0.1,
                                                                1e-4)


@pytest.mark.parametrize('config', [c for c in CIFAR if '/adi_' in c])
def test_adi_configs_follow_the_zoo_deepinv_script(config):
    cfg, model = build(config)
    synthesizer = model.synthesizer
    assert type(synthesizer).__name__ == 'DeepInversionSynthesizer'
    assert (synthesizer.steps, synthesizer.lr, synthesizer.betas,
            synthesizer.batch_size) == (1000, 0.1, (0.5, 0.99), 256)
    assert synthesizer.augment_args == dict(max_shift=4, flip=True)
    assert synthesizer.clip and synthesizer.labels == 'random'
    # deepinversion.py lines 83/100: `best_inputs = inputs.data` aliases the
    # tensor Adam and clip_images update in place, so the pool gets the last
    assert synthesizer.keep == 'last'
    terms = dict(synthesizer.losses.items())
    assert {k: t.loss_weight
            for k, t in terms.items()} == dict(
                bn=10.0, onehot=1.0, tv=1e-3, competition=-1.0)
    assert terms['tv'].form == 'mean_abs'
    assert terms['tv'].inputs == ('synthesized_images', )
    assert (terms['competition'].form, terms['competition'].tau) == ('zju',
                                                                     3.0)
    assert (model.round_interval, model.batch_size) == (400, 256)
    assert cfg.train_cfg.max_iters == 200 * 400
    student = cfg.optim_wrapper.student.optimizer
    assert (student.type, student.lr, student.momentum,
            student.weight_decay) == ('SGD', 0.1, 0.9, 1e-4)


def test_offline_deepinversion_takes_nvlabs_synthesis():
    cfg, model = build(
        'configs/deepinversion/deepinversion_r34_r18_1xb256_cifar10.py')
    synthesizer = model.synthesizer
    assert (model.round_interval, model.warmup_rounds) == (None, 200)
    assert all(model.rounds_due(i) == 200 for i in (0, 400, 79999))
    assert (synthesizer.steps, synthesizer.lr,
            synthesizer.betas) == (2000, 0.05, (0.9, 0.999))
    assert synthesizer.augment_args == dict(max_shift=2, flip=False)
    assert not synthesizer.clip and synthesizer.labels == 'cycle'
    # deepinversion_cifar10.py lines 194-196, 205: the same alias
    assert synthesizer.keep == 'last'
    terms = dict(synthesizer.losses.items())
    assert {k: t.loss_weight
            for k, t in terms.items()} == dict(
                bn=10.0, onehot=1.0, tv=2.5e-5)
    assert terms['tv'].form == 'norm' and terms['tv'].inputs == ('images', )
    assert not synthesizer.losses.needs_student


@pytest.mark.parametrize('config', [
    c for c in CONFIGS
    if c.endswith('_digits.py') and c.startswith('configs/deepinversion/')
])
def test_deepinversion_digits_demos_keep_best(config):
    # their published numbers were measured with the lowest-loss iterate
    _, model = build(config)
    assert model.synthesizer.keep == 'best'
