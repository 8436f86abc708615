# Copyright (c) mmrazor_zs contributors. All rights reserved.
import contextlib
from typing import Iterator, List, Optional, Sequence

import torch
import torch.nn as nn


class InstanceMeans:
    """Record, per image, the spatial mean of the input of chosen layers during
    :meth:`record`: CMI's feature for its contrastive loss (zju-vipa/DataFree
    9e79fa9, ``datafree/hooks.py`` ``InstanceMeanHook``, ``torch.mean(input[0],
    dim=[2, 3])``).

    Args:
        model (nn.Module): The network to record (the teacher).
        layers (Sequence[str], optional): Module names whose inputs are
            recorded; None records the input of every ``BatchNorm2d`` (the
            zoo's default). Defaults to None.
    """

    def __init__(self,
                 model: nn.Module,
                 layers: Optional[Sequence[str]] = None) -> None:
        modules = dict(model.named_modules())
        if layers is None:
            chosen = [
                m for m in modules.values() if isinstance(m, nn.BatchNorm2d)
            ]
        else:
            missing = [name for name in layers if name not in modules]
            if missing:
                raise ValueError(
                    f'The feature layers {missing} are not modules of the '
                    f'{type(model).__name__}; name them as in '
                    '`named_modules()`, e.g. "backbone.layer1".')
            chosen = [modules[name] for name in layers]
        if not chosen:
            raise ValueError('No layer to record: the model has no '
                             'BatchNorm2d; name the feature layers.')
        self._recording = False
        self._means: List[Optional[torch.Tensor]] = [None] * len(chosen)
        self._handles = [
            module.register_forward_hook(self._make_hook(index))
            for index, module in enumerate(chosen)
        ]

    def _make_hook(self, index: int):

        def hook(module, inputs, output):
            if self._recording:
                self._means[index] = inputs[0].float().mean(dim=(2, 3))

        return hook

    @contextlib.contextmanager
    def record(self) -> Iterator[None]:
        """Record the forward passes in this context."""
        self._means = [None] * len(self._means)
        self._recording = True
        try:
            yield
        finally:
            self._recording = False

    def features(self) -> torch.Tensor:
        """(N, D): the recorded means of all layers, concatenated."""
        if any(mean is None for mean in self._means):
            raise RuntimeError('Some feature layers saw no input in the last '
                               'recorded forward pass.')
        return torch.cat(self._means, dim=1)
