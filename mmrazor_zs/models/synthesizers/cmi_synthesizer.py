# Copyright (c) mmrazor_zs contributors. All rights reserved.
from typing import Any, Dict, List, Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.dist import all_gather, get_world_size

from mmrazor_zs.registry import MODELS
from ..augments.differentiable import (random_horizontal_flip,
                                       random_resized_crop)
from ..generators.reinit import reinit_dcgan_style
from ..utils.instance_means import InstanceMeans
from .generator_synthesizer import GeneratorSynthesizer
from .inversion_synthesizer import average_gradients_over_ranks


class ProjectionHead(nn.Module):
    """CMI's head: ``Linear(D, D) - ReLU - Linear(D, out)``, then unit
    length (zju-vipa/DataFree 9e79fa9, ``contrastive.py`` ``MLPHead``)."""

    def __init__(self, in_features: int, out_features: int) -> None:
        super().__init__()
        self.layers = nn.Sequential(
            nn.Linear(in_features, in_features), nn.ReLU(inplace=True),
            nn.Linear(in_features, out_features))

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        """Project (N, D) features to unit-length (N, out) vectors."""
        return F.normalize(self.layers(features), dim=1, p=2)


def contrastive_loss(local: torch.Tensor, global_: torch.Tensor, batch: int,
                     temperature: float) -> torch.Tensor:
    """CMI's contrastive loss on projected features (``contrastive.py``

    lines 320-335): row i of ``local @ global_.detach()^T / temperature``
    should pick column i; the per-row cross-entropies are averaged over
    the first ``batch`` rows (this round's images) and, separately, over
    the rest (the bank's), and the two means added.

    Args:
        local (Tensor): (N + M, d) projected local views, batch first.
        global_ (Tensor): (N + M, d) projected global views, same order.
        batch (int): N.
        temperature (float): ``cr_T``.
    """
    logits = local @ global_.detach().T / temperature
    per_row = F.cross_entropy(
        logits,
        torch.arange(len(logits), device=logits.device),
        reduction='none')
    loss = per_row[:batch].mean()
    if len(per_row) > batch:
        loss = loss + per_row[batch:].mean()
    return loss


