# Copyright (c) mmrazor_zs contributors. All rights reserved.
import copy
from typing import Any, Dict, List, Optional

import torch

from mmrazor_zs.registry import MODELS
from mmrazor_zs.utils import check_choice
from ..generators.reinit import first_layers, reinit_dcgan_style
from .generator_synthesizer import GeneratorSynthesizer
from .inversion_synthesizer import average_gradients_over_ranks

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

    Args:
        lr_z (float): The codes' learning rate. Defaults to 0.01.
        meta (str): 'fomaml' or 'reptile'. Defaults to 'fomaml'.
        reptile_scale (float): Defaults to 67.
        reset_first_layers_at_round (int, optional): Defaults to None.
        *args: :class:`GeneratorSynthesizer`'s positional arguments.
        **kwargs: :class:`GeneratorSynthesizer`'s keyword arguments.
    """

    def __init__(self,
                 *args,
                 lr_z: float = 0.01,
                 meta: str = 'fomaml',
                 reptile_scale: float = 67.0,
                 reset_first_layers_at_round: Optional[int] = None,
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        check_choice('meta', meta, META_RULES, type(self).__name__)
        self.lr_z = lr_z
        self.meta = meta
        self.reptile_scale = reptile_scale
        self.reset_first_layers_at_round = reset_first_layers_at_round
        self.meta_optimizer = torch.optim.Adam(
            self.generator.parameters(),
            lr=self.lr_g * self.steps,
            betas=self.betas)

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
        # the round's copy G', codes and inner optimiser: plain attributes,
        # not submodules, as they do not outlive the round
        fast_generator = copy.deepcopy(self.generator).train()
        z = self.sample_latent(rng)
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
        fast_generator = self._round['generator']
        if self.meta == 'fomaml':
            if step == 0:
                self.meta_optimizer.zero_grad(set_to_none=True)
            for meta_param, fast_param in zip(self.generator.parameters(),
                                              fast_generator.parameters()):
                if fast_param.grad is None:
                    continue
                if meta_param.grad is None:
                    meta_param.grad = fast_param.grad.clone()
                else:
                    meta_param.grad.add_(fast_param.grad)
            if step == self.steps - 1:
                average_gradients_over_ranks(self.generator.parameters())
                self.meta_optimizer.step()
        self._round['optimizer'].step()

    def end_round(self, round_index: int, kept: Dict[str,
                                                     torch.Tensor]) -> None:
        """Reptile's meta step (``meta='reptile'``) after the moving
        averages."""
        super().end_round(round_index, kept)
        if self.meta == 'reptile':
            self.meta_optimizer.zero_grad(set_to_none=True)
            for meta_param, fast_param in zip(
                    self.generator.parameters(),
                    self._round['generator'].parameters()):
                meta_param.grad = self.reptile_scale * (
                    meta_param.detach() - fast_param.detach())
            average_gradients_over_ranks(self.generator.parameters())
            self.meta_optimizer.step()
        self._round = {}
