# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""The cost of the batch-norm statistics term on its own: the floor a synthesis
round that matches BN statistics cannot go below.

    python tools/analysis_tools/benchmark_bn_statistics.py CONFIG
        [--iters 20] [--repeats 5] [--batch N] [--device cpu|cuda]
        [--out result.json] [--cfg-options ...]

On the config's teacher, at the synthesis batch (``--batch`` to change it),
three sides per step, each repeat running them forth and back
(``mmrazor_zs.testing.alternating_times``), medians of ``--repeats``:

- bare: the teacher's forward on a batch that requires gradients and the
  backward into the batch (what a DeepInversion step cannot avoid);
- + var_mean: the same with the statistics term of DeepInversion, Fast,
  NAYER and CPNet (``||mu - mu_run||_2 + ||var - var_run||_2`` per BN
  layer, through forward hooks) computed with ``torch.var_mean`` and
  autograd, as the reference codes do;
- + ChannelMeanVar: the same term as the zoo computes it
  (``mmrazor_zs.models.utils.bn_statistics.ChannelMeanVar``: the same
  forward, one fused sweep backward).

Reported: milliseconds per step, the term's own cost (side minus bare),
and ``ceiling`` = bare / (+ ChannelMeanVar) (the median over the repeats
of the ratio within each): the share of the bare rate
that any round with this term can reach, to set beside
``benchmark_inversion.py``'s ``bare_rate``.
"""
import argparse
from typing import Callable, Dict

import torch
import torch.nn as nn
from mmengine.config import DictAction

from mmrazor_zs.models.utils.bn_statistics import ChannelMeanVar
from mmrazor_zs.testing import (alternating_times, benchmark_device,
                                build_benchmark_algorithm, device_description,
                                print_and_save)
from mmrazor_zs.utils import keep_freed_memory_in_heap


def parse_args() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('--iters', type=int, default=20)
    parser.add_argument('--repeats', type=int, default=5)
    parser.add_argument(
        '--batch', type=int, help='defaults to the synthesis batch')
    parser.add_argument('--device', default=None)
    parser.add_argument('--out', help='write the result as JSON here')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args()


def plain_var_mean(batch: torch.Tensor):
    """(mean, biased variance) over (N, H, W) through autograd."""
    var, mean = torch.var_mean(batch, dim=(0, 2, 3), unbiased=False)
    return mean, var


def teacher_steps(teacher: nn.Module,
                  images: torch.Tensor) -> Dict[str, Callable[[int], None]]:
    """The three sides, each a function of a step count."""
    layers = [m for m in teacher.modules() if isinstance(m, nn.BatchNorm2d)]
    inputs: Dict[nn.Module, torch.Tensor] = {}

    def store(module, args, output) -> None:
        inputs[module] = args[0]

    for layer in layers:
        layer.register_forward_hook(store)

    def step(statistics_of) -> None:
        loss = teacher(images, mode='tensor').sum()
        if statistics_of is not None:
            for layer in layers:
                mean, var = statistics_of(inputs[layer])
                loss = loss + torch.linalg.vector_norm(
                    layer.running_mean -
                    mean) + torch.linalg.vector_norm(layer.running_var - var)
        loss.backward(inputs=[images])

    def side(statistics_of) -> Callable[[int], None]:
        return lambda steps: [step(statistics_of) for _ in range(steps)]

    return dict(
        bare=side(None),
        var_mean=side(plain_var_mean),
        channel_mean_var=side(ChannelMeanVar.apply))


def main() -> None:
    """Time the three sides and print (and save) the result."""
    args = parse_args()
    keep_freed_memory_in_heap()
    device = benchmark_device(args.device)
    cfg, algorithm = build_benchmark_algorithm(args.config, args.cfg_options,
                                               device)
    teacher = algorithm.teacher.eval()
    synthesizer = getattr(algorithm, 'synthesizer', None)
    batch = args.batch or getattr(synthesizer, 'batch_size', None) or \
        algorithm.batch_size
    images = torch.randn(
        (batch, ) + tuple(algorithm.input_shape),
        device=device).requires_grad_()
    times = alternating_times(
        teacher_steps(teacher, images),
        args.iters,
        args.repeats,
        device,
        warmup_steps=2)
    ms = {name: times.median(name) * 1000 for name in times.rounds}
    result = dict(
        config=args.config,
        teacher=type(teacher.backbone).__name__,
        bn_layers=sum(
            isinstance(m, nn.BatchNorm2d) for m in teacher.modules()),
        batch=batch,
        device=device_description(device),
        torch=torch.__version__,
        bare_ms=round(ms['bare'], 2),
        var_mean_ms=round(ms['var_mean'], 2),
        channel_mean_var_ms=round(ms['channel_mean_var'], 2),
        var_mean_term_ms=round(ms['var_mean'] - ms['bare'], 2),
        channel_mean_var_term_ms=round(ms['channel_mean_var'] - ms['bare'], 2),
        ceiling=round(times.ratio('bare', 'channel_mean_var'), 3),
    )
    print_and_save(result, args.out)


if __name__ == '__main__':
    main()
