# Copyright (c) mmrazor_zs contributors. All rights reserved.
import random
from types import SimpleNamespace

import numpy as np
import pytest
import torch

from mmrazor_zs.engine.hooks import (FiniteLossHook, NonFiniteLossError,
                                     ReseedHook)
from mmrazor_zs.engine.hooks.reseed_hook import reseed_everything


def draws():
    return (random.random(), float(np.random.rand()), float(torch.rand(1)))


def test_draws_are_a_function_of_seed_rank_and_counter():
    reseed_everything(0, 0, 1, 7)
    first = draws()
    draws()  # whatever happened in between ...
    reseed_everything(0, 0, 1, 7)
    assert draws() == first  # ... the same counter draws the same
    for other in ((0, 1, 1, 7), (0, 0, 0, 7), (0, 0, 1, 8), (1, 0, 1, 7)):
        reseed_everything(*other)
        assert all(a != b for a, b in zip(draws(), first)), other


def test_reseed_hook_follows_epoch_and_iteration():
    hook = ReseedHook()
    runner = SimpleNamespace(seed=3, epoch=2, iter=40)
    hook.before_train(runner)
    hook.before_train_iter(runner, 0)
    at_40 = draws()
    runner.iter = 41
    hook.before_train_iter(runner, 1)
    assert draws() != at_40
    runner.iter = 40
    hook.before_train_iter(runner, 0)
    assert draws() == at_40


def test_reseed_hook_needs_a_seed_before_training():
    runner = SimpleNamespace(seed=3, epoch=0, iter=0)
    with pytest.raises(RuntimeError, match='ReseedHook has no seed yet'):
        ReseedHook().before_train_iter(runner, 0)
    given = ReseedHook(seed=5)
    given.before_train(runner)  # a given seed wins over the runner's
    assert given.run_seed == 5


def test_finite_loss_hook_names_the_iteration_and_the_term(tmp_path):
    hook = FiniteLossHook()
    runner = SimpleNamespace(iter=11, work_dir=str(tmp_path))
    hook.after_train_iter(runner, 0, outputs=dict(loss_kl=torch.tensor(1.)))
    (tmp_path / 'last_checkpoint').write_text('/w/iter_10.pth')
    with pytest.raises(NonFiniteLossError) as error:
        hook.after_train_iter(
            runner,
            0,
            outputs=dict(
                loss_kl=torch.tensor(float('inf')),
                loss_at=torch.tensor(0.5),
                loss_generator=torch.tensor(float('nan'))))
    message = str(error.value)
    assert message.startswith('Training stopped at iteration 12: loss_kl = '
                              'inf, loss_generator = nan.')
    assert 'the last good checkpoint is /w/iter_10.pth' in message
    assert 'loss_at' not in message


def test_summary_record_survives_a_resume(tmp_path):
    from mmrazor_zs.engine.hooks import DistillSummaryHook
    runner = SimpleNamespace(
        work_dir=str(tmp_path), iter=0, cfg=dict(resume=True))
    hook = DistillSummaryHook()
    checkpoint = {'meta': {'iter': 4}}
    for it, top1 in ((2, 90.), (4, 95.), (6, 99.)):
        runner.iter = it
        if it == 4:  # the Runner saves before validating the iteration
            hook.before_save_checkpoint(runner, checkpoint)
        hook.after_val_epoch(runner, {'accuracy/top1': top1})
    # killed at iteration 7; a new process resumes from iteration 4
    resumed = DistillSummaryHook()
    resumed.after_load_checkpoint(runner, checkpoint)
    assert resumed._best_student == 95.  # iteration 4's, not 6's
    assert resumed._last == {'accuracy/top1': 95.}
    assert resumed._seconds_before >= 0
    # loading weights into a new run (load_from) starts a new record
    fresh = DistillSummaryHook()
    fresh.after_load_checkpoint(
        SimpleNamespace(work_dir=str(tmp_path), cfg=dict(resume=False)),
        checkpoint)
    assert fresh._best_student is None


def summary_runner(tmp_path, model, train_loop=None):
    """A runner after training, with what ``DistillSummaryHook.summary``
    reads."""
    from mmengine.config import Config
    config = tmp_path / 'cfg.py'
    config.write_text("model = dict(teacher_ckpt='t.pth')\n"
                      "val_dataloader = dict(dataset=dict("
                      "type='OfflineFashionMNIST'))\n")
    return SimpleNamespace(
        cfg=Config.fromfile(str(config)),
        model=model,
        train_loop=train_loop,
        iter=6,
        seed=3,
        work_dir=str(tmp_path),
        log_dir=str(tmp_path),
        logger=SimpleNamespace(info=lambda message: None))


