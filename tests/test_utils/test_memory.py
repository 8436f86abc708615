# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""``peak_allocated_mb`` measures the peak of what a piece of work allocates,
not the sum, on the CPU through the profiler's memory events."""
import torch

from mmrazor_zs.utils import peak_allocated_mb

MIB = 2**20


def one_after_another() -> None:
    for _ in range(3):
        torch.ones(MIB, dtype=torch.uint8)  # freed before the next


def held_together() -> None:
    kept = [torch.ones(MIB, dtype=torch.uint8) for _ in range(3)]
    assert len(kept) == 3


def test_the_peak_not_the_sum():
    sequential = peak_allocated_mb(one_after_another)
    together = peak_allocated_mb(held_together)
    assert 1.0 <= sequential < 1.1  # a sum would say 3
    assert 3.0 <= together < 3.1


def test_what_existed_before_is_not_counted():
    weights = torch.ones(4 * MIB, dtype=torch.uint8)
    assert 3.9 <= peak_allocated_mb(lambda: weights.add(1)) < 4.1
    assert peak_allocated_mb(lambda: None) == 0
