# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Image grids of synthetic inputs, one row per class, for people to look
at (generator samples of ZSKT, data impressions of ZSKD)."""
from typing import Sequence

import numpy as np
import torch
from torchvision.utils import make_grid


def to_display_images(inputs: torch.Tensor, mean: Sequence[float],
                      std: Sequence[float]) -> torch.Tensor:
    """Network inputs ``(x - mean) / std`` back to uint8 pixels (N, C, H,
    W), clipped to 0..255."""
    mean_t = torch.as_tensor(mean, dtype=torch.float32).view(1, -1, 1, 1)
    std_t = torch.as_tensor(std, dtype=torch.float32).view(1, -1, 1, 1)
    pixels = inputs.detach().float().cpu() * std_t + mean_t
    return pixels.clamp(0, 255).round().to(torch.uint8)


def class_grid(images: torch.Tensor, labels: torch.Tensor, num_classes: int,
               per_row: int = 8) -> np.ndarray:
    """An RGB uint8 array (H, W, 3) with row k holding up to ``per_row`` of
    the images labelled k (black where a class has fewer)."""
    blank = torch.zeros_like(images[0])
    tiles = []
    for label in range(num_classes):
        row = list(images[labels == label][:per_row])
        tiles += row + [blank] * (per_row - len(row))
    grid = make_grid(torch.stack(tiles), nrow=per_row, padding=1)
    if grid.shape[0] == 1:
        grid = grid.expand(3, -1, -1)
    return grid.permute(1, 2, 0).contiguous().numpy()
