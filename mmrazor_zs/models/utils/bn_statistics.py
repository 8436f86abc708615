# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Batch-norm statistics, in one place: the recorder of the statistics a batch
produces at the input of every ``BatchNorm2d`` of the teacher
(:class:`BatchNormStatistics`, with Fast's moving-average form) and the loss
that matches them to the layers' running statistics
(:class:`BatchNormStatisticsLoss`)."""
from typing import List, Optional, Sequence, Tuple, cast

import torch
import torch.nn as nn
from mmengine.dist import all_reduce, get_world_size

from mmrazor_zs.registry import MODELS
from .forward_recorder import ForwardRecorder, batch_norm_paths

#: per BN layer: (batch mean, batch variance, running mean, running variance)
LayerStatistics = Tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]


class ChannelMeanVar(torch.autograd.Function):
    """Per channel of an (N, C, H, W) batch: the mean and the biased variance
    over (N, H, W), with a backward pass of one fused sweep over the batch.

    The forward is ``torch.var_mean`` itself, so the statistics (and every
    loss on them) are bit for bit those of the plain call. Its backward is
    ``dL/dx = g_mean / n + 2 g_var (x - mean) / n``, written as one
    ``addcmul`` (``x * a + b`` with per-channel ``a = 2 g_var / n`` and
    ``b = g_mean / n - a mean``) instead of the several passes autograd makes
    through ``var_mean``; the gradients agree to float32 rounding (relative
    differences of a few 1e-7, ``tests/test_models/test_inversion_parts.py``).
    Its cost beside the plain call's, on a config's teacher:
    ``tools/analysis_tools/benchmark_bn_statistics.py``.
    """

    @staticmethod
    def forward(ctx, batch: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        var, mean = torch.var_mean(batch, dim=(0, 2, 3), unbiased=False)
        ctx.save_for_backward(batch, mean)
        return mean, var

    @staticmethod
    def backward(ctx, *grad_outputs: torch.Tensor) -> torch.Tensor:
        grad_mean, grad_var = grad_outputs
        batch, mean = ctx.saved_tensors
        count = batch.numel() // batch.shape[1]
        scale = (2.0 / count) * grad_var
        shift = grad_mean / count - scale * mean
        return torch.addcmul(
            shift.view(1, -1, 1, 1), batch, scale.view(1, -1, 1, 1))


class BatchNormStatistics(ForwardRecorder, nn.Module):
    """Record the statistics of the input of every ``BatchNorm2d`` of a network
    during :meth:`record`, for :class:`BatchNormStatisticsLoss`.

    Per layer the mean over (N, H, W) and the biased variance, as the
    ``DeepInversionHook`` of the zju-vipa zoo computes them (DataFree
    9e79fa9, ``datafree/hooks.py``), next to the layer's running mean and
    variance. With ``momentum`` m (Fast, zju-vipa/Fast-Datafree 0dcecbc,
    ``datafree/hooks.py`` lines 82-114; m = 0.9) the batch statistics are
    blended with a moving average of earlier rounds,
    ``(1 - m) * batch + m * average``, once :meth:`update_average` has been
    called; the average is a buffer, so it is saved and resumed with the
    model. A :class:`ForwardRecorder` of inputs (and an ``nn.Module`` for
    those buffers).

    Args:
        model (nn.Module): The network whose BN layers are recorded (the
            teacher).
        momentum (float, optional): The blending m, in [0, 1). None uses
            the batch statistics alone. Defaults to None.

    Raises:
        ValueError: If ``momentum`` is outside [0, 1), or a BN layer keeps
            no running statistics (``track_running_stats=False``).
    """

    has_average: torch.Tensor

    def __init__(self,
                 model: nn.Module,
                 momentum: Optional[float] = None) -> None:
        if momentum is not None and not 0 <= momentum < 1:
            raise ValueError(f'`momentum` of BatchNormStatistics must be in '
                             f'[0, 1), but got {momentum}.')
        paths = batch_norm_paths(model)
        super().__init__(model, paths, source='input', role='teacher')
        self.momentum = momentum
        modules = dict(model.named_modules())
        self.layers: List[nn.BatchNorm2d] = [modules[p] for p in paths]
        untracked = [
            path for path, layer in zip(paths, self.layers)
            if layer.running_mean is None or layer.running_var is None
        ]
        if untracked:
            raise ValueError(
                f'The teacher\'s BatchNorm2d layers {untracked} keep no '
                'running statistics (track_running_stats=False), so there is '
                'nothing to match batch statistics to; use a teacher whose '
                'batch norms track them.')
        #: ``has_average`` mirrored on the host, so that a step never reads
        #: the buffer (a host synchronisation on a GPU); set by
        #: :meth:`update_average` and by loading a state dict
        self.has_moving_average = False
        if momentum is not None:
            self.register_buffer('has_average',
                                 torch.zeros((), dtype=torch.bool))
            for index, layer in enumerate(self.layers):
                features = layer.num_features
                self.register_buffer(f'average_mean_{index}',
                                     torch.zeros(features))
                self.register_buffer(f'average_var_{index}',
                                     torch.zeros(features))

    def summarize(self, index: int,
                  value: torch.Tensor) -> Tuple[torch.Tensor, torch.Tensor]:
        """(mean, biased variance) of a layer's input over (N, H, W), in
        float32 (:class:`ChannelMeanVar`)."""
        return ChannelMeanVar.apply(value.float())

    def statistics(self) -> List[LayerStatistics]:
        """(mean, var, running mean, running var) per layer, from the last
        :meth:`record`, blended with the moving average when it has one."""
        m = self.momentum
        blend = m is not None and self.has_moving_average
        result = []
        for index, (layer,
                    (mean,
                     var)) in enumerate(zip(self.layers, self.recorded())):
            if m is not None and blend:
                mean = (1 - m) * mean + m * getattr(self,
                                                    f'average_mean_{index}')
                var = (1 - m) * var + m * getattr(self, f'average_var_{index}')
            result.append((mean, var, cast(torch.Tensor, layer.running_mean),
                           cast(torch.Tensor, layer.running_var)))
        return result

    @torch.no_grad()
    def update_average(self) -> None:
        """Fold the last recorded batch statistics into the moving average
        (Fast's ``update_mmt``: the first call sets it).

        Under DDP the ranks' statistics are averaged first, so that every rank
        keeps the same moving average (and a checkpoint holds all ranks'
        state).

        Raises:
            RuntimeError: Without a ``momentum``.
        """
        if self.momentum is None:
            raise RuntimeError('update_average needs a `momentum`.')
        m = self.momentum if self.has_moving_average else 0.0
        batch = [(mean.detach().clone(), var.detach().clone())
                 for mean, var in self.recorded()]
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
        self.has_moving_average = True

    def _load_from_state_dict(self, state_dict, prefix, *args,
                              **kwargs) -> None:
        """Load the buffers, then mirror ``has_average`` on the host (one read
        per load, not per step)."""
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)
        if self.momentum is not None:
            self.has_moving_average = bool(self.has_average)


@MODELS.register_module()
class BatchNormStatisticsLoss(nn.Module):
    """Distance between the statistics a batch produces at the input of each
    batch-norm layer of the teacher and the layer's running statistics:

    ``sum_l w_l (||sigma2_l - var_l||_2 + ||mu_l - mean_l||_2)``.

    The norms are unsquared, as in DeepInversion (Yin et al., `Dreaming to
    Distill <https://arxiv.org/abs/1912.08795>`_, CVPR 2020, Eq. 4) and the
    ``DeepInversionHook`` of the zju-vipa zoo (DataFree 9e79fa9,
    ``datafree/hooks.py``) that its DFQ uses; batch statistics come from
    :class:`BatchNormStatistics` (biased variance over N, H, W, optionally
    blended with their moving average as Fast does).

    Args:
        first_layer_weight (float): Weight of the first BN layer, the others
            having 1: 10 in NVlabs' ImageNet DeepInversion. Defaults to 1.
        loss_weight (float): Multiplier. Defaults to 1.0.
    """

    inputs = ('teacher_bn_statistics', )

    def __init__(self,
                 first_layer_weight: float = 1.0,
                 loss_weight: float = 1.0) -> None:
        super().__init__()
        self.first_layer_weight = first_layer_weight
        self.loss_weight = loss_weight

    def forward(self, statistics: Sequence[LayerStatistics]) -> torch.Tensor:
        """The weighted distance summed over the layers.

        Raises:
            ValueError: If ``statistics`` is empty (no BatchNorm2d).
        """
        if not statistics:
            raise ValueError('BatchNormStatisticsLoss got no batch-norm '
                             'statistics: the teacher has no BatchNorm2d '
                             'layer, so this term cannot be used with it.')
        distances: List[torch.Tensor] = []
        for mean, var, running_mean, running_var in statistics:
            distances.append(
                torch.linalg.vector_norm(running_var - var) +
                torch.linalg.vector_norm(running_mean - mean))
        total = distances[0] * self.first_layer_weight + sum(distances[1:])
        return self.loss_weight * total
