# Copyright (c) mmrazor_zs contributors. All rights reserved.
import copy
from typing import Any, Dict, List, Optional

import torch
import torch.nn as nn

from mmrazor_zs.registry import MODELS
from mmrazor_zs.utils import check_choice, check_positive_int
from ..generators.reinit import first_layers, reinit_dcgan_style
from .generator_synthesizer import GeneratorSynthesizer
from .inversion_synthesizer import (average_gradients_over_ranks,
                                    broadcast_from_first_rank)

META_RULES = ('fomaml', 'reptile')


@MODELS.register_module()
class FastMetaSynthesizer(GeneratorSynthesizer):
    """Fast's synthesis: a few steps from a meta-learned generator.

    Fang et al., `Up to 100x Faster Data-free Knowledge Distillation
    <https://arxiv.org/abs/2112.06253>`_, AAAI 2022, as zju-vipa/
    Fast-Datafree 0dcecbc runs it (``datafree/synthesis/fast_meta.py``
    lines 101-194). Each round copies the meta-generator G (weights and BN
    buffers) to G', draws codes z, and takes ``steps`` inner Adam steps on
    G' (``lr_g``) and z (``lr_z``). The meta-generator then learns to be a
    good start:

    - ``meta='fomaml'`` (first-order MAML, the scripts' ``--is_maml 1``):
      G's gradient is the sum of G''s gradients over the inner steps, and
      the meta-Adam steps once, after the last inner backward;
    - ``meta='reptile'``: G's gradient is ``reptile_scale * (G - G')``
      after the round (the code's ``alpha=67``).

    The meta-Adam (lr ``lr_g * steps``, betas (0.5, 0.999)) lives across
    rounds and is saved with the synthesizer. At round
    ``reset_first_layers_at_round`` G's first linear layer and first
    batch norm are re-drawn ``N(0, 0.02)`` with zero biases (``reset_l0``
    at the code's ``ep == 120 + warmup``, i.e. round ``119 + warmup``
    counted from 0). The kept batch is the lowest-loss iterate. Under DDP
    the meta-gradients are averaged over the ranks, so the meta-generator
    stays the same on every rank.

    Fast's ImageNet code (``datafree/synthesis/fast_meta_imagenet.py``
    lines 86-163) differs in settings: the codes are meta-learned too
    (``meta_latent``: one spatial code tensor, each round's start, moved by
    the meta step at ``lr_z_meta`` in the meta-Adam), re-drawn with a new
    meta-Adam every ``redraw_latent_every`` rounds (its ``--reinit 50``:
    ``ep % reinit == 0``, ``ep`` counting calls from 1), the meta-Adam at
    ``lr_g_meta`` rather than ``lr_g * steps``, Reptile unscaled
    (``reptile_scale=1``) and the last step's batch kept
    (``keep='last_step'``). With ``meta='fomaml'`` a meta-learned code takes
    the sum of its round gradients as G does (the ImageNet code adds the
    adapted code's value instead, line 40; its logged runs use Reptile).

    Args:
        lr_z (float): The codes' learning rate. Defaults to 0.01.
        meta (str): 'fomaml' or 'reptile'. Defaults to 'fomaml'.
        reptile_scale (float): Defaults to 67.
        reset_first_layers_at_round (int, optional): Defaults to None.
        lr_g_meta (float, optional): The meta-Adam's learning rate for the
            generator; None: ``lr_g * steps`` (the CIFAR code). Defaults to
            None.
        meta_latent (bool): Meta-learn one code tensor (saved with the
            synthesizer) instead of drawing the codes every round.
            Defaults to False.
        lr_z_meta (float): The meta-Adam's learning rate for the code, with
            ``meta_latent``. Defaults to 5e-3 (the ImageNet logs'
            ``--lr_z_meta``).
        redraw_latent_every (int, optional): With ``meta_latent``: re-draw
            the code and start a new meta-Adam before every this-many-th
            round (rounds N-1, 2N-1, ... counted from 0). Defaults to None.
        *args: :class:`GeneratorSynthesizer`'s positional arguments.
        **kwargs: :class:`GeneratorSynthesizer`'s keyword arguments.
    """

    #: the meta-learned code (``meta_latent``), or None
    latent: Optional[nn.Parameter]

    def __init__(self,
                 *args,
                 lr_z: float = 0.01,
                 meta: str = 'fomaml',
                 reptile_scale: float = 67.0,
                 reset_first_layers_at_round: Optional[int] = None,
                 lr_g_meta: Optional[float] = None,
                 meta_latent: bool = False,
                 lr_z_meta: float = 5e-3,
                 redraw_latent_every: Optional[int] = None,
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        owner = type(self).__name__
        check_choice('meta', meta, META_RULES, owner)
        if redraw_latent_every is not None:
            if not meta_latent:
                raise ValueError(
                    f'`redraw_latent_every` of {owner} re-draws the '
                    'meta-learned code: set `meta_latent=True` with it.')
            check_positive_int('redraw_latent_every', redraw_latent_every,
                               owner)
        self.lr_z = lr_z
        self.meta = meta
        self.reptile_scale = reptile_scale
        self.reset_first_layers_at_round = reset_first_layers_at_round
        self.lr_g_meta = (
            self.lr_g * self.steps if lr_g_meta is None else lr_g_meta)
        self.lr_z_meta = lr_z_meta
        self.redraw_latent_every = redraw_latent_every
        # the meta-learned code (``meta_latent``), the start of each round
        self.register_parameter(
            'latent',
            nn.Parameter(torch.randn((self.batch_size, ) + self.latent_shape))
            if meta_latent else None)
        self.meta_optimizer = self._new_meta_optimizer()

    def _new_meta_optimizer(self) -> torch.optim.Optimizer:
        """The meta-Adam over the generator (and the meta-learned code)."""
        groups: List[Dict[str, Any]] = [
            dict(params=list(self.generator.parameters()))
        ]
        if self.latent is not None:
            groups.append(dict(params=[self.latent], lr=self.lr_z_meta))
        return torch.optim.Adam(groups, lr=self.lr_g_meta, betas=self.betas)

    def meta_parameters(self) -> List[nn.Parameter]:
        """What the meta step moves: the generator's weights and the meta-
        learned code."""
        params = list(self.generator.parameters())
        return params + ([self.latent] if self.latent is not None else [])

    def persistent_optimizers(self) -> Dict[str, torch.optim.Optimizer]:
        """The meta-Adam, which lives across rounds."""
        return dict(meta_optimizer=self.meta_optimizer)

    def begin_round(self, round_index: int,
                    rng: torch.Generator) -> List[torch.Tensor]:
        """Copy the meta-generator to G', draw the codes and the inner Adam;
        the round tensors are G''s weights and the codes."""
        if round_index == self.reset_first_layers_at_round:
            reinit_dcgan_style(
                first_layers(self.generator), rng, batch_norm_mean=0.0)
        if self.latent is not None and self.redraw_latent_every and (
                round_index + 1) % self.redraw_latent_every == 0:
            with torch.no_grad():
                self.latent.copy_(self.sample_latent(rng))
            broadcast_from_first_rank([self.latent.data])
            self.meta_optimizer = self._new_meta_optimizer()
        # the round's copy G', codes and inner optimiser: plain attributes,
        # not submodules, as they do not outlive the round
        fast_generator = copy.deepcopy(self.generator).train()
        if self.latent is None:
            z = self.sample_latent(rng)
        else:  # the round starts from the meta-learned code
            z = self.latent.detach().clone().requires_grad_()
        fast_parameters = list(fast_generator.parameters())
        groups: List[Dict[str, Any]] = [
            dict(params=fast_parameters),
            dict(params=[z], lr=self.lr_z)
        ]
        inner_optimizer = torch.optim.Adam(
            groups, lr=self.lr_g, betas=self.betas)
        self._round = dict(
            generator=fast_generator, z=z, optimizer=inner_optimizer)
        return fast_parameters + [z]

    def render(self) -> torch.Tensor:
        """G''s pixels for the round's codes."""
        return self._round['generator'](self._round['z'])

    def step(self, step: int) -> None:
        """FOMAML's sum of G''s gradients into G (and the meta-Adam step after
        the last inner step), then the inner Adam on G' and the codes."""
        if self.meta == 'fomaml':
            if step == 0:
                self.meta_optimizer.zero_grad(set_to_none=True)
            for meta_param, fast_param in zip(self.meta_parameters(),
                                              self._fast_parameters()):
                if fast_param.grad is None:
                    continue
                if meta_param.grad is None:
                    meta_param.grad = fast_param.grad.clone()
                else:
                    meta_param.grad.add_(fast_param.grad)
            if step == self.steps - 1:
                average_gradients_over_ranks(self.meta_parameters())
                self.meta_optimizer.step()
        self._round['optimizer'].step()

    def end_round(self, round_index: int, kept: Dict[str,
                                                     torch.Tensor]) -> None:
        """Reptile's meta step (``meta='reptile'``) after the moving
        averages."""
        super().end_round(round_index, kept)
        if self.meta == 'reptile':
            self.meta_optimizer.zero_grad(set_to_none=True)
            for meta_param, fast_param in zip(self.meta_parameters(),
                                              self._fast_parameters()):
                meta_param.grad = self.reptile_scale * (
                    meta_param.detach() - fast_param.detach())
            average_gradients_over_ranks(self.meta_parameters())
            self.meta_optimizer.step()
        self._round = {}

    def _fast_parameters(self) -> List[torch.Tensor]:
        """The round's counterparts of :meth:`meta_parameters`: G''s weights
        (and the round's code, with ``meta_latent``)."""
        params = list(self._round['generator'].parameters())
        return params + ([self._round['z']] if self.latent is not None else [])
