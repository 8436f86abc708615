# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Counting the reads of a tensor's value by the host, on any device."""
import torch

from .dispatched_ops import DispatchedOps

#: the operator behind ``.item()``, ``bool(t)``, ``int(t)`` and ``float(t)``:
#: on a GPU each waits for the device to finish its queued work
SCALAR_READ = torch.ops.aten._local_scalar_dense.default


class HostReads(DispatchedOps):
    """Count, inside the context, the tensor values read by the host
    (``aten._local_scalar_dense``: ``.item()``, ``bool(t)``, ``int(t)``,
    ``float(t)``), on the CPU as on a GPU, so that a CPU test proves a loop
    free of the host synchronisations it would make on a GPU.

    Reads of tensors that live on the host by design (a CPU random
    generator's draws) are counted too: measure the code whose every tensor
    would be on the device.

    Examples:
        >>> with HostReads() as reads:
        ...     loss = model(x).sum()
        >>> assert reads.count == 0
    """

    @property
    def count(self) -> int:
        """The host's reads so far."""
        return self.counts[SCALAR_READ.overloadpacket.__name__]
