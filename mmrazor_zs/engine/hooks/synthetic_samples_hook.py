# Copyright (c) mmrazor_zs contributors. All rights reserved.
import copy
import math
from typing import Optional, Sequence

import torch
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.model import is_model_wrapper

from mmrazor_zs.registry import HOOKS
from mmrazor_zs.utils import PixelSpace
from mmrazor_zs.visualization import class_grid, class_histogram_image


def class_names(visualizer) -> Optional[Sequence[str]]:
    """The class names the runner's loops gave the visualizer, if any."""
    meta = getattr(visualizer, 'dataset_meta', None) or {}
    return meta.get('classes')


@HOOKS.register_module()
class SyntheticSamplesHook(Hook):
    """Show what the generator makes, and warn when it collapses.

    Every ``interval`` iterations the generator (ZSKT) turns a fixed noise
    batch into images; the teacher labels them. Written through the
    runner's Visualizer (so to ``vis_data/vis_image`` as PNG with the local
    backend, and to TensorBoard when configured): a grid with one row per
    teacher-predicted class, named at its start by the visualizer's
    ``dataset_meta['classes']`` or else by its index
    (``synthetic_samples``), and the histogram of those classes
    (``synthetic_class_histogram``). Logged: the entropy of
    the teacher's predicted-class histogram divided by log(classes)
    (``synth/class_entropy``; 1 = uniform, 0 = one class) and the largest
    class share (``synth/top_class_share``), with a warning when that share
    exceeds ``collapse_share``. The generator runs on a copy, in training
    mode as in training, so the run itself is not changed. The images are
    drawn through the algorithm's ``pixel_space`` (the teacher's inputs
    taken as 0..255 pixels when it has none).

    Args:
        interval (int): Iterations between samples. Defaults to 1000.
        num_samples (int): Images generated each time. Defaults to 256.
        per_row (int): Images per class row of the grid. Defaults to 8.
        collapse_share (float): Largest class share that triggers the
            warning. Defaults to 0.5.
        seed (int): Seed of the fixed noise. Defaults to 0.
    """

    priority = 'NORMAL'  # before LoggerHook: the log shows this step's values

    def __init__(self,
                 interval: int = 1000,
                 num_samples: int = 256,
                 per_row: int = 8,
                 collapse_share: float = 0.5,
                 seed: int = 0) -> None:
        self.interval = interval
        self.num_samples = num_samples
        self.per_row = per_row
        self.collapse_share = collapse_share
        self.seed = seed

    def after_train_iter(self,
                         runner,
                         batch_idx: int,
                         data_batch=None,
                         outputs=None) -> None:
        """Record every ``interval`` iterations and after the last one."""
        if self.every_n_train_iters(runner, self.interval) or \
                self.is_last_train_iter(runner):
            self.record(runner, runner.iter + 1)

    @torch.no_grad()
    def record(self, runner, step: int) -> dict:
        """Generate, draw and log once; returns the logged statistics."""
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        generator = copy.deepcopy(model.generator).train()
        device = next(generator.parameters()).device
        rng = torch.Generator(device=device).manual_seed(self.seed)
        z = torch.randn(
            self.num_samples, model.latent_dim, generator=rng, device=device)
        images = generator(z)
        logits = model.teacher(images, mode='tensor')
        labels = logits.argmax(1).cpu()
        num_classes = logits.shape[1]
        shares = torch.bincount(
            labels, minlength=num_classes).float() / len(labels)
        nonzero = shares[shares > 0]
        entropy = float(-(nonzero *
                          nonzero.log()).sum()) / math.log(num_classes)
        stats = {
            'synth/class_entropy': entropy,
            'synth/top_class_share': float(shares.max()),
        }
        for key, value in stats.items():
            runner.message_hub.update_scalar(f'train/{key}', value)
        space = getattr(model, 'pixel_space', None)
        if space is None:  # the teacher's inputs are 0..255 pixels
            space = PixelSpace(mean=[0.], std=[1.])
        pixels = space.to(device).to_uint8(images).cpu()
        runner.visualizer.add_image(
            'synthetic_samples',
            class_grid(pixels, labels, num_classes, self.per_row,
                       class_names(runner.visualizer)),
            step=step)
        runner.visualizer.add_image(
            'synthetic_class_histogram',
            class_histogram_image(shares.tolist(), entropy),
            step=step)
        if stats['synth/top_class_share'] > self.collapse_share:
            print_log(
                f'Iteration {step}: the teacher puts '
                f"{stats['synth/top_class_share']:.0%} of the generated "
                f'images in class {int(shares.argmax())} (entropy '
                f'{entropy:.2f} of 1): the generator may be collapsing.',
                logger='current',
                level=30)
        return stats
