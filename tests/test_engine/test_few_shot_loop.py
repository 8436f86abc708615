# Copyright (c) mmrazor_zs contributors. All rights reserved.
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.runner import Runner

from mmrazor_zs.engine.runner.few_shot_loop import scaled_epochs
from mmrazor_zs.registry import PARAM_SCHEDULERS

REPO_ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DIGITS_CONFIG = osp.join(
    REPO_ROOT, 'configs/kd_at/kd-at_m10_lenet5_lenet5-half_1xb128_digits.py')


def released_code_schedule(n_images, num_per_class, base_epochs, base_decays):
    """polo5/FewShotKnowledgeTransfer main.py, verbatim arithmetic."""
    scale = 1 * n_images / (10 * num_per_class)
    return (int(base_epochs * scale), [int(i * scale) for i in base_decays])


def milestones_of(end, fractions=(0.3, 0.6, 0.8)):
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    scheduler = PARAM_SCHEDULERS.build(
        dict(
            type='FractionalMultiStepLR',
            optimizer=optimizer,
            milestone_fractions=fractions,
            gamma=0.2,
            end=end))
    return sorted(scheduler.milestones)


@pytest.mark.parametrize(
    'n_images, m, base_epochs, base_decays',
    [
        (50000, 200, 200, (60, 120, 160)),  # CIFAR-10, the paper's Table 1
        (50000, 10, 200, (60, 120, 160)),
        (73257, 10, 100, (30, 60, 80)),  # SVHN
        (1347, 5, 30, (9, 18, 24)),  # digits: 30% / 60% / 80% of 30 epochs
        (1347, 10, 30, (9, 18, 24)),
        (1347, 20, 30, (9, 18, 24)),
    ])
def test_schedule_is_the_released_code_one(n_images, m, base_epochs,
                                           base_decays):
    epochs, decays = released_code_schedule(n_images, m, base_epochs,
                                            base_decays)
    assert scaled_epochs(base_epochs, n_images, 10 * m) == epochs
    assert milestones_of(epochs) == decays


def test_exact_where_the_released_code_rounds_down():
    # 30 * (1347 / 10) is 4040.9999999999995 in floating point
    epochs, decays = released_code_schedule(1347, 1, 30, (9, 18, 24))
    assert (epochs, decays) == (4040, [1212, 2424, 3232])
    assert scaled_epochs(30, 1347, 10) == 4041
    assert milestones_of(4041) == [1212, 2424, 3232]


def test_cifar_m200_numbers():
    assert scaled_epochs(200, 50000, 2000) == 5000
    assert milestones_of(5000) == [1500, 3000, 4000]


def test_fractions_are_exact_decimals():
    # 0.29 * 100 is 28.999999999999996 in floating point
    assert milestones_of(100, (0.29, )) == [29]


@pytest.mark.parametrize('fractions', [(), (0.5, 0.3), (0.3, 1.0), (0, )])
def test_bad_fractions(fractions):
    with pytest.raises(ValueError, match='increasing fractions in'):
        milestones_of(10, fractions)


def test_fractional_scheduler_needs_an_end():
    optimizer = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)
    with pytest.raises(ValueError, match='needs a finite `end`'):
        PARAM_SCHEDULERS.build(
            dict(
                type='FractionalMultiStepLR',
                optimizer=optimizer,
                milestone_fractions=(0.5, )))


def digits_runner(tmp_path, **options) -> Runner:
    cfg = Config.fromfile(DIGITS_CONFIG)
    ckpt = osp.join(REPO_ROOT, cfg.model.teacher_ckpt)
    cfg.merge_from_dict(  # what --cfg-options does
        dict({
            'work_dir': str(tmp_path),
            'model.teacher_ckpt': ckpt
        }, **options))
    return Runner.from_cfg(cfg)


def test_overriding_m_changes_subset_and_schedule(tmp_path):
    runner = digits_runner(tmp_path,
                           **{'train_dataloader.dataset.num_per_class': 5})
    loop = runner.train_loop
    assert len(loop.dataloader.dataset) == 50
    assert loop.max_epochs == 808  # floor(30 * 1347 / 50)
    assert loop.max_iters == 808  # 50 images: one batch per epoch
    assert loop.val_interval == 134  # floor(5 * 1347 / 50)
    runner.optim_wrapper = runner.build_optim_wrapper(runner.optim_wrapper)
    schedulers = runner.build_param_scheduler(runner.param_schedulers)
    assert sorted(schedulers[0].milestones) == [242, 484, 646]


def test_short_run_follows_the_schedule(tmp_path):
    # M = 20 (200 images, batches of 128 + 72), 1 full-data epoch:
    # floor(1347 / 200) = 6 epochs, lr decays after epochs 1, 3 and 4
    runner = digits_runner(
        tmp_path, **{
            'train_dataloader.dataset.num_per_class': 20,
            'train_cfg.base_epochs': 1,
            'train_cfg.val_interval': 1
        })
    runner.train()
    assert (runner.epoch, runner.iter) == (6, 12)
    assert sorted(runner.param_schedulers[0].milestones) == [1, 3, 4]
    lr = runner.optim_wrapper.get_lr()['lr'][0]
    assert lr == pytest.approx(0.1 * 0.2**3)
    assert osp.isfile(osp.join(str(tmp_path), 'epoch_6.pth'))


def test_the_loop_needs_a_class_balanced_subset(tmp_path):
    runner = digits_runner(
        tmp_path, **{
            'train_dataloader.dataset':
            dict(_delete_=True, type='Digits', split='train')
        })
    with pytest.raises(TypeError, match='must be a ClassBalancedSubset'):
        runner.train_loop


@pytest.mark.parametrize('key, value', [('base_epochs', 0),
                                        ('val_interval', 1.5)])
def test_bad_loop_settings(tmp_path, key, value):
    runner = digits_runner(tmp_path, **{f'train_cfg.{key}': value})
    with pytest.raises(
            ValueError,
            match=f'`{key}` of FewShotTrainLoop must be an integer >= 1, but '
            f'got {value!r}'):
        runner.train_loop