@MODELS.register_module()
class CMISynthesizer(GeneratorSynthesizer):
    """CMI's synthesis: a freshly initialised generator per round, pushed to
    make images unlike those of earlier rounds by a contrastive loss.

    Fang et al., `Contrastive Model Inversion for Data-Free Knowledge
    Distillation <https://arxiv.org/abs/2105.08584>`_, IJCAI 2021, as
    zju-vipa/DataFree 9e79fa9 runs it (``datafree/synthesis/
    contrastive.py`` lines 261-357). Each round re-initialises the
    generator (DCGAN style), draws codes z and takes ``steps`` Adam steps
    on both (``lr_g``, betas (0.5, 0.999)) and on the projection head
    (its own Adam, never reset). A step adds to the configured terms
    (computed on the global view: pad-crop-flip) the contrastive term
    ``contrast_weight * L_cr``: the feature ``h`` of a view is the
    spatial mean of the inputs of the teacher's ``feature_layers`` (every
    BatchNorm2d's by default), the head projects the local views'
    (random resized crop ``local_scale``, flip) and the global views'
    features of the batch and of up to ``negatives`` features from the
    memory bank, and ``L_cr`` is the cross-entropy of
    ``head(local) . head(global).detach()^T / contrast_temperature`` with
    the diagonal as labels, averaged over the batch's rows plus averaged
    over the bank's rows (once the bank has entries). The kept batch's
    (local, global) features go into the bank, a FIFO of ``bank_size``.

    Differences from the code, none of which changes a loss: the bank
    lives on the device, not the CPU; the negatives are drawn with the
    round's generator, not Python's ``random``; the generator's BN running
    statistics (unused: it runs in train mode) are reset with its weights.
    One changes one round: when a round starts with the bank exactly full
    the zoo samples its negatives from an empty range (``get_data`` tests
    ``n_updates > max_size``, lines 158 and 164-166, and the pointer is
    back at 0), so its loss is NaN at every step (line 324: the mean over
    no bank rows) and it keeps its step-0, untrained images (line 330);
    here that round samples from the whole bank and keeps as any other.
    Under DDP the head's gradients are averaged over the ranks and every
    rank's kept features enter the bank, in rank order, so head and bank
    stay the same on every rank.

    Args:
        feature_layers (Sequence[str], optional): Teacher module names
            whose inputs give the features; None: every BatchNorm2d (the
            zoo's default; its ResNet-34 runs use ``layer1``-``layer4``).
            Defaults to None.
        head_dim (int): The head's output size. Defaults to 256.
        bank_size (int): The bank's capacity, a multiple of
            ``batch_size``. Defaults to 40960.
        negatives (int): Bank features per step. Defaults to 4096.
        contrast_weight (float): ``cr``. Defaults to 0.8.
        contrast_temperature (float): ``cr_T``. Defaults to 0.1.
        local_scale (Sequence[float]): The local views' crop area range.
            Defaults to (0.25, 1.0).
        *args: :class:`GeneratorSynthesizer`'s positional arguments.
        **kwargs: :class:`GeneratorSynthesizer`'s keyword arguments.
    """

    bank: torch.Tensor
    bank_pointer: torch.Tensor
    bank_updates: torch.Tensor

    def __init__(self,
                 teacher: nn.Module,
                 *args,
                 feature_layers: Optional[Sequence[str]] = None,
                 head_dim: int = 256,
                 bank_size: int = 40960,
                 negatives: int = 4096,
                 contrast_weight: float = 0.8,
                 contrast_temperature: float = 0.1,
                 local_scale: Sequence[float] = (0.25, 1.0),
                 **kwargs) -> None:
        super().__init__(teacher, *args, **kwargs)
        if bank_size % self.batch_size:
            raise ValueError(f'`bank_size` ({bank_size}) must be a multiple '
                             f'of `batch_size` ({self.batch_size}).')
        self.feature_means = InstanceMeans(teacher, feature_layers)
        with torch.no_grad(), self.feature_means.record():
            teacher(torch.zeros((1, ) + self.input_shape), mode='tensor')
        feature_dim = self.feature_means.features().shape[1]
        self.head = ProjectionHead(feature_dim, head_dim)
        self.head_optimizer = torch.optim.Adam(
            self.head.parameters(), lr=self.lr_g)
        self.negatives = negatives
        self.contrast_weight = contrast_weight
        self.contrast_temperature = contrast_temperature
        self.local_scale = tuple(local_scale)
        # the memory bank: (local, global) features of kept batches
        self.register_buffer('bank', torch.zeros(bank_size, 2 * feature_dim))
        self.register_buffer('bank_pointer', torch.zeros((), dtype=torch.long))
        self.register_buffer('bank_updates', torch.zeros((), dtype=torch.long))
        # the two counters mirrored on the host, so that a round never reads
        # a buffer (a host synchronisation on a GPU); kept in step by
        # end_round and by loading a state dict
        self._bank_start, self._bank_filled = 0, 0

    def _load_from_state_dict(self, state_dict, prefix, *args,
                              **kwargs) -> None:
        """Load, then mirror the bank's counters on the host (one read per
        load, not per round)."""
        super()._load_from_state_dict(state_dict, prefix, *args, **kwargs)
        self._bank_start = int(self.bank_pointer)
        self._bank_filled = min(int(self.bank_updates), self.bank.shape[0])

    def persistent_optimizers(self) -> Dict[str, torch.optim.Optimizer]:
        """The head's Adam, which lives across rounds."""
        return dict(head_optimizer=self.head_optimizer)

    def begin_round(self, round_index: int,
                    rng: torch.Generator) -> List[torch.Tensor]:
        """Re-initialise the generator, draw the codes and a new Adam on both;
        the round tensors are the generator's weights, the codes and the head's
        weights."""
        reinit_dcgan_style(self.generator.modules(), rng)
        for module in self.generator.modules():
            if isinstance(module, nn.BatchNorm2d):
                # unused in train mode; reset so that they are the same on
                # every rank and after a resume
                module.reset_running_stats()
        z = self.sample_latent(rng)
        generator_parameters = list(self.generator.parameters())
        groups: List[Dict[str, Any]] = [
            dict(params=generator_parameters),
            dict(params=[z])
        ]
        self._round = dict(
            z=z,
            optimizer=torch.optim.Adam(groups, lr=self.lr_g, betas=self.betas),
            # bank entries readable this round (fixed during the round)
            filled=self._bank_filled)
        return generator_parameters + [z] + list(self.head.parameters())

    def render(self) -> torch.Tensor:
        """The generator's pixels for the round's codes."""
        return self.generator(self._round['z'])

    def teacher_view_inputs(self, teacher: nn.Module,
                            view: torch.Tensor) -> Dict[str, torch.Tensor]:
        """The terms' teacher inputs on the global view, recording its
        features."""
        with self.feature_means.record():
            inputs = super().teacher_view_inputs(teacher, view)
        self._round['global'] = self.feature_means.features()
        return inputs

    def extra_losses(self, teacher: nn.Module, pixels: torch.Tensor,
                     inputs: Dict[str, torch.Tensor],
                     rng: torch.Generator) -> Dict[str, torch.Tensor]:
        """The contrastive term on the local and global views and the bank."""
        local_view = self.pixel_space.normalize(
            random_horizontal_flip(
                random_resized_crop(
                    pixels, scale=self.local_scale, generator=rng),
                generator=rng))
        with self.feature_means.record():
            teacher(local_view, mode='tensor')
        local, global_ = self.feature_means.features(), self._round['global']
        self._round['features'] = torch.cat([local, global_], dim=1)
        filled = self._round['filled']
        cached = self.bank[torch.randperm(
            filled,
            generator=rng)[:min(self.negatives, filled)].to(self.bank.device)]
        cached_local, cached_global = cached.chunk(2, dim=1)
        projected = self.head(
            torch.cat([local, cached_local, global_, cached_global]))
        projected_local, projected_global = projected.chunk(2)
        loss = contrastive_loss(projected_local, projected_global,
                                local.shape[0], self.contrast_temperature)
        return dict(contrast=self.contrast_weight * loss)

    def step_extras(self) -> Dict[str, torch.Tensor]:
        """The step's (local, global) features, kept with the lowest-loss
        batch."""
        return dict(features=self._round['features'])

    def step(self, step: int) -> None:
        """The round's Adam on generator and codes, then the head's Adam on its
        gradients averaged over the ranks."""
        self._round['optimizer'].step()
        average_gradients_over_ranks(self.head.parameters())
        self.head_optimizer.step()

    @torch.no_grad()
    def end_round(self, round_index: int, kept: Dict[str,
                                                     torch.Tensor]) -> None:
        """Put the kept batch's features (every rank's) into the bank."""
        super().end_round(round_index, kept)
        features = kept['features']
        if get_world_size() > 1:  # every rank's features, in rank order
            features = torch.cat(all_gather(features))
        if self.bank.shape[0] % len(features):
            raise ValueError(
                f'`bank_size` ({self.bank.shape[0]}) must be a multiple of '
                f'the features a round adds ({len(features)}: batch_size x '
                'ranks); set `model.synthesizer.bank_size` accordingly.')
        start = self._bank_start
        self.bank[start:start + len(features)] = features
        self._bank_start = (start + len(features)) % self.bank.shape[0]
        self._bank_filled = min(self._bank_filled + len(features),
                                self.bank.shape[0])
        self.bank_pointer.fill_(self._bank_start)
        self.bank_updates.add_(len(features))
        self._round = {}
