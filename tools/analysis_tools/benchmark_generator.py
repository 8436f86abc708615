# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Time one ZSKT iteration of mmrazor_zs against plain PyTorch.

    python tools/analysis_tools/benchmark_zskt.py CONFIG [--iters 30]
        [--warmup 5] [--rounds 5] [--device cpu|cuda] [--out result.json]

Both sides run the same math with copies of the same networks and the same
batch size: n_g generator steps (-KL, backward into the generator only,
clipping, Adam), the pseudo batch and teacher output (once, or for every
student step in 'fresh' mode), n_s student steps (KL + attention transfer,
clipping, Adam) and the cosine schedules. The framework side is the
algorithm's ``train_step`` with the config's ``OptimWrapperDict`` and
mmengine parameter schedulers; the plain side is a hand-written loop over
``torch.optim``. Rounds alternate between the two to cancel drift; the
medians of the per-round means are reported, with their ratio
(framework / plain).
"""
import argparse
import copy
import json
import statistics
from typing import Callable, List

import torch
import torch.nn.functional as F
from mmengine.config import DictAction
from mmengine.optim import build_optim_wrapper
from mmengine.registry import init_default_scope
from torch.nn.utils import clip_grad_norm_

from mmrazor_zs.models.losses import attention_map
from mmrazor_zs.registry import MODELS, PARAM_SCHEDULERS
from mmrazor_zs.testing import seconds_per_step
from mmrazor_zs.utils import (checkpoint_safe_globals,
                              keep_freed_memory_in_heap, load_config)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('--iters', type=int, default=30,
                        help='iterations per side and round')
    parser.add_argument('--warmup', type=int, default=5)
    parser.add_argument('--rounds', type=int, default=5)
    parser.add_argument('--device', default=None)
    parser.add_argument('--out', help='write the result as JSON here')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args()


def kl_mean(student_logits, teacher_logits):
    """KL(teacher || student), element-wise mean, in plain torch."""
    return F.kl_div(
        F.log_softmax(student_logits, 1),
        F.softmax(teacher_logits, 1),
        reduction='sum') / student_logits.numel()


class PlainZSKT:
    """The same iteration written directly against torch."""

    def __init__(self, algorithm, cfg, max_iters: int) -> None:
        self.teacher = copy.deepcopy(algorithm.teacher)
        self.student = copy.deepcopy(algorithm.student)
        self.generator = copy.deepcopy(algorithm.generator)
        self.batch_size = algorithm.batch_size
        self.latent_dim = algorithm.latent_dim
        self.n_g = algorithm.generator_steps
        self.n_s = algorithm.student_steps
        self.fresh = algorithm.student_batch == 'fresh'
        self.at_weight = algorithm.at_loss.loss_weight
        self.at_pairs = algorithm.at_pairs
        self.features = {}
        modules = {
            'student': dict(self.student.named_modules()),
            'teacher': dict(self.teacher.named_modules()),
        }
        for index, pair in enumerate(self.at_pairs):
            for role, layer in zip(('student', 'teacher'), pair):
                modules[role][layer].register_forward_hook(
                    self._store(role, index))
        ow = cfg.optim_wrapper
        self.opt_g = torch.optim.Adam(
            self.generator.parameters(), lr=ow.generator.optimizer.lr)
        self.opt_s = torch.optim.Adam(
            self.student.parameters(), lr=ow.student.optimizer.lr)
        self.sched = [
            torch.optim.lr_scheduler.CosineAnnealingLR(opt, max_iters)
            for opt in (self.opt_g, self.opt_s)
        ]
        self.device = next(self.student.parameters()).device

    def _store(self, role, index):

        def hook(module, inputs, output):
            self.features[(role, index)] = output

        return hook

    def _at(self):
        return sum(
            (attention_map(self.features[('student', i)]) -
             attention_map(self.features[('teacher', i)])).pow(2).mean()
            for i in range(len(self.at_pairs)))

    def noise(self) -> torch.Tensor:
        return torch.randn(
            self.batch_size, self.latent_dim, device=self.device)

    def step(self) -> None:
        z = self.noise()
        for _ in range(self.n_g):
            images = self.generator(z)
            loss = -kl_mean(
                self.student(images, mode='tensor'),
                self.teacher(images, mode='tensor'))
            self.opt_g.zero_grad()
            loss.backward(inputs=list(self.generator.parameters()))
            clip_grad_norm_(self.generator.parameters(), 5)
            self.opt_g.step()
        for step in range(self.n_s):
            if step == 0 or self.fresh:
                with torch.no_grad():
                    images = self.generator(self.noise() if self.fresh else z)
                    teacher_logits = self.teacher(images, mode='tensor')
            loss = kl_mean(self.student(images, mode='tensor'), teacher_logits)
            if self.at_pairs:
                loss = loss + self.at_weight * self._at()
            self.opt_s.zero_grad()
            loss.backward()
            clip_grad_norm_(self.student.parameters(), 5)
            self.opt_s.step()
        for sched in self.sched:
            sched.step()


def time_per_iter(step: Callable[[], None], iters: int, device) -> float:
    return seconds_per_step(lambda n: [step() for _ in range(n)], iters,
                            device)


def main() -> None:
    args = parse_args()
    keep_freed_memory_in_heap()
    cfg = load_config(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmrazor_zs'))
    device = torch.device(args.device or (
        'cuda' if torch.cuda.is_available() else 'cpu'))
    torch.manual_seed(0)
    with checkpoint_safe_globals():
        algorithm = MODELS.build(cfg.model).to(device)
    algorithm.train()
    max_iters = cfg.train_cfg.max_iters
    plain = PlainZSKT(algorithm, cfg, max_iters)
    wrappers = build_optim_wrapper(algorithm, cfg.optim_wrapper)
    schedulers = [
        PARAM_SCHEDULERS.build(
            dict(cfg.param_scheduler[name], end=max_iters),
            default_args=dict(optimizer=wrappers[name]))
        for name in ('generator', 'student')
    ]

    def framework_step() -> None:
        algorithm.train_step(None, wrappers)
        for scheduler in schedulers:
            scheduler.step()

    for step in (framework_step, plain.step):
        time_per_iter(step, args.warmup, device)
    framework: List[float] = []
    reference: List[float] = []
    for _ in range(args.rounds):
        framework.append(time_per_iter(framework_step, args.iters, device))
        reference.append(time_per_iter(plain.step, args.iters, device))
    result = dict(
        config=args.config,
        device=torch.cuda.get_device_name(device)
        if device.type == 'cuda' else f'cpu ({torch.get_num_threads()} '
        'threads)',
        torch=torch.__version__,
        batch_size=algorithm.batch_size,
        student_steps=algorithm.student_steps,
        student_batch=algorithm.student_batch,
        iters_per_round=args.iters,
        rounds=args.rounds,
        framework_ms=round(statistics.median(framework) * 1000, 2),
        plain_pytorch_ms=round(statistics.median(reference) * 1000, 2),
    )
    result['ratio'] = round(result['framework_ms'] /
                            result['plain_pytorch_ms'], 3)
    for key, value in result.items():
        print(f'{key:>18}: {value}')
    if args.out:
        with open(args.out, 'w') as file:
            json.dump(result, file, indent=2)


if __name__ == '__main__':
    main()
