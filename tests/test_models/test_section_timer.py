# Copyright (c) mmrazor_zs contributors. All rights reserved.
import time

import torch

from mmrazor_zs.models.utils.section_timer import SectionTimer


class FakeEvent:
    """A CUDA timing event whose kernels finish when the test says so; it
    records whether anyone waited for it."""
    done = False  # the device's queue has run
    waits = 0
    clock = 0.

    def record(self):
        FakeEvent.clock += 0.5  # half a second of device time per record
        self.time = FakeEvent.clock

    def query(self):
        return FakeEvent.done

    def synchronize(self):
        FakeEvent.waits += 1

    def elapsed_time(self, end):
        assert FakeEvent.done or FakeEvent.waits, 'read before it finished'
        return (end.time - self.time) * 1000.  # milliseconds


def test_cpu_sections_are_timed_with_the_host_clock():
    timer = SectionTimer()
    for _ in range(2):
        with timer.section(torch.device('cpu')):
            time.sleep(0.05)
    assert 0.1 <= timer.seconds < 1.
    timer.seconds = 3.  # a resumed run's time so far
    assert timer.seconds == 3.


def test_cuda_sections_never_wait_for_the_device_in_the_loop(monkeypatch):
    monkeypatch.setattr(torch.cuda, 'Event', lambda **kwargs: FakeEvent())
    monkeypatch.setattr(FakeEvent, 'done', False)
    monkeypatch.setattr(FakeEvent, 'waits', 0)
    timer = SectionTimer()
    cuda = torch.device('cuda')
    for _ in range(3):
        with timer.section(cuda):
            pass
    assert FakeEvent.waits == 0 and len(timer._pending) == 3
    FakeEvent.done = True
    with timer.section(cuda):  # finished pairs are collected on the way
        pass
    assert not timer._pending and timer._seconds == 2.
    FakeEvent.done = False
    with timer.section(cuda):
        pass
    assert timer.seconds == 2.5  # reading waits for the queued pair
    assert FakeEvent.waits == 1
