# Copyright (c) mmrazor_zs contributors. All rights reserved.
import time

import torch

from mmrazor_zs.testing import seconds_per_step


def test_seconds_per_step_divides_one_timed_call_by_the_steps():
    calls = []

    def run(steps):
        calls.append(steps)
        time.sleep(0.02 * steps)

    per_step = seconds_per_step(run, 5, torch.device('cpu'))
    assert calls == [5]
    assert 0.019 < per_step < 0.06
