# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""The released ZSKD augmentations as affine maps of a square image.

Every augmentation that ``create_more_samples_using_augmentation``
(``model_training/data_augmentation.py`` of the code released with Nayak et
al., `Zero-Shot Knowledge Distillation in Deep Networks
<https://arxiv.org/abs/1905.08114>`_, ICML 2019) applies sets each output
pixel of a channel to a weighted sum of at most four input pixels of the
same channel plus a constant, with the same weights in every channel and
every image. A :class:`PixelMap` holds these taps for one S x S image, so
that the whole family can be applied to a batch as one sparse product.

The builders reproduce the index arithmetic of the operations the released
code calls (TensorFlow 1's ``crop_and_resize``, ``extract_glimpse`` and
``contrib.image.rotate``, numpy's legacy ``RandomState``) in float32 as
those kernels do, so every source index, fill and noise value is the
released code's. Values can differ in the last bit only: the bilinear
zooms are a weighted sum here, two nested lerps in TensorFlow, and
OpenCV's blend may fuse its multiply-add.
"""
import math
from dataclasses import dataclass

import numpy as np

SEED = 777  # np.random.seed(777) before each image in the released code
SALT_SHARE = 0.2  # salt_vs_pepper of add_salt_pepper_noise
F32 = np.float32


@dataclass
class PixelMap:
    """``out[p] = sum_t weight[p, t] * in[index[p, t]] + bias[p]`` over the
    S * S pixels p of one channel, flattened row-major; ``index`` -1 is no
    tap.

    Args:
        index (np.ndarray): (S * S, T) int64 source pixels.
        weight (np.ndarray): (S * S, T) float64 weights.
        bias (np.ndarray): (S * S, ) float64 constants.
    """
    index: np.ndarray
    weight: np.ndarray
    bias: np.ndarray

    def apply(self, image: np.ndarray) -> np.ndarray:
        """The map on one S x S channel (a slow reference for tests)."""
        flat = np.append(image.reshape(-1).astype(np.float64), 0.0)
        out = (self.weight * flat[self.index]).sum(1) + self.bias
        return out.reshape(image.shape)


def gather(rows: np.ndarray, cols: np.ndarray, fill: float) -> PixelMap:
    """Copy source pixel ``(rows[p], cols[p])`` to each output pixel p (two S x
    S integer arrays); a source outside the image gives ``fill``."""
    size = rows.shape[0]
    inside = (rows >= 0) & (rows < size) & (cols >= 0) & (cols < size)
    index = np.where(inside, rows * size + cols, -1).reshape(-1, 1)
    return PixelMap(
        index.astype(np.int64),
        inside.reshape(-1, 1) * 1.0,
        np.where(inside, 0.0, fill).reshape(-1))


def identity(size: int) -> PixelMap:
    """The image itself."""
    rows, cols = np.indices((size, size))
    return gather(rows, cols, 0.0)


def compose(outer: PixelMap, inner: PixelMap) -> PixelMap:
    """The map of ``outer(inner(image))``."""
    has_tap = outer.index >= 0
    source = np.where(has_tap, outer.index, 0)
    index = np.where(has_tap[..., None], inner.index[source], -1)
    weight = outer.weight[..., None] * inner.weight[source]
    bias = outer.bias + (outer.weight * inner.bias[source] * has_tap).sum(1)
    return PixelMap(
        index.reshape(len(index), -1), weight.reshape(len(weight), -1), bias)


def central_zoom(size: int, scale: float) -> PixelMap:
    """``tf.image.crop_and_resize`` of the central box of side ``scale``

    (``[0.5 - scale / 2, 0.5 + scale / 2]`` on both axes, normalised) back
    to S x S, bilinear: source coordinate ``y1 * (S - 1) + i * step`` with
    ``step = (y2 - y1) * (S - 1) / (S - 1)``, in float32 as the kernel. In
    exact arithmetic this is an affine grid ``linspace(-scale, scale, S)``
    sampled with ``align_corners=True``.
    """
    low, high = F32(0.5 - 0.5 * scale), F32(0.5 + 0.5 * scale)
    step = (high - low) * F32(size - 1) / F32(size - 1)
    coords = low * F32(size - 1) + np.arange(size, dtype=F32) * step
    floor, ceil = np.floor(coords), np.ceil(coords)
    lerp = (coords - floor).astype(np.float64)
    taps = ((floor, 1 - lerp), (ceil, lerp))
    index, weight = [], []
    for row, row_weight in taps:
        for col, col_weight in taps:
            index.append(
                row.astype(np.int64)[:, None] * size +
                col.astype(np.int64)[None, :])
            weight.append(row_weight[:, None] * col_weight[None, :])
    return PixelMap(
        np.stack(index, -1).reshape(-1, 4),
        np.stack(weight, -1).reshape(-1, 4), np.zeros(size * size))


def glimpse_translation(size: int, direction: str) -> PixelMap:
    """A 20 % shift filled with white (1.0): ``get_translate_parameters`` and
    ``translate_images``.

    The released code extracts a window of ``ceil(0.8 * S)`` pixels along
    the moved axis with ``tf.image.extract_glimpse`` (centred, normalised
    offset 0.2 or -0.2) and pastes it at the start of a white image (left,
    up) or at ``floor((1 - 0.8) * S)`` (right, down). ExtractGlimpse places
    the window at ``int(offset * S / 2 + S / 2 - window / 2)`` (float32,
    truncated), which keeps it inside the image for every S, so its noise
    fill for uncovered parts never shows. For S = 32: the window is 26
    pixels, the content moves by 6 and 6 rows or columns are white.
    """
    window = math.ceil(0.8 * size)
    offset, paste = {
        'left': (0.2, 0),
        'up': (0.2, 0),
        'right': (-0.2, math.floor((1 - 0.8) * size)),
        'down': (-0.2, math.floor((1 - 0.8) * size)),
    }[direction]
    start = int(
        F32(offset) * F32(size) / F32(2) + F32(size / 2) - F32(window / 2))
    source = np.full(size, -1)
    source[paste:paste + window] = start + np.arange(window)
    rows, cols = np.indices((size, size))
    if direction in ('left', 'right'):
        cols = source[cols]
    else:
        rows = source[rows]
    return gather(rows, cols, 1.0)


def rotation(size: int, degrees: float) -> PixelMap:
    """``tf.contrib.image.rotate`` (nearest, zeros outside): counter-

    clockwise by ``degrees`` about ``((S - 1) / 2, (S - 1) / 2)``.

    The output pixel (x, y) reads the input at ``(cos * x - sin * y +
    x_offset, sin * x + cos * y + y_offset)``, computed in float32 from the
    float32 angle and rounded half away from zero (``std::round``).
    """
    angle = F32(degrees * math.pi / 180)
    cos, sin, side = np.cos(angle), np.sin(angle), F32(size - 1)
    x_offset = (side - (cos * side - sin * side)) / F32(2)
    y_offset = (side - (sin * side + cos * side)) / F32(2)
    ys, xs = np.indices((size, size)).astype(F32)
    source_x = cos * xs + -sin * ys + x_offset
    source_y = sin * xs + cos * ys + y_offset
    return gather(round_half_away(source_y), round_half_away(source_x), 0.0)


def round_half_away(values: np.ndarray) -> np.ndarray:
    """``std::round`` of float32 values, exactly (in float64)."""
    values = values.astype(np.float64)
    return (np.sign(values) * np.floor(np.abs(values) + 0.5)).astype(np.int64)


def flip(size: int, kind: str) -> PixelMap:
    """``tf.image.flip_left_right``, ``flip_up_down`` or
    ``transpose_image``."""
    rows, cols = np.indices((size, size))
    sources = {
        'left_right': (rows, size - 1 - cols),
        'up_down': (size - 1 - rows, cols),
        'transpose': (cols, rows),
    }
    return gather(*sources[kind], 0.0)


def salt_pepper_positions(size: int,
                          channels: int,
                          share: float,
                          seed: int = SEED) -> tuple:
    """Rows and columns of ``add_salt_pepper_noise`` for the salt share.

    (0.2) or the pepper share (``1.0 - 0.2``): ``ceil(0.004 * S * S * C *
    share)`` positions drawn with ``randint(0, S - 1)`` (so S - 1 is never
    drawn) for the rows, then the columns, right after
    ``np.random.seed(seed)``. The released code draws channels third and
    does not use them; that draw cannot change the rows and columns, so it
    is left out (for C = 1 it would fail: ``randint(0, 0)``).
    """
    count = math.ceil(0.004 * (size * size * channels) * share)
    state = np.random.RandomState(seed)
    rows = state.randint(0, size - 1, count)
    cols = state.randint(0, size - 1, count)
    return rows, cols


def salt_pepper(size: int, channels: int) -> PixelMap:
    """Salt (1.0) then pepper (0.0) on all channels at the same positions in
    every image (the seed is reset before each image and before each of the two
    draws), as ``add_salt_pepper_noise``.

    For 32 x 32 x 3: 3 salt and 10 pepper positions; for 32 x 32 x 1: 1 and 4.
    """
    noisy = identity(size)
    for share, value in ((SALT_SHARE, 1.0), (1.0 - SALT_SHARE, 0.0)):
        rows, cols = salt_pepper_positions(size, channels, share)
        noisy.weight[rows * size + cols] = 0.0
        noisy.bias[rows * size + cols] = value
    return noisy


def blend_noise(size: int, seed: int = SEED) -> np.ndarray:
    """The uniform [0, 1) map of ``add_gaussian_noise``: ``np.random.random
    ((S, S, 1))`` right after ``np.random.seed(seed)``, as float32, the same
    for every image and channel."""
    return np.random.RandomState(seed).random_sample((size, size)).astype(F32)


def noise_blend(size: int) -> PixelMap:
    """``cv2.addWeighted(img, 0.75, 0.25 * u, 0.25, 0)``: ``0.75 * img +
    0.0625 * u`` with the map of :func:`blend_noise` (misnamed "gaussian"
    in the released code)."""
    blended = identity(size)
    blended.weight *= 0.75
    blended.bias = blend_noise(size).reshape(-1).astype(np.float64) / 16
    return blended