def test_summary_has_the_whole_run_time_and_what_the_run_was(tmp_path):
    import json
    import time

    from mmrazor_zs.engine.hooks import DistillSummaryHook
    zskd_loop = SimpleNamespace(synthesis_summary=lambda: dict(
        synthesized_images=100, synthesis_time_s=1.5, synthesis_seed=5))
    runner = summary_runner(tmp_path, torch.nn.Linear(1, 1), zskd_loop)
    runner.model.seed = 7
    hook = DistillSummaryHook()
    time.sleep(0.2)  # what runs before training (ZSKD's synthesis)
    hook.before_train(runner)
    hook.after_val_epoch(runner, {'accuracy/top1': 90., 'teacher/top1': 99.})
    hook.after_train(runner)
    hook.after_run(runner)
    summary = json.loads((tmp_path / 'summary.json').read_text())
    assert summary['summary_format'] == 3
    assert summary['run_wall_time_s'] >= summary['train_wall_time_s'] + 0.2
    # this test process's own maximum resident set, in MiB
    assert summary['peak_memory_kind'] == 'cpu_max_rss'
    import resource
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    assert 50 < summary['peak_memory_mb'] <= rss_mb + 0.1
    assert summary['synthesized_images_per_s'] == round(100 / 1.5, 1)
    # the train loop's synthesis (ZSKD) when the model has none
    assert summary['synthesized_images'] == 100
    assert summary['synthesis_time_s'] == 1.5
    assert summary['config'] == str(tmp_path / 'cfg.py')  # not under cwd
    assert (summary['algorithm'], summary['dataset'],
            summary['teacher_ckpt']) == ('Linear', 'OfflineFashionMNIST',
                                         't.pth')
    assert (summary['seed'], summary['model_seed'],
            summary['synthesis_seed']) == (3, 7, 5)
    assert summary['world_size'] == 1 and summary['command']
    git = summary['git']  # None outside a git checkout
    assert git is None or (len(git['commit']) == 40
                           and isinstance(git['dirty'], bool))


def test_whole_run_time_survives_a_resume(tmp_path):
    from mmrazor_zs.engine.hooks import DistillSummaryHook
    runner = SimpleNamespace(
        work_dir=str(tmp_path), model=None, cfg=dict(resume=True))
    checkpoint = {'meta': {'iter': 4}}
    first = DistillSummaryHook()
    first._run_start -= 50.  # the killed process ran 50 s
    first.before_save_checkpoint(runner, checkpoint)
    resumed = DistillSummaryHook()
    resumed.after_load_checkpoint(runner, checkpoint)
    assert resumed._run_seconds_so_far() >= 50.
    # a checkpoint of summary format 1 has the training time only
    old = DistillSummaryHook()
    old.after_load_checkpoint(runner, {
        'meta': {
            'iter': 4
        },
        'distill_summary': dict(train_seconds=30.)
    })
    assert 30. <= old._run_seconds_so_far() < 50.


@pytest.mark.parametrize('algorithm,overrides', [
    ('DAFL', {}),
    ('DFAD', {}),
    ('DFAD', dict(student_batch='same')),
    ('DFQ', dict(generator_steps=2)),
])
def test_generator_family_counts_every_generated_image(algorithm, overrides):
    """The summary's image count is what the generator really made for its own
    steps and the student's (DAFL reuses its step's batch; DFAD makes one per
    student step, or one per iteration with 'same')."""
    from mmrazor_zs.registry import MODELS
    from mmrazor_zs.testing import (generator_student_wrappers,
                                    tiny_generator_family_cfg)
    model = MODELS.build(tiny_generator_family_cfg(algorithm, **overrides))
    wrappers = generator_student_wrappers(model)
    made = []
    model.generator.register_forward_hook(
        lambda module, args, output: made.append(output.shape[0]))
    for _ in range(3):
        model.train_step(None, wrappers)
    summary = model.synthesis_summary()
    assert summary['synthesized_images'] == sum(made) > 0
    assert model.synthesis_seconds > 0  # the generator steps were timed
    assert summary['generator_step_time_s'] == round(model.synthesis_seconds,
                                                     1)
