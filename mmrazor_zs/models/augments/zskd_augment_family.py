# Copyright (c) mmrazor_zs contributors. All rights reserved.
import warnings
from typing import Dict, List, Sequence, Tuple

import numpy as np
import torch
import torch.nn as nn

from mmrazor_zs.registry import MODELS
from .pixel_maps import (PixelMap, central_zoom, compose, flip,
                         glimpse_translation, identity, noise_blend, rotation,
                         salt_pepper)

ZOOMS = (0.90, 0.75, 0.60)
TRANSLATIONS = ('left', 'right', 'up', 'down')
ROTATIONS = tuple(-90 + 20.0 * i for i in range(10))  # -90, -70, ..., 90
FLIPS = ('left_right', 'up_down', 'transpose')

Named = List[Tuple[str, PixelMap]]


def combine(outers: Named, inners: Named) -> Named:
    """``outer(inner(image))`` for every pair, outer-major, named
    ``'inner+outer'`` (applied left to right)."""
    return [(f'{inner_name}+{outer_name}', compose(outer, inner))
            for outer_name, outer in outers for inner_name, inner in inners]


def released_family(size: int, channels: int) -> Named:
    """The 106 copies that the released code's
    ``create_more_samples_using_augmentation(..., 'cifar10')`` makes of each S
    x S image with C channels, named, in its order: the original, 3 central
    zooms, 4 translations, 10 rotations (-90 to 90 degrees by 20), 3 flips,
    salt-and-pepper, the noise blend, then zoom + translation (12),
    translation.

    + rotation (40), zoom + rotation (30) and salt-and-pepper + blend (1).
    """
    zooms = [(f'zoom{scale:.2f}', central_zoom(size, scale))
             for scale in ZOOMS]
    moves = [(f'translate_{direction}', glimpse_translation(size, direction))
             for direction in TRANSLATIONS]
    turns = [(f'rotate{degrees:+.0f}', rotation(size, degrees))
             for degrees in ROTATIONS]
    flips = [(f'flip_{kind}', flip(size, kind)) for kind in FLIPS]
    noisy = [('salt_pepper', salt_pepper(size, channels))]
    blend = [('blend', noise_blend(size))]
    return ([('original', identity(size))] + zooms + moves + turns + flips +
            noisy + blend + combine(moves, zooms) + combine(turns, moves) +
            combine(turns, zooms) + combine(blend, noisy))


def family_operator(family: Sequence[PixelMap],
                    size: int) -> Tuple[torch.Tensor, torch.Tensor]:
    """Stack the maps into one sparse (K * S * S, S * S) CSR matrix (row
    ``k * S * S + p``: pixel p of copy k) and its (K * S * S, ) bias."""
    pixels = size * size
    rows, cols, values = [], [], []
    for copy, pixel_map in enumerate(family):
        kept = (pixel_map.index >= 0) & (pixel_map.weight != 0)
        rows.append(np.nonzero(kept)[0] + copy * pixels)
        cols.append(pixel_map.index[kept])
        values.append(pixel_map.weight[kept])
    indices = torch.from_numpy(
        np.stack([np.concatenate(rows),
                  np.concatenate(cols)]))
    matrix = torch.sparse_coo_tensor(
        indices,
        torch.from_numpy(np.concatenate(values)).float(),
        (len(family) * pixels, pixels),
        check_invariants=True).coalesce()
    bias = np.concatenate([pixel_map.bias for pixel_map in family])
    with warnings.catch_warnings():
        warnings.filterwarnings('ignore', 'Sparse CSR tensor support')
        return matrix.to_sparse_csr(), torch.from_numpy(bias).float()


@MODELS.register_module()
class ZSKDAugmentFamily(nn.Module):
    """The fixed augmentation family of the released ZSKD code, for a whole
    batch at once.

    Nayak et al., `Zero-Shot Knowledge Distillation in Deep Networks
    <https://arxiv.org/abs/1905.08114>`_, ICML 2019. With
    ``--data_augmentation``, the released ``model_training/train.py``
    replaces each batch of impressions by
    ``create_more_samples_using_augmentation``: 106 fixed copies of every
    image (see :func:`released_family` and
    :mod:`~mmrazor_zs.models.augments.pixel_maps` for each one), which the
    teacher relabels before one optimiser step on all of them.

    Every copy is an affine map of the pixels, the same for all channels
    and images (the salt-and-pepper positions and the blend map are drawn
    once, with numpy's legacy ``RandomState(777)``, because the released
    code reseeds before each image). The family is therefore built once
    per image shape and device as one sparse matrix and a bias, and applied
    as ``matrix @ pixels + bias``: no per-image loop and no numpy on the
    way. Values match TensorFlow's up to float32 rounding of the bilinear
    zooms; the nearest-neighbour indices, fills and noise are the released
    code's exactly.

    The input is ``(N, C, S, S)`` pixels in [0, 1] (the fills are white 1.0
    and black 0.0, the salt 1.0); the output is ``(N * 106, C, S, S)`` in
    the input's dtype (computed in float32, outside autocast),
    image-major: ``out.view(N, 106, C, S, S)[n, k]`` is copy k of image n.
    The released batch orders the same copies by family instead, which
    neither the mean loss nor the optimiser step depends on.
    """

    def __init__(self) -> None:
        super().__init__()
        self._operators: Dict[tuple, Tuple[torch.Tensor, torch.Tensor]] = {}

    def operator(self, channels: int, size: int,
                 device: torch.device) -> Tuple[torch.Tensor, torch.Tensor]:
        """The cached sparse matrix and bias for C x S x S images."""
        key = (channels, size, device)
        if key not in self._operators:
            maps = [
                pixel_map for _, pixel_map in released_family(size, channels)
            ]
            matrix, bias = family_operator(maps, size)
            self._operators[key] = (matrix.to(device), bias.to(device))
        return self._operators[key]

    def forward(self, pixels: torch.Tensor) -> torch.Tensor:
        """Expand ``(N, C, S, S)`` pixels to ``(N * 106, C, S, S)``."""
        if pixels.dim() != 4 or pixels.shape[-1] != pixels.shape[-2]:
            raise ValueError(
                'ZSKDAugmentFamily expands square images (N, C, S, S), as '
                'the released code (the transpose needs H == W), but got '
                f'shape {tuple(pixels.shape)}. Resize or pad the images to '
                'a square.')
        num, channels, size = pixels.shape[:3]
        matrix, bias = self.operator(channels, size, pixels.device)
        columns = pixels.float().reshape(num * channels, -1).t()
        with torch.autocast(pixels.device.type, enabled=False):
            out = (matrix @ columns.contiguous()).add_(bias[:, None])
        copies = out.shape[0] // (size * size)
        out = out.view(copies, size, size, num, channels)
        return out.permute(3, 0, 4, 1, 2).reshape(num * copies, channels, size,
                                                  size).to(pixels.dtype)
