# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Image grids of synthetic inputs, one row per class, for people to look at
(generator samples of ZSKT, data impressions of ZSKD)."""
from typing import Dict, List, Optional, Sequence

import mmcv
import numpy as np
import torch
from PIL import Image, ImageDraw, ImageFont
from torchvision.utils import make_grid

PADDING = 1  # pixels between the tiles of a grid


def label_strip(names: Sequence[str], tile_height: int) -> np.ndarray:
    """A white-on-black RGB uint8 column (H, W, 3) with ``names[k]`` at the
    height of row k of a grid of tiles ``tile_height`` pixels tall."""
    font = ImageFont.load_default()
    draw = ImageDraw.Draw(Image.new('RGB', (1, 1)))
    boxes = [draw.textbbox((0, 0), name, font=font) for name in names]
    width = int(max(box[2] for box in boxes)) + 2 * PADDING + 2
    row_height = tile_height + PADDING
    strip = Image.new('RGB', (width, len(names) * row_height + PADDING))
    draw = ImageDraw.Draw(strip)
    for row, (name, box) in enumerate(zip(names, boxes)):
        top = PADDING + row * row_height + (tile_height - box[1] - box[3]) // 2
        draw.text((PADDING + 1, top), name, fill='white', font=font)
    return np.asarray(strip).copy()


def class_grid(images: torch.Tensor,
               labels: torch.Tensor,
               num_classes: int,
               per_row: int = 8,
               class_names: Optional[Sequence[str]] = None) -> np.ndarray:
    """An RGB uint8 array (H, W, 3) with row k holding up to ``per_row`` of the
    images labelled k (black where a class has fewer), after a strip naming the
    class: ``class_names[k]``, or k when not given."""
    blank = torch.zeros_like(images[0])
    tiles = []
    for label in range(num_classes):
        row = list(images[labels == label][:per_row])
        tiles += row + [blank] * (per_row - len(row))
    grid = make_grid(torch.stack(tiles), nrow=per_row, padding=PADDING)
    if grid.shape[0] == 1:
        grid = grid.expand(3, -1, -1)
    names = class_names or [str(label) for label in range(num_classes)]
    strip = label_strip(names[:num_classes], images.shape[2])
    return np.concatenate([strip, grid.permute(1, 2, 0).numpy()], axis=1)


class ClassSample:
    """The first ``per_row`` images of every class, in the order they are
    added, drawn as a :func:`class_grid` PNG.

    ``wanted(label)`` tells a caller reading images from disk whether a class
    still needs any.
    """

    def __init__(self, per_row: int) -> None:
        self.per_row = per_row
        self._images: List[torch.Tensor] = []
        self._labels: List[int] = []
        self._counts: Dict[int, int] = {}

    def wanted(self, label: int) -> int:
        """How many more images class ``label`` needs."""
        return self.per_row - self._counts.get(label, 0)

    def add(self, label: int, images: torch.Tensor) -> None:
        """Keep what class ``label`` still needs of ``images`` (N, C, H, W)."""
        kept = images[:max(self.wanted(label), 0)]
        self._images.append(kept)
        self._labels += [label] * len(kept)
        self._counts[label] = self._counts.get(label, 0) + len(kept)

    def save_png(self,
                 num_classes: int,
                 path: str,
                 class_names: Optional[Sequence[str]] = None) -> None:
        """Write the grid, rows named by ``class_names`` (default: the class
        indices), to ``path``."""
        grid = class_grid(
            torch.cat(self._images), torch.tensor(self._labels), num_classes,
            self.per_row, class_names)
        mmcv.imwrite(mmcv.rgb2bgr(grid), path)
