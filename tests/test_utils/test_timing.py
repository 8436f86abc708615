# Copyright (c) mmrazor_zs contributors. All rights reserved.
import time

import pytest
import torch

from mmrazor_zs.testing import (AlternatingTimes, alternating_times,
                                seconds_per_step)


def test_seconds_per_step_divides_one_timed_call_by_the_steps():
    calls = []

    def run(steps):
        calls.append(steps)
        time.sleep(0.02 * steps)

    per_step = seconds_per_step(run, 5, torch.device('cpu'))
    assert calls == [5]
    assert 0.019 < per_step < 0.06


def test_alternating_times_runs_each_round_forth_and_back():
    """A B then B A in every round, a side timed by the mean of its two runs:

    a drift that grows linearly through a round costs both sides alike (a fixed
    A B A B order would give B the larger share).
    """
    calls = []

    def side(name):

        def run(steps):
            calls.append((name, steps))
            position = (len(calls) - 3) % 4  # within a round, after warm-up
            time.sleep(0.004 * steps * (1 + position))

        return run

    times = alternating_times(
        dict(a=side('a'), b=side('b')),
        steps=2,
        repeats=3,
        device=torch.device('cpu'),
        warmup_steps=1)
    assert calls[:2] == [('a', 1), ('b', 1)]
    assert calls[2:] == [('a', 2), ('b', 2), ('b', 2), ('a', 2)] * 3
    assert len(times.rounds['a']) == len(times.rounds['b']) == 3
    # a: positions 0 and 3, b: 1 and 2 -> both (1 + 4) / 2 x 4 ms per step
    assert times.median('a') == pytest.approx(0.010, rel=0.3)
    assert times.ratio('a', 'b') == pytest.approx(1.0, rel=0.15)


def test_the_ratio_is_paired_within_rounds():
    """A machine slowed for a whole round slows both sides of that round:

    the paired ratio is the sides' true ratio, where the ratio of the two
    medians picks up whichever rounds each median fell on.
    """
    times = AlternatingTimes(
        dict(
            framework=[1.00, 2.00, 1.02, 2.04, 1.01],
            plain=[1.00, 2.00, 1.00, 2.00, 1.00]))
    assert times.median('framework') == 1.02
    assert times.median('plain') == 1.00
    assert times.ratio('framework', 'plain') == pytest.approx(1.01)
