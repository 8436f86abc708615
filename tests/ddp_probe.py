# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Hooks for the distributed tests: each rank writes what it saw.

Imported by the training processes of those tests (``custom_imports``) only, it
also leaves their config text unformatted
(:mod:`tests.unformatted_config_text`).
"""
import json
import os.path as osp

import mmengine.config.config as mmengine_config
import torch
from mmengine.dist import get_rank, get_world_size
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmrazor_zs.registry import HOOKS
from .unformatted_config_text import unformatted

mmengine_config.FormatCode = unformatted


@HOOKS.register_module(force=True)
class DDPProbeHook(Hook):
    """After training, write this rank's noise and weight fingerprints."""

    def __init__(self, out_dir: str) -> None:
        self.out_dir = out_dir

    def after_train(self, runner) -> None:
        model = runner.model
        algorithm = model.module if is_model_wrapper(model) else model
        noise = algorithm.sample_noise(0, 0)
        record = dict(
            rank=get_rank(),
            wrapper=type(model).__name__,
            wrapped=type(algorithm.student).__name__,
            noise=float(noise.sum()),
            student=float(
                sum(p.double().sum() for p in algorithm.student.parameters())),
            generator=float(
                sum(p.double().sum()
                    for p in algorithm.generator.parameters())),
            iters=algorithm.num_iters,
        )
        with open(osp.join(self.out_dir, f'rank{get_rank()}.json'), 'w') as f:
            json.dump(record, f)
        # the trained parameters themselves (BN running statistics are
        # per rank: buffers are not broadcast)
        names = ['student', 'generator']
        if getattr(algorithm, 'momentum_generator', None) is not None:
            names.append('momentum_generator')
        torch.save(
            {
                f'{name}.{key}': param.detach().cpu()
                for name in names
                for key, param in getattr(algorithm, name).named_parameters()
            }, osp.join(self.out_dir, f'rank{get_rank()}_params.pth'))
        torch.distributed.barrier()


@HOOKS.register_module(force=True)
class InversionDDPProbeHook(Hook):
    """After training, write this rank's student, synthesizer state and the
    pool it read."""

    def __init__(self, out_dir: str) -> None:
        self.out_dir = out_dir

    def after_train(self, runner) -> None:
        model = runner.model
        algorithm = model.module if is_model_wrapper(model) else model
        rank = get_rank()
        state = {
            f'synthesizer.{k}': v.detach().cpu()
            for k, v in algorithm.synthesizer.state_dict().items()
            if isinstance(v, torch.Tensor)
        }
        state.update({
            f'student.{k}': p.detach().cpu()
            for k, p in algorithm.student.named_parameters()
        })
        state['pool'] = algorithm.pool.load(algorithm.rounds_done)
        record = dict(
            rank=rank,
            wrapper=type(model).__name__,
            student=type(algorithm.student).__name__,
            synthesizer=type(algorithm.synthesizer).__name__,
            rounds=algorithm.rounds_done)
        torch.save(
            dict(state, extra=algorithm.synthesizer.get_extra_state()),
            osp.join(self.out_dir, f'rank{rank}_inversion.pth'))
        with open(osp.join(self.out_dir, f'rank{rank}.json'), 'w') as f:
            json.dump(record, f)
        torch.distributed.barrier()


@HOOKS.register_module(force=True)
class StudentDDPProbeHook(Hook):
    """After training, write this rank's student parameters (not its buffers:

    BN running statistics are per rank where the wrapper does not broadcast
    them), the world size, the model's wrapper and the iterations run to
    ``rank{rank}_student.pth``; for every algorithm (generator, inversion,
    impressions, few-shot).
    """

    def __init__(self, out_dir: str) -> None:
        self.out_dir = out_dir

    def after_train(self, runner) -> None:
        model = runner.model
        algorithm = model.module if is_model_wrapper(model) else model
        record = dict(
            world_size=get_world_size(),
            wrapper=type(model).__name__,
            iters=runner.iter,
            params={
                key: param.detach().cpu()
                for key, param in algorithm.student.named_parameters()
            })
        torch.save(record,
                   osp.join(self.out_dir, f'rank{get_rank()}_student.pth'))
        torch.distributed.barrier()
