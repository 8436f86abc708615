# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Data-impression synthesis speed against the teacher's plain forward and
backward at the same batch size (the upper bound).

    python tools/analysis_tools/benchmark_synthesis.py CONFIG [--steps 50]
        [--rounds 5] [--batch N] [--device cpu|cuda] [--cfg-options K=V]

One optimisation step of :class:`ImpressionOptimizer` (teacher forward,
CE at tau, backward to the input, Adam, range projection) is timed against
the plain PyTorch form of the same step (``torch.optim.Adam`` on the
pixels, normalised and differentiated through every step) and against the
upper bound, the teacher's bare forward and backward to the input
(``torch.autograd.grad(teacher(x).sum(), x)``). Reported: ms per step for
the three, the ratio upper bound / ours (1.0 means synthesis runs at the
teacher's forward+backward speed), and the impressions per second that the
config's ``synthesis.iterations`` implies. Medians of ``--rounds`` rounds,
each running the three forth and back (``mmrazor_zs.testing.
alternating_times``: drift within a round falls on all three alike); the
ratio is the median over the rounds of the ratio within each.
"""
import argparse

import torch
from mmengine.config import DictAction
from mmengine.registry import init_default_scope

from mmrazor_zs.models.synthesizers import ImpressionOptimizer
from mmrazor_zs.models.synthesizers.impression_synthesis import \
    synthesis_settings
from mmrazor_zs.models.utils import build_submodel, load_teacher_checkpoint
from mmrazor_zs.testing import (alternating_times, benchmark_device,
                                device_description)
from mmrazor_zs.utils import PixelSpace, keep_freed_memory_in_heap, load_config


def parse_args() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('--steps', type=int, default=50)
    parser.add_argument('--rounds', type=int, default=5)
    parser.add_argument(
        '--batch',
        type=int,
        default=None,
        help='defaults to synthesis.shard_size')
    parser.add_argument('--device', default=None)
    parser.add_argument(
        '--cfg-options',
        nargs='+',
        action=DictAction,
        default={},
        help='override config settings, e.g. model.teacher_ckpt=None to '
        'time a teacher without its checkpoint')
    return parser.parse_args()


def main() -> None:
    """Time the three steps and print the result."""
    args = parse_args()
    keep_freed_memory_in_heap()
    cfg = load_config(args.config)
    cfg.merge_from_dict(args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmrazor_zs'))
    device = benchmark_device(args.device)
    settings = synthesis_settings(cfg.synthesis)
    teacher = build_submodel(cfg.model.teacher, 'teacher')
    if cfg.model.get('teacher_ckpt'):
        load_teacher_checkpoint(teacher, cfg.model.teacher_ckpt)
    teacher = teacher.to(device).eval()
    for param in teacher.parameters():
        param.requires_grad_(False)
    batch = args.batch or settings['shard_size']
    shape = settings['input_shape']
    optimizer = ImpressionOptimizer(
        teacher,
        shape,
        PixelSpace(cfg.data_preprocessor.mean, cfg.data_preprocessor.std),
        lr=settings['lr'],
        tau=settings['tau'],
        range_mode=settings['range_mode'])
    num_classes = teacher(
        torch.zeros(1, *shape, device=device), mode='tensor').shape[1]
    targets = torch.softmax(
        torch.randn(batch, num_classes, device=device), dim=1)

    def ours(steps: int) -> None:
        optimizer.iterations = steps
        optimizer(targets)

    inputs = torch.rand(batch, *shape, device=device, requires_grad=True)

    def bound(steps: int) -> None:
        for _ in range(steps):
            torch.autograd.grad(teacher(inputs, mode='tensor').sum(), inputs)

    # the plain-PyTorch baseline spells out the normalisation on purpose,
    # as a user would write it, instead of using PixelSpace
    mean = torch.tensor(cfg.data_preprocessor.mean, device=device)
    std = torch.tensor(cfg.data_preprocessor.std, device=device)

    def textbook(steps: int) -> None:
        pixels = torch.rand(batch, *shape, device=device, requires_grad=True)
        adam = torch.optim.Adam([pixels], lr=settings['lr'])
        for _ in range(steps):
            normalised = (255 * pixels - mean.view(-1, 1, 1)) / std.view(
                -1, 1, 1)
            log_probs = torch.log_softmax(
                teacher(normalised, mode='tensor') / settings['tau'], 1)
            loss = -(targets * log_probs).sum(1).mean()
            adam.zero_grad()
            loss.backward()
            adam.step()
            with torch.no_grad():
                pixels.clamp_(0, 1)

    times = alternating_times(
        dict(ours=ours, textbook=textbook, bound=bound),
        args.steps,
        args.rounds,
        device,
        warmup_steps=3)
    ours_ms, textbook_ms, plain_ms = (
        times.median(name) * 1000 for name in ('ours', 'textbook', 'bound'))
    per_second = batch / (ours_ms / 1000 * settings['iterations'])
    device_name = device_description(device)
    for key, value in (('config', args.config), ('device', device_name),
                       ('batch', batch), ('synthesis ms/step',
                                          f'{ours_ms:.2f}'),
                       ('plain PyTorch step ms', f'{textbook_ms:.2f}'),
                       ('teacher fwd+bwd ms/step', f'{plain_ms:.2f}'),
                       ('ratio (fwd+bwd / ours)',
                        f'{times.ratio("bound", "ours"):.3f}'),
                       ('iterations per impression',
                        settings['iterations']), ('impressions per second',
                                                  f'{per_second:.1f}')):
        print(f'{key:>26}: {value}')


if __name__ == '__main__':
    main()
