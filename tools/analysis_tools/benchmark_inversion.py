# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Time one synthesis round of an inversion algorithm (DeepInversion, ADI, CMI,
Fast, NAYER, CPNet) in mmrazor_zs against plain PyTorch and against the
networks' bare forward and backward passes.

    python tools/analysis_tools/benchmark_inversion.py CONFIG [--rounds 2]
        [--repeats 3] [--processes 1] [--device cpu|cuda] [--out result.json]

Three sides run on the algorithm's own teacher and student (a generator is
each side's own copy) at the config's synthesis batch and steps per round:

- framework: the algorithm's ``synthesizer.synthesize`` (terms, hooks,
  augmentation, optimiser steps, lowest-loss tracking);
- plain PyTorch: the round written by hand as the zju-vipa zoo writes it
  (``datafree/synthesis/deepinversion.py``, ``contrastive.py``,
  ``fast_meta.py``; tmtuan1307/NAYER c6bedcd ``nayer.py``; LannCX/CPNet
  3f3d397 ``cpnet.py``): the same
  losses through forward hooks, the same augmentation functions,
  ``torch.optim.Adam``;
- bare: per step only the forward passes the round needs (generator,
  teacher on the view, the student when a term reads it, the teacher on
  CMI's local view) and one backward into the optimised tensors, no loss
  terms, hooks or optimiser.

Each repeat runs the three sides forth and back
(``mmrazor_zs.testing.alternating_times``: drift within a repeat falls on
every side alike). Reported: each side's median seconds per round over the
repeats, and the medians over the repeats of ``ratio`` = framework / plain
and ``bare_rate`` = bare / framework within a repeat (the share of the
networks' own forward+backward rate the synthesis reaches), and per side
``*_peak_mb``: the most memory the tensors of one more round hold at once
above the weights (``mmrazor_zs.utils.peak_allocated_mb``: the allocator's
peak on a GPU, the profiler's CPU memory events otherwise). ``--processes
N`` runs the whole measurement in N fresh interpreters, one after another,
and reports the median of each number over them (the values listed as
``<key>_per_process``).
"""
import argparse
import copy
import math
from typing import Any, Callable, Dict, List, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.config import DictAction

from mmrazor_zs.models.augments import differentiable as augments
from mmrazor_zs.models.synthesizers import (CMISynthesizer, CPNetSynthesizer,
                                            DeepInversionSynthesizer,
                                            FastMetaSynthesizer,
                                            NAYERSynthesizer)
from mmrazor_zs.models.utils.keyed_random import keyed_generator
from mmrazor_zs.testing import (add_processes_argument, alternating_times,
                                benchmark_device, build_benchmark_algorithm,
                                device_description, print_and_save,
                                result_over_processes)
from mmrazor_zs.utils import (keep_freed_memory_in_heap, peak_allocated_mb,
                              temporarily_eval)


def parse_args() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument(
        '--rounds',
        type=int,
        default=2,
        help='synthesis rounds per side and repeat')
    parser.add_argument('--repeats', type=int, default=3)
    add_processes_argument(parser)
    parser.add_argument('--device', default=None)
    parser.add_argument('--out', help='write the result as JSON here')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args()


class PlainRound:
    """The terms' weights and the shared pieces of a hand-written round.

    The teacher and student are the framework side's own modules (a copy's
    tensors lie elsewhere in memory, which alone can move a side's time by a
    few per cent on the CPU), the student in eval mode and the round's forward
    hooks (``self.hooks``) attached only while a round runs
    (:meth:`timed_round`); a generator is the round's own copy, as the authors'
    rounds keep theirs.
    """

    def __init__(self, algorithm) -> None:
        synthesizer = algorithm.synthesizer
        self.synthesizer = synthesizer
        self.teacher = algorithm.teacher
        self.student = algorithm.student
        #: (module, forward hook) pairs attached while a round runs
        self.hooks: List[Tuple[nn.Module, Callable]] = []
        self.batch_size = synthesizer.batch_size
        self.steps = synthesizer.steps
        self.num_classes = synthesizer.num_classes
        # the hand-written rounds spell out the normalisation on purpose
        # (the plain-PyTorch baseline), with the synthesizer's numbers
        self.mean = synthesizer.pixel_space.mean
        self.std = synthesizer.pixel_space.std
        self.weights = {
            name: term.loss_weight
            for name, term in synthesizer.losses.items()
        }
        self.bn_layers = [
            m for m in self.teacher.modules() if isinstance(m, nn.BatchNorm2d)
        ]
        self.bn_inputs: Dict[nn.Module, torch.Tensor] = {}
        self.hooks += [(layer, self._store) for layer in self.bn_layers]
        self.device = self.mean.device

    def timed_round(self, rng: torch.Generator) -> None:
        """:meth:`round` with the hooks attached and the student in eval
        mode, both undone after it."""
        handles = [
            module.register_forward_hook(hook) for module, hook in self.hooks
        ]
        try:
            with temporarily_eval(self.student):
                self.round(rng)
        finally:
            for handle in handles:
                handle.remove()

    def _store(self, module, inputs, output):
        self.bn_inputs[module] = inputs[0]

    def round(self, rng: torch.Generator) -> Optional[torch.Tensor]:
        """One hand-written round; returns its lowest-loss batch."""
        raise NotImplementedError

    def bn_loss(self) -> torch.Tensor:
        """The BN statistics term on the recorded BN inputs, by hand."""
        loss: Any = 0
        for layer in self.bn_layers:
            x = self.bn_inputs[layer]
            var, mean = torch.var_mean(x, dim=(0, 2, 3), unbiased=False)
            running_mean, running_var = layer.running_mean, layer.running_var
            assert running_mean is not None and running_var is not None
            loss = loss + torch.norm(running_var -
                                     var) + torch.norm(running_mean - mean)
        return loss

    def labels(self, rng) -> torch.Tensor:
        """The round's sorted random labels."""
        return torch.randint(
            0, self.num_classes, (self.batch_size, ),
            generator=rng).sort()[0].to(self.device)

    def inversion_loss(self, view, labels):
        """bn * BNS + oh * CE (+ adversarial) on the teacher's view, and
        the teacher's logits."""
        t_out = self.teacher(view, mode='tensor')
        loss = self.weights['bn'] * self.bn_loss(
        ) + self.weights['onehot'] * F.cross_entropy(t_out, labels)
        if 'adversarial' in self.weights:  # the masked KL of CMI and Fast
            s_out = self.student(view, mode='tensor')
            mask = (s_out.argmax(1) == t_out.argmax(1)).float()
            kl = F.kl_div(
                F.log_softmax(s_out, 1), F.softmax(t_out, 1),
                reduction='none').sum(1)
            loss = loss + self.weights['adversarial'] * (kl * mask).mean()
        return loss, t_out


class PlainDeepInversion(PlainRound):
    """``deepinversion.py``: Adam on the pixels, jitter, BN + CE + TV (+ JS
    competition), clip, the lowest-loss batch."""

    def round(self, rng: torch.Generator) -> Optional[torch.Tensor]:
        """One hand-written round; returns its lowest-loss batch."""
        s = self.synthesizer
        labels = self.labels(rng)
        x = torch.randn(
            (self.batch_size, ) + s.input_shape,
            generator=rng).to(self.device).requires_grad_()
        optimizer = torch.optim.Adam([x], s.lr, betas=s.betas)
        best_cost, best = float('inf'), None
        for _ in range(self.steps):
            view = augments.jitter_and_flip(x, generator=rng, **s.augment_args)
            loss, t_out = self.inversion_loss(view, labels)
            if 'tv' in self.weights:
                d = (x[:, :, :, :-1] - x[:, :, :, 1:],
                     x[:, :, :-1, :] - x[:, :, 1:, :],
                     x[:, :, 1:, :-1] - x[:, :, :-1, 1:],
                     x[:, :, :-1, :-1] - x[:, :, 1:, 1:])
                loss = loss + self.weights['tv'] * sum(v.abs().mean()
                                                       for v in d)
            if 'competition' in self.weights:
                p = F.softmax(self.student(view, mode='tensor') / 3, 1)
                q = F.softmax(t_out / 3, 1)
                m = ((p + q) / 2).clamp(0.01, 0.99)
                js = (F.kl_div(
                    p.clamp(0.01, 0.99).log(), m, None, None, 'batchmean') +
                      F.kl_div(
                          q.clamp(0.01, 0.99).log(), m, None, None,
                          'batchmean')) / 2
                loss = loss + self.weights['competition'] * js
            if best_cost > loss.item():  # the zoo's host synchronisation
                best_cost, best = loss.item(), x.detach().clone()
            optimizer.zero_grad()
            loss.backward(inputs=[x])
            optimizer.step()
            with torch.no_grad():
                x.copy_(
                    torch.max(
                        torch.min(x, (1 - self.mean) / self.std),
                        -self.mean / self.std))
        return best


class PlainFast(PlainRound):
    """``fast_meta.py``: clone the meta-generator, inner Adam on G' and z,
    first-order MAML meta-gradients, meta-Adam after the last backward."""

    def __init__(self, algorithm) -> None:
        super().__init__(algorithm)
        s = self.synthesizer
        self.generator = copy.deepcopy(s.generator)
        self.meta_optimizer = torch.optim.Adam(
            self.generator.parameters(), s.lr_g * self.steps, betas=s.betas)

    def round(self, rng: torch.Generator) -> Optional[torch.Tensor]:
        """One hand-written round; returns its lowest-loss batch."""
        s = self.synthesizer
        labels = self.labels(rng)
        fast = copy.deepcopy(self.generator)
        z = torch.randn(
            (self.batch_size, ) + s.latent_shape,
            generator=rng).to(self.device).requires_grad_()
        crop = (
            augments.random_resized_crop_flip if s.augment_type
            == 'resized_crop_flip' else augments.random_crop_flip)
        optimizer = torch.optim.Adam([{
            'params': fast.parameters()
        }, {
            'params': [z],
            'lr': s.lr_z
        }],
                                     s.lr_g,
                                     betas=s.betas)
        best_cost, best = float('inf'), None
        for step in range(self.steps):
            pixels = fast(z)
            view = (crop(pixels, generator=rng, **s.augment_args) -
                    self.mean) / self.std
            loss, _ = self.inversion_loss(view, labels)
            if best_cost > loss.item():
                best_cost, best = loss.item(), pixels.detach().clone()
            optimizer.zero_grad()
            loss.backward(inputs=[*fast.parameters(), z])
            if step == 0:
                self.meta_optimizer.zero_grad()
            for p, fast_p in zip(self.generator.parameters(),
                                 fast.parameters()):
                if p.grad is None:
                    p.grad = torch.zeros_like(p)
                p.grad.add_(fast_p.grad)
            if step == self.steps - 1:
                self.meta_optimizer.step()
            optimizer.step()
        return best


class PlainCMI(PlainRound):
    """``contrastive.py``: re-initialised generator, Adam on G and z,
    global and local views, instance-mean features, head and bank."""

    def __init__(self, algorithm) -> None:
        super().__init__(algorithm)
        s = self.synthesizer
        self.generator = copy.deepcopy(s.generator)
        self.head = copy.deepcopy(s.head)
        self.head_optimizer = torch.optim.Adam(self.head.parameters(), s.lr_g)
        self.bank = s.bank.clone()
        self.filled = 0
        self.means: Dict[nn.Module, torch.Tensor] = {}
        self.hooks += [
            (layer,
             lambda m, i, o: self.means.__setitem__(m, i[0].mean(dim=(2, 3))))
            for layer in self.bn_layers
        ]

    def features(self) -> torch.Tensor:
        """The spatial means of the recorded BN inputs, concatenated."""
        return torch.cat([self.means[m] for m in self.bn_layers], 1)

    def round(self, rng: torch.Generator) -> Optional[torch.Tensor]:
        """One hand-written round; returns its lowest-loss batch."""
        s = self.synthesizer
        labels = self.labels(rng)
        for m in self.generator.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.normal_(m.weight, 0.0, 0.02)
                if m.bias is not None:
                    nn.init.constant_(m.bias, 0)
            if isinstance(m, nn.BatchNorm2d):
                nn.init.normal_(m.weight, 1.0, 0.02)
                nn.init.constant_(m.bias, 0)
        z = torch.randn(
            self.batch_size, s.latent_dim,
            generator=rng).to(self.device).requires_grad_()
        optimizer = torch.optim.Adam([{
            'params': self.generator.parameters()
        }, {
            'params': [z]
        }],
                                     s.lr_g,
                                     betas=s.betas)
        best_cost, best = float('inf'), None
        for _ in range(self.steps):
            pixels = self.generator(z)
            view = (augments.random_crop_flip(
                pixels, generator=rng, **s.augment_args) -
                    self.mean) / self.std
            local_view = (augments.random_horizontal_flip(
                augments.random_resized_crop(
                    pixels, s.local_scale, generator=rng),
                generator=rng) - self.mean) / self.std
            loss, _ = self.inversion_loss(view, labels)
            global_feature = self.features()
            self.teacher(local_view, mode='tensor')
            local_feature = self.features()
            index = torch.randperm(self.filled)[:s.negatives]
            cached_local, cached_global = self.bank[index].chunk(2, dim=1)
            projected = self.head(
                torch.cat([
                    local_feature, cached_local, global_feature, cached_global
                ]))
            local, global_ = projected.chunk(2)
            logits = local @ global_.detach().T / s.contrast_temperature
            per_row = F.cross_entropy(
                logits,
                torch.arange(len(logits), device=self.device),
                reduction='none')
            loss_cr = per_row[:self.batch_size].mean()
            if self.filled:
                loss_cr = loss_cr + per_row[self.batch_size:].mean()
            loss = loss + s.contrast_weight * loss_cr
            if best_cost > loss.item():
                best_cost, best = loss.item(), pixels.detach().clone()
                best_features = torch.cat([local_feature, global_feature],
                                          1).detach()
            optimizer.zero_grad()
            self.head_optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            self.head_optimizer.step()
        start = self.filled % len(self.bank)
        self.bank[start:start + self.batch_size] = best_features
        self.filled = min(self.filled + self.batch_size, len(self.bank))
        return best


class PlainNAYER(PlainRound):
    """``nayer.py``: noisy layers re-drawn N(0, 1), a new Adam on the whole
    generator, balanced labels, the generator's forward written out."""

    def __init__(self, algorithm) -> None:
        super().__init__(algorithm)
        self.generator = copy.deepcopy(self.synthesizer.generator)

    def codes(self, labels: torch.Tensor) -> torch.Tensor:
        """BN1d of the embeddings, one noisy layer per chunk of classes."""
        g = self.generator
        rows = g.embedding_norm(g.label_embeddings[labels])
        return torch.cat([
            layer(rows[i * self.num_classes:(i + 1) * self.num_classes])
            for i, layer in enumerate(g.noisy_layers)
        ])

    def forward(self, labels: torch.Tensor) -> torch.Tensor:
        """``NLGenerator.forward``: the codes through the trunk."""
        return self.generator.trunk(self.codes(labels))

    def start_loop(self, rng: torch.Generator) -> torch.Tensor:
        """Re-draw the noisy layers (``re_init_le``) and return the loop's
        balanced labels (``generate_ys``)."""
        for layer in self.generator.noisy_layers:
            nn.init.normal_(layer.weight, 0, 1)
            nn.init.constant_(layer.bias, 0)
        repeats, rest = divmod(self.batch_size, self.num_classes)
        return torch.cat([
            torch.arange(self.num_classes).repeat(repeats),
            torch.randint(0, self.num_classes, (rest, ), generator=rng)
        ]).to(self.device)

    def round(self, rng: torch.Generator) -> Optional[torch.Tensor]:
        """One hand-written round; returns its lowest-loss batch."""
        s = self.synthesizer
        labels = self.start_loop(rng)
        optimizer = torch.optim.Adam(
            self.generator.parameters(), s.lr_g, betas=s.betas)
        best_cost, best = float('inf'), None
        for _ in range(self.steps):
            pixels = self.forward(labels)
            view = (augments.random_crop_flip(
                pixels, generator=rng, **s.augment_args) -
                    self.mean) / self.std
            loss, _ = self.inversion_loss(view, labels)
            if best_cost > loss.item():
                best_cost, best = loss.item(), pixels.detach().clone()
            optimizer.zero_grad()
            loss.backward(inputs=list(self.generator.parameters()))
            optimizer.step()
        return best


class PlainCPNet(PlainNAYER):
    """``cpnet.py``: NAYER's round with the coupled generator's forward
    written out, CutMix, the coupling to the teacher's renormalised
    batch-norm inputs (blended with the previous round's statistics), the
    student-to-teacher masked KL and the alignment through the classifier's
    pseudo-inverse."""

    def __init__(self, algorithm) -> None:
        super().__init__(algorithm)
        s = self.synthesizer
        modules = dict(self.teacher.named_modules())
        self.nodes = [modules[path] for path in s.bn_nodes]
        self.classifier = modules[s.classifier_path]
        self.classifier.register_forward_hook(self._store_features)
        self.momentum = s.losses.bn_statistics.momentum
        self.average: Dict[nn.Module, Any] = {}

    def _store_features(self, module, inputs, output):
        self.features = inputs[0]

    def forward_stages(self, labels: torch.Tensor):
        """``CoupledGenerator.forward``: the codes, the seed map, the
        stages, the map before each stage kept."""
        g = self.generator
        channels, size = g.stage_shapes[0]
        x = g.seed_norm(
            g.seed(self.codes(labels)).view(-1, channels, size, size))
        maps = []
        for stage in g.stages:
            maps.append(x)
            x = stage(x)
        return x, maps

    def coupling(self, maps) -> torch.Tensor:
        """``loss_xn``: the maps against the teacher's renormalised
        inputs (``apply_cp_reverse_norm``)."""
        loss: Any = 0
        for produced, layer in zip(maps, self.nodes):
            x = self.bn_inputs[layer].detach()
            var, mean = torch.var_mean(x, dim=(0, 2, 3), unbiased=True)
            if layer in self.average:
                m, (avg_mean, avg_var) = self.momentum, self.average[layer]
                mean = (1 - m) * mean + m * avg_mean
                var = (1 - m) * var + m * avg_var
            target = (x - mean[None, :, None, None]) / var.sqrt(
            )[None, :, None, None] * layer.running_var.sqrt()[
                None, :, None, None] + layer.running_mean[None, :, None, None]
            loss = loss + F.mse_loss(produced, target)
        return loss

    def round(self, rng: torch.Generator) -> Optional[torch.Tensor]:
        """One hand-written round; returns its lowest-loss batch."""
        s = self.synthesizer
        labels = self.start_loop(rng)
        ys = F.one_hot(labels, self.num_classes).float()
        weight, bias = self.classifier.weight, self.classifier.bias
        u, sv, vh = torch.linalg.svd(weight.detach().T, full_matrices=False)
        wpinv = vh.T @ torch.diag(1 / sv.clamp(min=s.singular_floor)) @ u.T
        delta = math.log(
            (1 - s.smoothing) * (self.num_classes - 1) / s.smoothing)
        optimizer = torch.optim.Adam(
            self.generator.parameters(), s.lr_g, betas=s.betas)
        best_cost, best = float('inf'), None
        for _ in range(self.steps):
            pixels, maps = self.forward_stages(labels)
            view = augments.random_crop_flip(
                pixels, generator=rng, **s.augment_args)
            if s.color_jitter is not None:
                view = augments.color_jitter(
                    view, generator=rng, **s.color_jitter)
            view = (view - self.mean) / self.std
            view, targets = augments.random_cutmix(view, labels,
                                                   self.num_classes,
                                                   s.cutmix_prob, rng)
            t_out = self.teacher(view, mode='tensor')
            s_out = self.student(view, mode='tensor')
            mask = (s_out.argmax(1) == t_out.argmax(1)).float()
            kl = F.kl_div(
                F.log_softmax(t_out, 1), F.softmax(s_out, 1),
                reduction='none').sum(1)
            a = self.features - (ys * delta - bias.detach()) @ wpinv
            b = torch.ones_like(ys) @ wpinv
            loss = (
                self.weights['bn'] * self.bn_loss() +
                self.weights['onehot'] * F.cross_entropy(t_out, targets) +
                self.weights['adversarial'] * (kl * mask).mean() +
                s.alignment_weight * F.cosine_similarity(a, b).abs().mean() +
                s.coupling_weight * self.coupling(maps))
            if best_cost > loss.item():
                best_cost, best = loss.item(), pixels.detach().clone()
            optimizer.zero_grad()
            loss.backward(inputs=list(self.generator.parameters()))
            optimizer.step()
        for layer in self.nodes:  # update_mmt, on the coupled layers
            x = self.bn_inputs[layer].detach()
            var, mean = torch.var_mean(x, dim=(0, 2, 3), unbiased=False)
            if layer in self.average:
                m, (avg_mean, avg_var) = self.momentum, self.average[layer]
                mean, var = m * avg_mean + (1 - m) * mean, m * avg_var + (
                    1 - m) * var
            self.average[layer] = (mean, var)
        return best


PLAIN_ROUNDS = {
    DeepInversionSynthesizer: PlainDeepInversion,
    FastMetaSynthesizer: PlainFast,
    CMISynthesizer: PlainCMI,
    NAYERSynthesizer: PlainNAYER,
    CPNetSynthesizer: PlainCPNet,
}


def bare_round(algorithm) -> Callable[[torch.Generator], None]:
    """The forward and backward passes a round cannot avoid, nothing else."""
    s = algorithm.synthesizer
    teacher, student = algorithm.teacher, algorithm.student
    with_student = s.losses.needs_student
    generator = copy.deepcopy(getattr(s, 'generator', None))
    second_teacher_pass = isinstance(s, CMISynthesizer)
    device = s.pixel_space.mean.device

    def run(rng) -> None:
        with temporarily_eval(student):
            passes(rng)

    def passes(rng) -> None:
        if isinstance(s, NAYERSynthesizer):  # the generator takes labels
            leaf = torch.arange(s.batch_size, device=device) % s.num_classes
            params = list(generator.parameters())
        elif generator is None:
            leaf = torch.randn(
                (s.batch_size, ) + s.input_shape,
                generator=rng).to(device).requires_grad_()
            params = [leaf]
        else:
            leaf = torch.randn(
                (s.batch_size, ) + s.latent_shape,
                generator=rng).to(device).requires_grad_()
            params = [leaf, *generator.parameters()]
        for _ in range(s.round_steps):
            images = leaf if generator is None else generator(leaf)
            out = teacher(images, mode='tensor').sum()
            if with_student:
                out = out + student(images, mode='tensor').sum()
            if second_teacher_pass:
                out = out + teacher(images, mode='tensor').sum()
            out.backward(inputs=params)

    return run


def measure(args: argparse.Namespace) -> Dict[str, Any]:
    """Time the three sides; the result to print."""
    keep_freed_memory_in_heap()
    device = benchmark_device(args.device)
    cfg, algorithm = build_benchmark_algorithm(args.config, args.cfg_options,
                                               device)
    algorithm.train()
    synthesizer = algorithm.synthesizer
    plain_cls = PLAIN_ROUNDS.get(type(synthesizer))
    if plain_cls is None:
        raise SystemExit(f'No plain-PyTorch round for '
                         f'{type(synthesizer).__name__}; this tool covers '
                         f'{sorted(c.__name__ for c in PLAIN_ROUNDS)}.')
    plain = plain_cls(algorithm)
    bare = bare_round(algorithm)
    # rounds from the first with the student terms on (Fast's warm-up
    # skips them): the steady state is timed
    counter = iter(range(synthesizer.student_terms_from_round, 10**9))

    def framework(rounds: int) -> None:
        for _ in range(rounds):
            index = next(counter)
            synthesizer.synthesize(algorithm.teacher, algorithm.student, index,
                                   keyed_generator((index, )))

    def hand_written(rounds: int) -> None:
        for _ in range(rounds):
            plain.timed_round(keyed_generator((next(counter), )))

    def networks_only(rounds: int) -> None:
        for _ in range(rounds):
            bare(keyed_generator((next(counter), )))

    sides = dict(framework=framework, plain=hand_written, bare=networks_only)
    times = alternating_times(
        sides, args.rounds, args.repeats, device, warmup_steps=1)
    result = dict(
        config=args.config,
        algorithm=cfg.model.type,
        synthesizer=type(synthesizer).__name__,
        device=device_description(device),
        torch=torch.__version__,
        batch_size=synthesizer.batch_size,
        steps=synthesizer.steps,
        rounds=args.rounds,
        repeats=args.repeats,
        framework_s_per_round=round(times.median('framework'), 3),
        plain_pytorch_s_per_round=round(times.median('plain'), 3),
        bare_s_per_round=round(times.median('bare'), 3),
        ratio=round(times.ratio('framework', 'plain'), 3),
        bare_rate=round(times.ratio('bare', 'framework'), 3),
    )
    # after the timing: the profiler that measures the CPU slows a round
    for name, run in sides.items():
        result[f'{name}_peak_mb'] = round(
            peak_allocated_mb(lambda: run(1), device), 1)
    return result


def main() -> None:
    """The measurement, in this process or over ``--processes`` fresh ones,
    printed (and saved with ``--out``)."""
    args = parse_args()
    print_and_save(
        result_over_processes(args.processes, lambda: measure(args)), args.out)


if __name__ == '__main__':
    main()
