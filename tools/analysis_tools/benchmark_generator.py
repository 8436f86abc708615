# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Time one iteration of a generator-based algorithm (ZSKT, DAFL, DFAD, DFQ) in
mmrazor_zs against plain PyTorch.

    python tools/analysis_tools/benchmark_generator.py CONFIG [--iters 2]
        [--rounds 50] [--warmup 5] [--device cpu|cuda] [--against-itself]
        [--processes 1] [--out result.json]

Both sides run the same math on the same networks (the same tensors: the
plain side steps the algorithm's own teacher, student and generator with
optimisers of its own) and the same batch size. The framework side is the
algorithm's ``train_step`` with the config's ``OptimWrapperDict`` and
mmengine parameter schedulers; the plain side is the algorithm's loop
written by hand against ``torch.optim`` and ``torch.nn.functional``, as the
authors' scripts are:

- ZSKT: n_g generator steps (-KL, backward into the generator only), the
  pseudo batch (once, or per student step in 'fresh' mode), n_s student
  steps (KL + attention transfer);
- DAFL: one batch, the one-hot, information-entropy and activation terms
  and the student's KL summed and stepped together, as ``DAFL-train.py``;
- DFAD: n_s student steps (L1 on logits) on fresh batches, then one
  generator step (-L1), as ``DFAD_cifar.py``;
- DFQ: one generator step (BN statistics through forward hooks, one-hot,
  -KL, class balance) with the student in eval mode, then n_s student steps
  on fresh batches from the generator in eval mode;
- with MAD's ``momentum_generator`` (ZSKT and DFAD): a copy of the
  generator moved towards it after every generator step
  (``avg.mul_(alpha).add_(param, alpha=1 - alpha)``, buffers copied), and
  every student step's loss plus the weighted loss on a fresh batch of the
  copy.

