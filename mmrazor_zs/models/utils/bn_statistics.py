# Copyright (c) mmrazor_zs contributors. All rights reserved.
import contextlib
from typing import Iterator, List, Optional, Tuple

import torch
import torch.nn as nn
from mmengine.dist import all_reduce, get_world_size

from ..losses.bn_statistics import LayerStatistics


class BatchNormStatistics(nn.Module):
    """Record the statistics of the input of every ``BatchNorm2d`` of a
    network during :meth:`record`, for
    :class:`~mmrazor_zs.models.losses.BatchNormStatisticsLoss`.

    Per layer the mean over (N, H, W) and the biased variance, as the
    ``DeepInversionHook`` of the zju-vipa zoo computes them (DataFree
    9e79fa9, ``datafree/hooks.py``), next to the layer's running mean and
    variance. With ``momentum`` m (Fast, zju-vipa/Fast-Datafree 0dcecbc,
    ``datafree/hooks.py`` lines 82-114; m = 0.9) the batch statistics are
    blended with a moving average of earlier rounds,
    ``(1 - m) * batch + m * average``, once :meth:`update_average` has been
    called; the average is a buffer, so it is saved and resumed with the
    model.

    Args:
        model (nn.Module): The network whose BN layers are recorded (the
            teacher).
        momentum (float, optional): The blending m, in [0, 1). None uses
            the batch statistics alone. Defaults to None.
    """

    def __init__(self,
                 model: nn.Module,
                 momentum: Optional[float] = None) -> None:
        super().__init__()
        if momentum is not None and not 0 <= momentum < 1:
            raise ValueError(f'`momentum` must be in [0, 1), but got '
                             f'{momentum}.')
        self.momentum = momentum
        self.layers: List[nn.BatchNorm2d] = [
            m for m in model.modules() if isinstance(m, nn.BatchNorm2d)
        ]
        self._recording = False
        self._batch: List[Optional[Tuple[torch.Tensor,
                                         torch.Tensor]]] = [None] * len(
                                             self.layers)
        self._handles = [
            layer.register_forward_hook(self._make_hook(index))
            for index, layer in enumerate(self.layers)
        ]
        if momentum is not None:
            self.register_buffer('has_average', torch.zeros((), dtype=bool))
            for index, layer in enumerate(self.layers):
                features = layer.num_features
                self.register_buffer(f'average_mean_{index}',
                                     torch.zeros(features))
                self.register_buffer(f'average_var_{index}',
                                     torch.zeros(features))

    def _make_hook(self, index: int):

        def hook(module, inputs, output):
            if not self._recording:
                return
            x = inputs[0].float()
            var, mean = torch.var_mean(x, dim=(0, 2, 3), unbiased=False)
            self._batch[index] = (mean, var)

        return hook

    @contextlib.contextmanager
    def record(self) -> Iterator[None]:
        """Record the BN inputs of the forward passes in this context."""
        self._batch = [None] * len(self.layers)
        self._recording = True
        try:
            yield
        finally:
            self._recording = False

    def statistics(self) -> List[LayerStatistics]:
        """(mean, var, running mean, running var) per layer, from the last
        :meth:`record`, blended with the moving average when it has one."""
        if any(batch is None for batch in self._batch):
            raise RuntimeError('Some batch-norm layers saw no input in the '
                               'last recorded forward pass.')
        blend = self.momentum is not None and bool(self.has_average)
        result = []
        for index, (layer, (mean,
                            var)) in enumerate(zip(self.layers, self._batch)):
            if blend:
                m = self.momentum
                mean = (1 - m) * mean + m * getattr(self,
                                                    f'average_mean_{index}')
                var = (1 - m) * var + m * getattr(self, f'average_var_{index}')
            result.append((mean, var, layer.running_mean, layer.running_var))
        return result

    @torch.no_grad()
    def update_average(self) -> None:
        """Fold the last recorded batch statistics into the moving average
        (Fast's ``update_mmt``: the first call sets it).

        Under DDP the ranks' statistics are averaged first, so that every rank
        keeps the same moving average (and a checkpoint holds all ranks'
        state).
        """
        if self.momentum is None:
            raise RuntimeError('update_average needs a `momentum`.')
        m = self.momentum if bool(self.has_average) else 0.0
        batch = [(mean.detach().clone(), var.detach().clone())
                 for mean, var in self._batch]
        if get_world_size() > 1:
            for mean, var in batch:
                all_reduce(mean, op='mean')
                all_reduce(var, op='mean')
        for index, (mean, var) in enumerate(batch):
            average_mean = getattr(self, f'average_mean_{index}')
            average_var = getattr(self, f'average_var_{index}')
            average_mean.mul_(m).add_((1 - m) * mean)
            average_var.mul_(m).add_((1 - m) * var)
        self.has_average.fill_(True)
