# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Data-impression synthesis speed against the teacher's plain forward and
backward at the same batch size (the upper bound).

    python tools/analysis_tools/benchmark_synthesis.py CONFIG [--steps 50]
        [--rounds 5] [--batch N] [--device cpu|cuda]

One optimisation step of :class:`ImpressionOptimizer` (teacher forward,
CE at tau, backward to the input, Adam, range projection) is timed against a
plain PyTorch loop doing only ``teacher(x).sum().backward()`` with respect
to ``x``. Reported: ms per step for both, their ratio (plain / ours; 1.0
means synthesis runs at the teacher's forward+backward speed), and the
impressions per second that the config's ``synthesis.iterations`` implies.
"""
import argparse
import statistics
import time

import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmrazor_zs.apis import synthesis_settings
from mmrazor_zs.models.synthesizers import ImpressionOptimizer
from mmrazor_zs.models.utils import build_submodel, load_teacher_checkpoint
from mmrazor_zs.utils import keep_freed_memory_in_heap


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('--steps', type=int, default=50)
    parser.add_argument('--rounds', type=int, default=5)
    parser.add_argument('--batch', type=int, default=None,
                        help='defaults to synthesis.shard_size')
    parser.add_argument('--device', default=None)
    return parser.parse_args()


def seconds(fn, steps: int, device: torch.device) -> float:
    if device.type == 'cuda':
        torch.cuda.synchronize()
    start = time.perf_counter()
    fn(steps)
    if device.type == 'cuda':
        torch.cuda.synchronize()
    return (time.perf_counter() - start) / steps


def main() -> None:
    args = parse_args()
    keep_freed_memory_in_heap()
    cfg = Config.fromfile(args.config)
    init_default_scope(cfg.get('default_scope', 'mmrazor_zs'))
    device = torch.device(args.device or (
        'cuda' if torch.cuda.is_available() else 'cpu'))
    settings = synthesis_settings(
        {k: v for k, v in cfg.synthesis.items() if k != 'out_dir'})
    teacher = build_submodel(cfg.model.teacher, 'teacher')
    if cfg.model.get('teacher_ckpt'):
        load_teacher_checkpoint(teacher, cfg.model.teacher_ckpt)
    teacher = teacher.to(device).eval()
    for param in teacher.parameters():
        param.requires_grad_(False)
    batch = args.batch or settings['shard_size']
    shape = settings['input_shape']
    optimizer = ImpressionOptimizer(
        teacher, shape, cfg.data_preprocessor.mean,
        cfg.data_preprocessor.std, lr=settings['lr'], tau=settings['tau'],
        range_mode=settings['range_mode'])
    num_classes = teacher(torch.zeros(1, *shape, device=device),
                          mode='tensor').shape[1]
    targets = torch.softmax(
        torch.randn(batch, num_classes, device=device), dim=1)

    def ours(steps: int) -> None:
        optimizer.iterations = steps
        optimizer(targets)

    inputs = torch.rand(batch, *shape, device=device, requires_grad=True)

    def plain(steps: int) -> None:
        for _ in range(steps):
            teacher(inputs, mode='tensor').sum().backward()

    ours(3)
    plain(3)
    ours_times, plain_times = [], []
    for _ in range(args.rounds):
        ours_times.append(seconds(ours, args.steps, device))
        plain_times.append(seconds(plain, args.steps, device))
    ours_ms = statistics.median(ours_times) * 1000
    plain_ms = statistics.median(plain_times) * 1000
    per_second = batch / (ours_ms / 1000 * settings['iterations'])
    device_name = torch.cuda.get_device_name(device) if \
        device.type == 'cuda' else f'cpu ({torch.get_num_threads()} threads)'
    for key, value in (('config', args.config), ('device', device_name),
                       ('batch', batch),
                       ('synthesis ms/step', f'{ours_ms:.2f}'),
                       ('plain fwd+bwd ms/step', f'{plain_ms:.2f}'),
                       ('ratio (plain / ours)', f'{plain_ms / ours_ms:.3f}'),
                       ('iterations per impression', settings['iterations']),
                       ('impressions per second', f'{per_second:.1f}')):
        print(f'{key:>26}: {value}')


if __name__ == '__main__':
    main()
