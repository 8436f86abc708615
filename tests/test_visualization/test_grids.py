# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Class grids name their rows, so a picture reads without the docs."""
import numpy as np
import torch

from mmrazor_zs.visualization import class_grid, label_strip

TILE = 32
ROW = TILE + 1  # a tile and the 1-pixel border under it


def rows_of(strip: np.ndarray, count: int) -> list:
    return [strip[1 + k * ROW:1 + k * ROW + TILE] for k in range(count)]


def test_label_strip_draws_every_name_in_its_row():
    strip = label_strip(['0', '1', '2'], TILE)
    assert strip.dtype == np.uint8 and strip.shape[0] == 3 * ROW + 1
    rows = rows_of(strip, 3)
    assert all(row.max() > 0 for row in rows)
    assert not np.array_equal(rows[0], rows[1])
    assert not np.array_equal(rows[1], rows[2])
    # the names are drawn in their rows only: the borders stay black
    assert strip[::ROW].max() == 0


def test_class_grid_starts_each_row_with_its_class():
    images = torch.full((6, 1, TILE, TILE), 200, dtype=torch.uint8)
    labels = torch.tensor([0, 0, 1, 1, 2, 2])
    names = ['cat', 'dog', 'frog']
    grid = class_grid(images, labels, 3, per_row=2, class_names=names)
    strip = label_strip(names, TILE)
    width = strip.shape[1]
    assert grid.shape == (3 * ROW + 1, width + 2 * ROW + 1, 3)
    assert np.array_equal(grid[:, :width], strip)
    # after the strip the tiles, the same in every row here
    assert (grid[1:1 + TILE, width + 1:width + 1 + TILE] == 200).all()
    by_index = class_grid(images, labels, 3, per_row=2)
    assert np.array_equal(by_index[:, -2 * ROW - 1:], grid[:, -2 * ROW - 1:])
    assert np.array_equal(by_index[:, :-2 * ROW - 1],
                          label_strip(['0', '1', '2'], TILE))
