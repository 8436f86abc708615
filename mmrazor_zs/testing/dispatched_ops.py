# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Counting the operators a piece of code dispatches."""
import collections
from typing import Any

from torch.utils._python_dispatch import TorchDispatchMode


class DispatchedOps(TorchDispatchMode):
    """Count, inside the context, each ATen operator dispatched (forward and
    backward), by overload packet name (``'add'``, ``'div'``, ...), so that a
    test can tell that code does no more arithmetic than it should.

    Examples:
        >>> with DispatchedOps() as ops:
        ...     loss = kl(student_logits, teacher_logits)
        >>> assert ops.counts['div'] == 0
    """

    def __init__(self) -> None:
        super().__init__()
        self.counts: collections.Counter = collections.Counter()

    def __torch_dispatch__(self, func, types, args=(), kwargs=None) -> Any:
        self.counts[func.overloadpacket.__name__] += 1
        return func(*args, **(kwargs or {}))
