# Copyright (c) mmrazor_zs contributors. All rights reserved.
from typing import Tuple

import torch
import torch.nn as nn
from mmengine.model import BaseModule


class StagedBackbone(BaseModule):
    """A backbone made of ``self.stages`` run one after another, returning the
    outputs of the stages in ``self.out_indices`` as mmpretrain backbones do.

    Subclasses build both.
    """

    stages: nn.ModuleList
    out_indices: Tuple[int, ...]

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        """Run the stages in order.

        Args:
            x (Tensor): The input images (N, C, H, W).

        Returns:
            tuple[Tensor]: The outputs of the stages in ``out_indices``, in
            stage order.
        """
        outs = []
        for index, stage in enumerate(self.stages):
            x = stage(x)
            if index in self.out_indices:
                outs.append(x)
        return tuple(outs)