Gradient clipping and the schedules follow the config. Each round runs
the two sides forth and back (framework, plain, plain, framework, ``--iters``
iterations a run: ``mmrazor_zs.testing.alternating_times``); reported are
each side's median over the rounds and ``ratio``, the median of the rounds'
framework / plain (paired: a slowdown of the machine that lasts a round
cancels). ``--against-itself`` times the framework against itself (a
second set of optimiser wrappers on the same networks) instead: the ratio
this measurement gives two identical sides, its resolution on the machine.
``--processes N`` runs the whole measurement in N fresh interpreters, one
after another, and reports the median of each number over them (the
values listed as ``<key>_per_process``): a ratio moves more from one
process to the next than between the rounds of one.
Also reported, per side, ``*_peak_mb``: the most memory the tensors of one
more iteration hold at once above the weights and optimiser states
(``mmrazor_zs.utils.peak_allocated_mb``: the allocator's peak on a GPU,
the profiler's CPU memory events otherwise).
"""
import argparse
import math
from typing import Any, Callable, Dict, List, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.config import DictAction
from mmengine.optim import build_optim_wrapper
from torch.nn.utils import clip_grad_norm_

from mmrazor_zs.models.losses import attention_map
from mmrazor_zs.registry import PARAM_SCHEDULERS
from mmrazor_zs.testing import (add_processes_argument, alternating_times,
                                benchmark_device, build_benchmark_algorithm,
                                device_description, print_and_save,
                                result_over_processes)
from mmrazor_zs.utils import keep_freed_memory_in_heap, peak_allocated_mb


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument(
        '--iters',
        type=int,
        default=2,
        help='iterations per run; a round runs each side twice')
    parser.add_argument('--warmup', type=int, default=5)
    parser.add_argument('--rounds', type=int, default=50)
    parser.add_argument(
        '--against-itself',
        action='store_true',
        help='time the framework against a second copy of its optimiser '
        'wrappers on the same networks: the ratio of two identical sides')
    add_processes_argument(parser)
    parser.add_argument('--device', default=None)
    parser.add_argument('--out', help='write the result as JSON here')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args()


def kl(student_logits, teacher_logits, reduction: str):
    """KL(teacher || student) at temperature 1, in plain torch: 'mean' over
    batch x classes, or 'batchmean'."""
    total = F.kl_div(
        F.log_softmax(student_logits, 1),
        F.softmax(teacher_logits, 1),
        reduction='sum')
    if reduction == 'mean':
        return total / student_logits.numel()
    return total / student_logits.shape[0]


class PlainLoop:
    """The algorithm's own networks stepped by ``torch.optim`` optimisers and
    schedulers built from the config, and the shared pieces of a loop.

    The networks are the framework side's, not copies: a copy's tensors lie
    elsewhere in memory, which alone can move a side's time by a few per cent
    on the CPU. The plain loop's forward hooks (``self.hooks``) are attached
    only while it steps.
    """

    #: whether the loop below adds MAD's momentum generator
    supports_momentum_generator = False

    def __init__(self, algorithm, cfg, max_iters: int) -> None:
        self.teacher = algorithm.teacher
        self.student = algorithm.student
        self.generator = algorithm.generator
        #: (module, forward hook) pairs attached while the loop steps
        self.hooks: List[Tuple[nn.Module, Callable]] = []
        self.batch_size = algorithm.batch_size
        self.latent_dim = algorithm.latent_dim
        self.n_g = algorithm.generator_steps
        self.n_s = algorithm.student_steps
        self.device = next(self.student.parameters()).device
        self.momentum_generator = None
        if algorithm.momentum_generator is not None:
            if not self.supports_momentum_generator:
                raise SystemExit(
                    f'The plain {type(algorithm).__name__} loop has no '
                    'momentum generator (MAD); this tool times it for ZSKT '
                    'and DFAD.')
            self.momentum_generator = algorithm.momentum_generator.module
            self.alpha = algorithm.momentum_generator.momentum
            self.momentum_weight = algorithm.momentum_loss_weight
        self.opt_g, self.clip_g = self._optimizer('generator', cfg)
        self.opt_s, self.clip_s = self._optimizer('student', cfg)
        self.schedulers = [
            sched for sched in (
                self._scheduler(self.opt_g, cfg, 'generator', max_iters),
                self._scheduler(self.opt_s, cfg, 'student', max_iters))
            if sched is not None
        ]

    def _optimizer(self, name: str, cfg):
        wrapper = cfg.optim_wrapper[name]
        kwargs = dict(wrapper.optimizer)
        optimizer_cls = getattr(torch.optim, kwargs.pop('type'))
        network = getattr(self, name)
        clip = (wrapper.get('clip_grad') or {}).get('max_norm')
        return optimizer_cls(network.parameters(), **kwargs), clip

    @staticmethod
    def _scheduler(optimizer, cfg, name: str, max_iters: int):
        schedules = cfg.get('param_scheduler') or {}
        schedule = schedules.get(name) if isinstance(schedules, dict) else None
        if not schedule or schedule['type'] == 'ConstantLR' and schedule.get(
                'factor', 1.0) == 1.0:
            return None
        if schedule['type'] == 'CosineAnnealingLR':
            return torch.optim.lr_scheduler.CosineAnnealingLR(
                optimizer, max_iters, eta_min=schedule.get('eta_min', 0))
        raise NotImplementedError(
            f'The plain side has no {schedule["type"]}; use a config with '
            'cosine or constant schedules, or add it here.')

    def noise(self) -> torch.Tensor:
        return torch.randn(
            self.batch_size, self.latent_dim, device=self.device)

    @staticmethod
    def update(optimizer, loss, params, clip) -> None:
        optimizer.zero_grad()
        loss.backward(inputs=params)
        if clip:
            clip_grad_norm_(params, clip)
        optimizer.step()

    def generator_update(self, loss) -> None:
        self.update(self.opt_g, loss, list(self.generator.parameters()),
                    self.clip_g)
        if self.momentum_generator is not None:
            with torch.no_grad():
                for average, param in zip(self.momentum_generator.parameters(),
                                          self.generator.parameters()):
                    average.mul_(self.alpha).add_(param, alpha=1 - self.alpha)
                for average, buffer in zip(self.momentum_generator.buffers(),
                                           self.generator.buffers()):
                    average.copy_(buffer)

    def momentum_term(self, loss_of: Callable) -> torch.Tensor:
        """The weighted student loss on a fresh batch of the momentum generator
        (0 without one)."""
        if self.momentum_generator is None:
            return torch.zeros((), device=self.device)
        with torch.no_grad():
            images = self.momentum_generator(self.noise())
            teacher_logits = self.teacher(images, mode='tensor')
        return self.momentum_weight * loss_of(images, teacher_logits)

    def student_update(self, loss) -> None:
        self.update(self.opt_s, loss, list(self.student.parameters()),
                    self.clip_s)

    def step(self) -> None:
        handles = [
            module.register_forward_hook(hook) for module, hook in self.hooks
        ]
        try:
            self.iteration()
        finally:
            for handle in handles:
                handle.remove()
        for scheduler in self.schedulers:
            scheduler.step()


class PlainZSKT(PlainLoop):
    supports_momentum_generator = True

    def __init__(self, algorithm, cfg, max_iters: int) -> None:
        super().__init__(algorithm, cfg, max_iters)
        self.fresh = algorithm.student_batch == 'fresh'
        self.reduction = algorithm.student_loss.reduction
        self.at_weight = algorithm.at_loss.loss_weight
        self.at_pairs = algorithm.at_pairs
        self.features = {}
        modules = {
            'student': dict(self.student.named_modules()),
            'teacher': dict(self.teacher.named_modules()),
        }
        for index, pair in enumerate(self.at_pairs):
            for role, layer in zip(('student', 'teacher'), pair):
                self.hooks.append(
                    (modules[role][layer], self._store(role, index)))

    def _store(self, role, index):

        def hook(module, inputs, output):
            self.features[(role, index)] = output

        return hook

    def _at(self):
        return sum(
            (attention_map(self.features[('student', i)]) -
             attention_map(self.features[('teacher', i)])).pow(2).mean()
            for i in range(len(self.at_pairs)))

    def iteration(self) -> None:
        z = self.noise()
        for _ in range(self.n_g):
            images = self.generator(z)
            self.generator_update(-kl(
                self.student(images, mode='tensor'),
                self.teacher(images, mode='tensor'), self.reduction))
        for step in range(self.n_s):
            if step == 0 or self.fresh:
                with torch.no_grad():
                    images = self.generator(self.noise() if self.fresh else z)
                    teacher_logits = self.teacher(images, mode='tensor')
            loss = self._student_loss(images, teacher_logits)
            self.student_update(loss + self.momentum_term(self._student_loss))

    def _student_loss(self, images, teacher_logits):
        loss = kl(
            self.student(images, mode='tensor'), teacher_logits,
            self.reduction)
        if self.at_pairs:
            loss = loss + self.at_weight * self._at()
        return loss


class PlainDAFL(PlainLoop):

    def __init__(self, algorithm, cfg, max_iters: int) -> None:
        super().__init__(algorithm, cfg, max_iters)
        terms = algorithm.generator_losses
        self.w_oh = terms['onehot'].loss_weight
        self.w_ie = terms['entropy'].loss_weight
        self.log_base = terms['entropy'].log_base
        self.w_a = terms['activation'].loss_weight
        self.features = []
        self.hooks.append(
            (self.teacher.neck,
             lambda module, inputs, output: self.features.append(output[-1])))

    def iteration(self) -> None:
        self.features.clear()
        images = self.generator(self.noise())
        teacher_logits = self.teacher(images, mode='tensor')
        belief = F.softmax(teacher_logits, 1).mean(0)
        loss_g = (
            self.w_oh *
            F.cross_entropy(teacher_logits, teacher_logits.argmax(1)) +
            self.w_ie *
            (belief * belief.log()).sum() / math.log(self.log_base) -
            self.w_a * self.features[0].abs().mean())
        loss_s = kl(
            self.student(images.detach(), mode='tensor'),
            teacher_logits.detach(), 'batchmean')
        self.opt_g.zero_grad()
        self.opt_s.zero_grad()
        (loss_g + loss_s).backward()
        self.opt_g.step()
        self.opt_s.step()


class PlainDFAD(PlainLoop):
    supports_momentum_generator = True

    def _discrepancy(self, images):
        return (self.student(images, mode='tensor') -
                self.teacher(images, mode='tensor')).abs().mean()

    def _student_loss(self, images, teacher_logits):
        return (self.student(images, mode='tensor') -
                teacher_logits).abs().mean()

    def iteration(self) -> None:
        for _ in range(self.n_s):
            with torch.no_grad():
                images = self.generator(self.noise())
            self.student_update(
                self._discrepancy(images) +
                self.momentum_term(self._student_loss))
        self.generator_update(-self._discrepancy(self.generator(self.noise())))


class PlainDFQ(PlainLoop):

    def __init__(self, algorithm, cfg, max_iters: int) -> None:
        super().__init__(algorithm, cfg, max_iters)
        terms = algorithm.generator_losses
        self.w_bn = terms['bn'].loss_weight
        self.w_oh = terms['onehot'].loss_weight
        self.w_adv = -terms['adversarial'].loss_weight
        self.w_balance = terms['balance'].loss_weight
        self.bn_layers = [
            m for m in self.teacher.modules() if isinstance(m, nn.BatchNorm2d)
        ]
        self.bn_inputs = {}
        self.hooks += [(layer, self._store) for layer in self.bn_layers]

    def _store(self, module, inputs, output):
        self.bn_inputs[module] = inputs[0]

    def _bn_loss(self):
        loss = 0
        for layer in self.bn_layers:
            x = self.bn_inputs[layer]
            var, mean = torch.var_mean(x, dim=(0, 2, 3), unbiased=False)
            loss = loss + torch.norm(layer.running_var -
                                     var) + torch.norm(layer.running_mean -
                                                       mean)
        return loss

    def iteration(self) -> None:
        self.student.eval()
        images = self.generator(self.noise())
        teacher_logits = self.teacher(images, mode='tensor')
        student_logits = self.student(images, mode='tensor')
        belief = F.softmax(teacher_logits, 1).mean(0)
        loss = (
            self.w_bn * self._bn_loss() + self.w_oh *
            F.cross_entropy(teacher_logits, teacher_logits.argmax(1)) -
            self.w_adv * kl(student_logits, teacher_logits, 'batchmean') +
            self.w_balance * (belief * belief.log()).sum())
        self.generator_update(loss)
        self.student.train()
        for _ in range(self.n_s):
            self.generator.eval()
            with torch.no_grad():
                images = self.generator(self.noise())
                teacher_logits = self.teacher(images, mode='tensor')
            self.generator.train()
            self.student_update(
                kl(
                    self.student(images, mode='tensor'), teacher_logits,
                    'batchmean'))


PLAIN_LOOPS = dict(
    ZSKT=PlainZSKT, DAFL=PlainDAFL, DFAD=PlainDFAD, DFQ=PlainDFQ)


def framework_stepper(algorithm, cfg, max_iters: int) -> Callable[[], None]:
    """One iteration of the algorithm's ``train_step`` with optimiser wrappers
    and parameter schedulers of its own, built from the config."""
    wrappers = build_optim_wrapper(algorithm, cfg.optim_wrapper)
    schedules = cfg.get('param_scheduler') or {}
    schedulers = [
        PARAM_SCHEDULERS.build(
            dict(schedules[name], end=max_iters),
            default_args=dict(optimizer=wrappers[name]))
        for name in ('generator', 'student') if name in schedules
    ]

    def step() -> None:
        algorithm.train_step(None, wrappers)
        for scheduler in schedulers:
            scheduler.step()

    return step


def measure(args: argparse.Namespace) -> Dict[str, Any]:
    """Time the two sides; the result to print."""
    keep_freed_memory_in_heap()
    device = benchmark_device(args.device)
    cfg, algorithm = build_benchmark_algorithm(args.config, args.cfg_options,
                                               device)
    algorithm.train()
    max_iters = cfg.train_cfg.max_iters
    if cfg.model.type not in PLAIN_LOOPS:
        raise SystemExit(f'No plain-PyTorch loop for {cfg.model.type}; '
                         f'this tool covers {sorted(PLAIN_LOOPS)}.')
    plain = PLAIN_LOOPS[cfg.model.type](algorithm, cfg, max_iters)
    framework_step = framework_stepper(algorithm, cfg, max_iters)
    if args.against_itself:
        other_name, other_step = 'framework_again', framework_stepper(
            algorithm, cfg, max_iters)
    else:
        other_name, other_step = 'plain_pytorch', plain.step
    times = alternating_times(
        dict(
            framework=lambda n: [framework_step() for _ in range(n)],
            other=lambda n: [other_step() for _ in range(n)]),
        args.iters,
        args.rounds,
        device,
        warmup_steps=args.warmup)
    result = dict(
        config=args.config,
        algorithm=cfg.model.type,
        device=device_description(device),
        torch=torch.__version__,
        batch_size=algorithm.batch_size,
        student_steps=algorithm.student_steps,
        student_batch=algorithm.student_batch,
        iters_per_run=args.iters,
        rounds=args.rounds,
        framework_ms=round(times.median('framework') * 1000, 2),
        **{f'{other_name}_ms': round(times.median('other') * 1000, 2)},
        ratio=round(times.ratio('framework', 'other'), 3),
    )
    # after the timing: the profiler that measures the CPU slows a step
    result['framework_peak_mb'] = round(
        peak_allocated_mb(framework_step, device), 1)
    result[f'{other_name}_peak_mb'] = round(
        peak_allocated_mb(other_step, device), 1)
    return result


def main() -> None:
    """The measurement, in this process or over ``--processes`` fresh ones,
    printed (and saved with ``--out``)."""
    args = parse_args()
    print_and_save(
        result_over_processes(args.processes, lambda: measure(args)), args.out)


if __name__ == '__main__':
    main()
