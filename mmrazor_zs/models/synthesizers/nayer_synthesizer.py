# Copyright (c) mmrazor_zs contributors. All rights reserved.
import copy
from typing import Any, Dict, List, Tuple, cast

import torch

from mmrazor_zs.registry import MODELS
from mmrazor_zs.utils import check_positive_int
from ..generators import NoisyLabelCodes
from .generator_synthesizer import GeneratorSynthesizer
from .inversion_synthesizer import (average_gradients_over_ranks,
                                    broadcast_from_first_rank)


@MODELS.register_module()
class NAYERSynthesizer(GeneratorSynthesizer):
    """NAYER's synthesis: a generator of label-text embeddings whose noisy
    layers are re-drawn before every loop.

    Tran et al., `NAYER: Noisy Layer Data Generation for Efficient and
    Effective Data-free Knowledge Distillation
    <https://arxiv.org/abs/2310.00258>`_, CVPR 2024, as tmtuan1307/NAYER
    c6bedcd runs it (``datafree/synthesis/nayer.py`` ``synthesize``, lines
    147-243). A round is one of the code's generator loops: the noisy layers
    of the :class:`NoisyLayerGenerator` are re-drawn ``N(0, 1)``, a new Adam
    (``lr_g``, betas (0.5, 0.999)) takes ``steps`` steps on all the
    generator's parameters for the balanced labels, and the lowest-loss
    batch is kept. The rest of the generator lives on from loop to loop and
    is rebuilt (every parameter and buffer drawn afresh) at the first loop of
    every ``generator_life``-th epoch, counted both from the run's start and
    from the warm-up's end (the code's ``(ep - ep_start) % g_life == 0 or ep
    % g_life == 0``). The code's epochs hold ``warmup_loops`` loops during
    the ``warmup_epochs`` and ``loops`` after; :class:`NAYER` sets all
    four from its own arguments.

    Under DDP each rank draws its own noisy layers (its own images); the
    gradients of the rest of the generator are averaged over the ranks, and
    a rebuilt generator and the generator's batch-norm buffers (unused: it
    always trains) are rank 0's, so the generator stays the same on every
    rank.

    Args:
        warmup_epochs (int): The code's ``warmup``. Defaults to 20.
        warmup_loops (int): Loops per warm-up epoch (``gwp_loops``).
            Defaults to 10.
        loops (int): Loops per epoch after the warm-up (``g_loops``).
            Defaults to 2.
        generator_life (int): Epochs between rebuilds (``g_life``).
            Defaults to 10.
        *args: :class:`GeneratorSynthesizer`'s positional arguments.
        **kwargs: :class:`GeneratorSynthesizer`'s keyword arguments.
    """

    def __init__(self,
                 *args,
                 warmup_epochs: int = 20,
                 warmup_loops: int = 10,
                 loops: int = 2,
                 generator_life: int = 10,
                 **kwargs) -> None:
        owner = type(self).__name__
        check_positive_int('warmup_epochs', warmup_epochs, owner, minimum=0)
        check_positive_int('warmup_loops', warmup_loops, owner)
        check_positive_int('loops', loops, owner)
        check_positive_int('generator_life', generator_life, owner)
        kwargs.setdefault('labels', 'balanced')
        super().__init__(*args, **kwargs)
        if not isinstance(self.generator, NoisyLabelCodes):
            raise ValueError(
                f'{owner} re-draws the noisy layers of a '
                'NoisyLayerGenerator or CoupledGenerator, but its generator '
                f'is a {type(self.generator).__name__}; set '
                "`generator=dict(type='NoisyLayerGenerator', ...)`.")
        self.warmup_epochs = warmup_epochs
        self.warmup_loops = warmup_loops
        self.loops = loops
        self.generator_life = generator_life

    def generator_defaults(self) -> Dict[str, Any]:
        """The teacher's input, classes, and the synthesis batch (which sets
        the number of noisy layers)."""
        return dict(
            super().generator_defaults(),
            num_classes=self.num_classes,
            batch_size=self.batch_size)

    @property
    def noisy_generator(self) -> NoisyLabelCodes:
        """The generator (noisy layers in front, checked when built)."""
        return cast(NoisyLabelCodes, self.generator)

    def probe_inputs(self) -> torch.Tensor:
        """Two labels."""
        return torch.arange(2) % self.num_classes

    def epoch_of_round(self, round_index: int) -> Tuple[int, bool]:
        """The code's epoch of a round, and whether the round is its first
        loop."""
        warmup_rounds = self.warmup_epochs * self.warmup_loops
        if round_index < warmup_rounds:
            return (round_index // self.warmup_loops,
                    round_index % self.warmup_loops == 0)
        after = round_index - warmup_rounds
        return (self.warmup_epochs + after // self.loops,
                after % self.loops == 0)

    def rebuilds_at(self, round_index: int) -> bool:
        """Whether the generator is rebuilt before this round."""
        epoch, first_loop = self.epoch_of_round(round_index)
        return first_loop and (epoch % self.generator_life == 0 or
                               (epoch - self.warmup_epochs) %
                               self.generator_life == 0)

    @torch.no_grad()
    def rebuild_generator(self, rng: torch.Generator) -> None:
        """Every parameter and buffer of the generator drawn afresh, as a new
        ``NLGenerator`` (``reinit``): PyTorch's default initialisation, drawn
        on the CPU under a seed from ``rng``."""
        fresh = copy.deepcopy(self.generator).cpu()
        seed = int(torch.randint(2**62, (1, ), generator=rng))
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            for module in fresh.modules():
                reset = getattr(module, 'reset_parameters', None)
                if module is not fresh and callable(reset):
                    reset()
        self.generator.load_state_dict(fresh.state_dict())
        broadcast_from_first_rank(self.noisy_generator.shared_parameters())

    def begin_round(self, round_index: int,
                    rng: torch.Generator) -> List[torch.Tensor]:
        """Rebuild when due, re-draw the noisy layers, make the loop's Adam;
        the round tensors are the generator's parameters."""
        if self.rebuilds_at(round_index):
            self.rebuild_generator(rng)
        self.noisy_generator.reset_noisy_layers(rng)
        parameters: List[torch.Tensor] = list(self.generator.parameters())
        optimizer = torch.optim.Adam(
            parameters, lr=self.lr_g, betas=self.betas)
        self._round = dict(optimizer=optimizer)
        return parameters

    def render(self) -> torch.Tensor:
        """The generator's pixels for the round's labels."""
        return self.generator(self.round_labels)

    def step(self, step: int) -> None:
        """The loop's Adam step (gradients averaged over the ranks first)."""
        average_gradients_over_ranks(self.noisy_generator.shared_parameters())
        self._round['optimizer'].step()

    def end_round(self, round_index: int, kept: Dict[str,
                                                     torch.Tensor]) -> None:
        """The moving averages; rank 0's generator buffers everywhere; the
        loop's optimiser dropped."""
        super().end_round(round_index, kept)
        broadcast_from_first_rank(self.generator.buffers())
        self._round = {}
