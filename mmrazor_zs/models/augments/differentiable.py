# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Augmentations of a batch of tensors that keep the gradient to the images,
drawn from an explicit ``torch.Generator`` so that a resumed run draws what the
uninterrupted run would.

Used by the inversion methods: DeepInversion's batch-wide jitter and flip, and
the per-image crop, flip and random resized crop that CMI and Fast take from
kornia (zju-vipa/DataFree 9e79fa9, ``datafree/synthesis/ contrastive.py``).
"""
import math
from typing import Optional, Sequence

import torch
import torch.nn.functional as F


def _randint(low: int, high: int, size, generator, device) -> torch.Tensor:
    return torch.randint(
        low, high + 1, size, generator=generator, device=device)


def jitter_and_flip(
        images: torch.Tensor,
        max_shift: int,
        flip: bool = True,
        generator: Optional[torch.Generator] = None) -> torch.Tensor:
    """Roll the whole batch by one random offset in each spatial direction,
    at most ``max_shift`` pixels, then flip it horizontally with probability
    0.5 when ``flip``: DeepInversion's jitter (NVlabs: 2 px, no flip; the
    zju-vipa zoo: an eighth of the side and a flip)."""
    rng = generator
    shifts = _randint(-max_shift, max_shift, (2, ), rng, 'cpu').tolist()
    images = torch.roll(images, shifts=shifts, dims=(2, 3))
    if flip and torch.rand((), generator=rng).item() < 0.5:
        images = torch.flip(images, dims=(3, ))
    return images


def random_crop_flip(
        images: torch.Tensor,
        padding: int = 4,
        flip: bool = True,
        generator: Optional[torch.Generator] = None) -> torch.Tensor:
    """Per image: zero-pad by ``padding``, crop back to the original size at a
    random offset, flip horizontally with probability 0.5 (the CIFAR training
    augmentation, kornia's ``RandomCrop(padding)`` +
    ``RandomHorizontalFlip``)."""
    n, _, height, width = images.shape
    padded = F.pad(images, (padding, ) * 4)
    top = _randint(0, 2 * padding, (n, ), generator, 'cpu').to(images.device)
    left = _randint(0, 2 * padding, (n, ), generator, 'cpu').to(images.device)
    rows = top[:, None] + torch.arange(height, device=images.device)
    cols = left[:, None] + torch.arange(width, device=images.device)
    if flip:
        flipped = torch.rand(n, generator=generator) < 0.5
        cols = torch.where(
            flipped.to(images.device)[:, None], cols.flip(1), cols)
    batch = torch.arange(n, device=images.device)[:, None, None]
    # (N, H, W, C) gathered, back to (N, C, H, W)
    cropped = padded.permute(0, 2, 3, 1)[batch, rows[:, :, None],
                                         cols[:, None, :]]
    return cropped.permute(0, 3, 1, 2)


def random_resized_crop(
        images: torch.Tensor,
        scale: Sequence[float] = (0.25, 1.0),
        ratio: Sequence[float] = (3 / 4, 4 / 3),
        generator: Optional[torch.Generator] = None) -> torch.Tensor:
    """Per image: a crop of area ``scale`` x the image and aspect ratio
    ``ratio`` (log-uniform), at a random place, resized back bilinearly to the
    image size (kornia's ``RandomResizedCrop``, as CMI's local view uses with
    scale (0.25, 1)).

    Crops larger than the image are clamped to it.
    """
    n, _, height, width = images.shape
    area = torch.empty(n).uniform_(*scale, generator=generator)
    log_ratio = torch.empty(n).uniform_(
        math.log(ratio[0]), math.log(ratio[1]), generator=generator)
    aspect = log_ratio.exp()
    crop_w = (area * aspect).sqrt().clamp(max=1.0)  # fractions of the side
    crop_h = (area / aspect).sqrt().clamp(max=1.0)
    center_x = torch.rand(n, generator=generator) * (1 - crop_w) + crop_w / 2
    center_y = torch.rand(n, generator=generator) * (1 - crop_h) + crop_h / 2
    theta = torch.zeros(n, 2, 3)
    theta[:, 0, 0] = crop_w
    theta[:, 0, 2] = center_x * 2 - 1
    theta[:, 1, 1] = crop_h
    theta[:, 1, 2] = center_y * 2 - 1
    grid = F.affine_grid(
        theta.to(images), [n, images.shape[1], height, width],
        align_corners=False)
    return F.grid_sample(
        images,
        grid,
        mode='bilinear',
        padding_mode='border',
        align_corners=False)


def random_horizontal_flip(
        images: torch.Tensor,
        generator: Optional[torch.Generator] = None) -> torch.Tensor:
    """Per image: flip horizontally with probability 0.5 (kornia's
    ``RandomHorizontalFlip``)."""
    flipped = torch.rand(images.shape[0], generator=generator) < 0.5
    return torch.where(
        flipped.to(images.device)[:, None, None, None], images.flip(3), images)
