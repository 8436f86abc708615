# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""The ImageNet configs carry their authors' settings: NVlabs/DeepInversion
2413af1 (imagenet_inversion.py, deepinversion.py, utils/utils.py and the README
command) and zju-vipa/Fast-Datafree 0dcecbc (datafree_kd_imagenet.py,
datafree/synthesis/fast_meta_imagenet.py and the arguments its three ImageNet
logs print), NAYER's ImageNet branch with tmtuan1307/NAYER c6bedcd's
datafree_kd.py defaults (its own recipe does not exist), and the student stages
documented as ours."""
import pytest

from .config_snapshot import discover_configs
from .test_inversion_configs import build

IMAGENET = [c for c in discover_configs() if c.endswith('_imagenet.py')]
DEEPINVERSION = [c for c in IMAGENET if '/deepinversion/' in c]
FAST = [c for c in IMAGENET if '/fast/' in c]
NAYER = [c for c in IMAGENET if '/nayer/' in c]
#: NVlabs' setting_id -> (pooled steps, full-size steps, betas, clip)
SETTINGS = {
    'set0': (2000, 1000, (0.5, 0.9), True),
    'set1': (0, 2000, (0.5, 0.9), True),
    'set2': (0, 20000, (0.9, 0.999), False),
}


def test_the_recipes_are_all_here():
    assert (len(DEEPINVERSION), len(FAST), len(NAYER)) == (4, 3, 1)


def assert_imagenet_run(cfg, model):
    """What every ImageNet recipe shares: 224 x 224 images of a ResNet-50
    teacher in torchvision's normalisation, evaluated on mmpretrain's ImageNet
    val split, the pool on the host and re-read with the ImageNet training
    augmentation."""
    assert model.input_shape == (3, 224, 224)
    assert cfg.model.teacher.cfg_path.endswith('resnet50_8xb32_in1k.py')
    assert cfg.data_preprocessor.mean == [123.675, 116.28, 103.53]
    assert cfg.data_preprocessor.std == [58.395, 57.12, 57.375]
    dataset = cfg.val_dataloader.dataset
    assert (dataset.type, dataset.split) == ('mmpretrain.ImageNet', 'val')
    assert model.pool_storage == 'host'
    assert model.pool_augment_type == 'resized_crop_flip'
    assert tuple(model.pool_augment['scale']) == (0.08, 1.0)
    assert model.synthesizer.num_classes == 1000


@pytest.mark.parametrize('config', DEEPINVERSION)
def test_deepinversion_follows_nvlabs(config):
    cfg, model = build(config)
    assert_imagenet_run(cfg, model)
    s = model.synthesizer
    setting = config.split('/')[-1].split('_')[0].split('-')[1]
    pooled, steps, betas, clip = SETTINGS[setting]
    assert [(n, f) for n, f in s.stages
            ] == ([(pooled, 2)] if pooled else []) + [(steps, 1)]
    assert (s.lr, s.betas, s.clip, s.warmup_steps) == (0.25, betas, clip, 100)
    assert s.augment_args == dict(max_shift=30, flip=True)
    assert (s.batch_size, s.labels, s.keep) == (152, 'random',
                                                'best_after_step')
    terms = s.losses.terms
    assert (terms['bn'].first_layer_weight, terms['bn'].loss_weight) == (10.0,
                                                                         0.01)
    assert terms['onehot'].loss_weight == 1.0
    assert (terms['tv_l2'].form, terms['tv_l2'].loss_weight) == ('norm', 1e-4)
    assert terms['l2'].per_image and terms['l2'].loss_weight == 1e-5
    images = 115 * 152 * 8
    assert images == 139840  # the "140k" of Fast-Datafree's README
    if '/adi-' in config:
        competition = terms['competition']
        assert (competition.form, competition.tau,
                competition.loss_weight) == ('nvlabs', 3.0, 0.2)
        assert (model.round_interval, model.warmup_rounds) == (950, 0)
        assert cfg.train_cfg.max_iters // model.round_interval == 115
    else:
        assert 'competition' not in terms
        assert (model.round_interval, model.warmup_rounds) == (None, 115)
    assert cfg.train_cfg.max_iters == 109250
    assert model.batch_size == 64
    assert (model.student_loss.tau, model.student_loss.loss_weight) == (5.0,
                                                                        25.0)


@pytest.mark.parametrize('config', FAST)
def test_fast_follows_its_imagenet_logs(config):
    cfg, model = build(config)
    assert_imagenet_run(cfg, model)
    s = model.synthesizer
    assert (s.batch_size, s.steps, s.lr_g, s.lr_z) == (100, 50, 2e-4, 0.01)
    assert (s.meta, s.reptile_scale, s.lr_g_meta,
            s.lr_z_meta) == ('reptile', 1.0, 1e-4, 5e-3)
    assert s.latent is not None and s.latent.shape == (100, 256, 14, 14)
    assert (s.redraw_latent_every, s.keep) == (50, 'last_step')
    assert s.reset_first_layers_at_round is None
    assert s.augment_args == dict(scale=(0.75, 1.0))
    assert s.student_terms_from_round == 0  # adv from the first call
    terms = s.losses.terms
    adv = 1.0 if 'r18' in config else 0.1
    assert (terms['bn'].loss_weight, terms['onehot'].loss_weight,
            terms['adversarial'].loss_weight) == (0.1, 0.1, -adv)
    assert s.losses.bn_statistics.momentum == 0.9
    assert (model.batch_size, model.round_interval) == (100, 100)
    assert cfg.train_cfg.max_iters == 400 * 1000
    assert (model.student_loss.tau, model.student_loss.loss_weight) == (5.0,
                                                                        25.0)
    student = cfg.optim_wrapper.student.optimizer
    assert (student.type, student.lr, student.momentum,
            student.weight_decay) == ('SGD', 0.1, 0.9, 1e-4)


@pytest.mark.parametrize('config', NAYER)
def test_nayer_takes_the_code_defaults_with_its_bugs_mended(config):
    cfg, model = build(config)
    assert_imagenet_run(cfg, model)
    s = model.synthesizer
    assert (s.batch_size, s.steps, s.lr_g) == (100, 5, 4e-3)
    assert s.labels == 'random'  # not the ten classes of nayer.py:250
    assert (s.augment_type,
            s.augment_args) == ('jitter_crop',
                                dict(max_shift=28, flip=True, padding=4))
    assert type(s.generator.trunk).__name__ == 'ProjectedSpatialGenerator'
    terms = s.losses.terms
    assert (terms['bn'].loss_weight, terms['onehot'].loss_weight,
            terms['adversarial'].loss_weight) == (10.0, 0.5, -1.33)
    assert s.losses.bn_statistics.momentum == 0.9
    assert (model.batch_size, model.round_interval) == (128, 400)
    assert cfg.train_cfg.max_iters == 119 * 400
    assert (model.student_loss.tau, model.student_loss.loss_weight) == (20,
                                                                        400)
