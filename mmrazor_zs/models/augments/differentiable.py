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


def random_resized_crop_flip(
        images: torch.Tensor,
        scale: Sequence[float] = (0.08, 1.0),
        ratio: Sequence[float] = (3 / 4, 4 / 3),
        generator: Optional[torch.Generator] = None) -> torch.Tensor:
    """Per image: :func:`random_resized_crop`, then
    :func:`random_horizontal_flip`: the ImageNet training augmentation
    (torchvision's ``RandomResizedCrop``, scale (0.08, 1), and a flip) and
    Fast's ImageNet synthesis view (kornia, scale (0.75, 1))."""
    images = random_resized_crop(images, scale, ratio, generator)
    return random_horizontal_flip(images, generator)


def random_cutmix(images: torch.Tensor,
                  labels: torch.Tensor,
                  num_classes: int,
                  p: float = 0.5,
                  generator: Optional[torch.Generator] = None):
    """CutMix of a batch with a permutation of itself, and the soft targets
    that go with it (kornia 0.9.0's ``RandomCutMixV2(p)``, as CPNet's synthesis
    calls it, LannCX/CPNet 3f3d397 ``datafree/synthesis/cpnet.py`` lines 104
    and 139-151).

    With probability ``p`` for the whole batch, image ``i`` gets a box of
    image ``perm[i]`` pasted in: the box side is ``floor(sqrt(1 - beta) *
    side)`` with ``beta ~ U(0, 1)`` per image and its corner uniform over
    the places where it fits. Its target is ``(1 - a) onehot(y_i) + a
    onehot(y_perm[i])`` with ``a`` the box's share of the image, so the
    cross-entropy against it is the code's ``loss_mixup``. Without the cut
    the targets are the one-hot labels. Every draw is made, cut or not, so
    the stream after it does not depend on the gate.

    Returns:
        tuple[Tensor, Tensor]: The images (N, C, H, W), with the gradient to
        both sources, and the targets (N, ``num_classes``).
    """
    n, _, height, width = images.shape
    rng = generator
    cut = bool(torch.rand((), generator=rng) < p)
    perm = torch.rand(n, generator=rng).argsort()
    rate = (1 - torch.rand(n, generator=rng)).sqrt()
    box_h = (rate * height).floor().long()
    box_w = (rate * width).floor().long()
    top = (torch.rand(n, generator=rng) * (height - box_h + 1)).floor().long()
    left = (torch.rand(n, generator=rng) * (width - box_w + 1)).floor().long()
    top = torch.minimum(top, height - box_h)
    left = torch.minimum(left, width - box_w)
    targets = F.one_hot(labels, num_classes).float()
    if not cut:
        return images, targets
    device = images.device
    top, left, box_h, box_w, perm = (
        t.to(device) for t in (top, left, box_h, box_w, perm))
    rows = torch.arange(height, device=device)
    cols = torch.arange(width, device=device)
    in_rows = (rows >= top[:, None]) & (rows < (top + box_h)[:, None])
    in_cols = (cols >= left[:, None]) & (cols < (left + box_w)[:, None])
    box = in_rows[:, :, None] & in_cols[:, None, :]
    mixed = torch.where(box[:, None], images[perm], images)
    targets = targets.to(device)
    share = (box_h * box_w).float() / (height * width)
    targets = (1 - share)[:, None] * targets + share[:, None] * targets[perm]
    return mixed, targets


def _grayscale(images: torch.Tensor) -> torch.Tensor:
    """ITU-R 601 luma of RGB images (N, 3, H, W) -> (N, 1, H, W)."""
    r, g, b = images.unbind(1)
    return (0.299 * r + 0.587 * g + 0.114 * b).unsqueeze(1)


def _rgb_to_hsv(images: torch.Tensor, eps: float = 1e-8) -> torch.Tensor:
    """RGB in [0, 1] -> HSV with the hue in turns [0, 1)."""
    maxc, argmax = images.max(1)
    minc = images.min(1).values
    delta = maxc - minc
    saturation = delta / (maxc + eps)
    safe = torch.where(delta == 0, torch.ones_like(delta), delta)
    rc, gc, bc = (maxc.unsqueeze(1) - images).unbind(1)
    hues = torch.stack((bc - gc, 2 * safe + rc - bc, 4 * safe + gc - rc), 1)
    hue = torch.gather(hues / safe.unsqueeze(1), 1, argmax.unsqueeze(1))
    hue = torch.remainder(hue.squeeze(1) / 6, 1.0)
    return torch.stack((hue, saturation, maxc), 1)


def _hsv_to_rgb(images: torch.Tensor) -> torch.Tensor:
    """HSV with the hue in turns -> RGB."""
    hue, saturation, value = images.unbind(1)
    sector = torch.floor(hue * 6) % 6
    f = hue * 6 - torch.floor(hue * 6)
    p = value * (1 - saturation)
    q = value * (1 - f * saturation)
    t = value * (1 - (1 - f) * saturation)
    # per sector: (r, g, b) from (v, q, p, t)
    table = torch.stack((value, q, p, p, t, value, t, value, value, q, p, p, p,
                         p, t, value, value, q), 1)
    index = sector.long().unsqueeze(1) + torch.tensor(
        [0, 6, 12], device=images.device)[None, :, None, None]
    return torch.gather(table, 1, index)


def color_jitter(images: torch.Tensor,
                 brightness: float = 0.1,
                 contrast: float = 0.1,
                 saturation: float = 0.1,
                 hue: float = 0.1,
                 p: float = 0.4,
                 generator: Optional[torch.Generator] = None) -> torch.Tensor:
    """Per image with probability ``p``: brightness, contrast, saturation and
    hue changed by factors drawn per image, in an order drawn per batch
    (kornia 0.9.0's ``ColorJitter``, as CPNet's CIFAR synthesis calls it with
    0.1 each and p 0.4, LannCX/CPNet 3f3d397 ``datafree/synthesis/cpnet.py``
    lines 80-86).

    Factors: brightness ``b ~ U(1 - brightness, 1 + brightness)`` (``x b``),
    contrast ``c`` likewise (``x c + mean(gray(x)) (1 - c)``), saturation
    ``s`` likewise (``x s + gray(x) (1 - s)``), hue ``h ~ U(-hue, hue)``
    turns added to the HSV hue; each step clamps to [0, 1]. RGB images
    (N, 3, H, W) in [0, 1]; the gradient flows to ``images``.
    """
    n = images.shape[0]
    rng = generator
    chosen = (torch.rand(n, generator=rng) < p).to(images.device)

    def uniform(low: float, high: float) -> torch.Tensor:
        return (torch.rand(n, generator=rng) * (high - low) + low).to(
            images.device)[:, None, None, None]

    factors = (uniform(1 - brightness,
                       1 + brightness), uniform(1 - contrast, 1 + contrast),
               uniform(1 - saturation, 1 + saturation), uniform(-hue, hue))
    order = torch.randperm(4, generator=rng).tolist()
    out = images
    for step in order:
        factor = factors[step]
        if step == 0:
            out = out * factor
        elif step == 1:
            mean = _grayscale(out).mean((2, 3), keepdim=True)
            out = out * factor + mean * (1 - factor)
        elif step == 2:
            out = out * factor + _grayscale(out) * (1 - factor)
        else:
            hsv = _rgb_to_hsv(out)
            shifted = torch.remainder(hsv[:, :1] + factor, 1.0)
            out = _hsv_to_rgb(torch.cat((shifted, hsv[:, 1:]), 1))
        out = out.clamp(0, 1)
    return torch.where(chosen[:, None, None, None], out, images)
