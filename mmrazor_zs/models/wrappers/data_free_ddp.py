# Copyright (c) mmrazor_zs contributors. All rights reserved.
import torch.nn as nn
from mmengine.device import get_device
from mmengine.model import (MMDistributedDataParallel,
                            MMSeparateDistributedDataParallel)

from mmrazor_zs.registry import MODEL_WRAPPERS


@MODEL_WRAPPERS.register_module()
class DataFreeDistributedDataParallel(MMSeparateDistributedDataParallel):
    """mmengine's separate DDP wrapper, with one exception: a submodule that
    steps its own optimisers (``trains_itself = True``, the inversion
    synthesizers) is moved to the device but not wrapped.

    The trained networks (student, generator) each get their own
    ``MMDistributedDataParallel``; the frozen teacher stays unwrapped; a
    synthesizer is never run through ``forward`` and keeps its state equal
    on every rank with its own collectives (averaged meta-gradients, head
    gradients and batch-norm averages, gathered memory-bank features), so
    DDP's hooks must not touch its parameters.

    Args:
        module (nn.Module): The algorithm.
        broadcast_buffers (bool): Passed to each wrapper. Defaults to False.
        find_unused_parameters (bool): Passed to each wrapper. Defaults to
            False.
        **kwargs: Other arguments of ``DistributedDataParallel``.
    """

    def __init__(self,
                 module: nn.Module,
                 broadcast_buffers: bool = False,
                 find_unused_parameters: bool = False,
                 **kwargs) -> None:
        # nn.Module's init only (what mmengine's wrapper does with
        # super(DistributedDataParallel, self)): the submodules are wrapped
        # one by one below
        nn.Module.__init__(self)
        self.module = module
        device = get_device()
        for name, child in module._modules.items():
            if child is None:
                continue  # a submodule slot set to None: nothing to place
            trained = any(p.requires_grad for p in child.parameters())
            if trained and not getattr(child, 'trains_itself', False):
                child = MMDistributedDataParallel(
                    module=child.to(device),
                    broadcast_buffers=broadcast_buffers,
                    find_unused_parameters=find_unused_parameters,
                    **kwargs)
            else:
                child = child.to(device)
            module._modules[name] = child
