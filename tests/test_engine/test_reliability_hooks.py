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
