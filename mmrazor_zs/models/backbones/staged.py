# Copyright (c) mmrazor_zs contributors. All rights reserved.
from typing import Tuple

import torch
from mmengine.model import BaseModule


class StagedBackbone(BaseModule):
    """A backbone made of ``self.stages`` run one after another, returning the
    outputs of the stages in ``self.out_indices`` as mmpretrain backbones do.

    Subclasses build both.
    """

    def forward(self, x: torch.Tensor) -> Tuple[torch.Tensor, ...]:
        outs = []
        for index, stage in enumerate(self.stages):
            x = stage(x)
            if index in self.out_indices:
                outs.append(x)
        return tuple(outs)
