# Copyright (c) mmrazor_zs contributors. All rights reserved.
from typing import Optional, Sequence

import torch
import torch.nn as nn

from .forward_recorder import ForwardRecorder, batch_norm_paths


class InstanceMeans(ForwardRecorder):
    """Record, per image, the spatial mean of the input of chosen layers during
    :meth:`record`: CMI's feature for its contrastive loss (zju-vipa/DataFree
    9e79fa9, ``datafree/hooks.py`` ``InstanceMeanHook``, ``torch.mean(input[0],
    dim=[2, 3])``). A :class:`ForwardRecorder` of inputs.

    Args:
        model (nn.Module): The network to record (the teacher).
        layers (Sequence[str], optional): Module paths whose inputs are
            recorded; None records the input of every ``BatchNorm2d`` (the
            zoo's default). Defaults to None.

    Raises:
        ValueError: If a path does not exist (the message lists the valid
            ones), or there is no layer to record.
    """

    def __init__(self,
                 model: nn.Module,
                 layers: Optional[Sequence[str]] = None) -> None:
        paths = batch_norm_paths(model) if layers is None else list(layers)
        if not paths:
            raise ValueError(
                'No layer to record: the teacher has no BatchNorm2d; name the '
                'feature layers (`feature_layers`).')
        super().__init__(model, paths, source='input', role='teacher')

    def summarize(self, index: int, value: torch.Tensor) -> torch.Tensor:
        """(N, C): the spatial mean of a layer's (N, C, H, W) input."""
        return value.float().mean(dim=(2, 3))

    def features(self) -> torch.Tensor:
        """(N, D): the recorded means of all layers, concatenated."""
        return torch.cat(self.recorded(), dim=1)
