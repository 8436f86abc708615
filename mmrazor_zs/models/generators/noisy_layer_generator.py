# Copyright (c) mmrazor_zs contributors. All rights reserved.
import copy
import math
from typing import List, Union

import torch
import torch.nn as nn
from mmengine.model import BaseModule

from mmrazor_zs.registry import MODELS
from .label_embeddings import load_label_embeddings


class NoisyLabelCodes(BaseModule):
    """The front of NAYER's and CPNet's generators: label embeddings through
    re-drawn "noisy layers" into codes.

    Tran et al., `NAYER <https://arxiv.org/abs/2310.00258>`_, CVPR 2024;
    tmtuan1307/NAYER c6bedcd, ``datafree/models/generator.py``
    ``NLGenerator`` (lines 15-80), whose front LannCX/CPNet 3f3d397's
    ``CoupledGenerator`` repeats. :meth:`codes` looks up each label's
    embedding, normalises the batch with ``BatchNorm1d`` (batch statistics:
    the generator always trains), cuts it into chunks of ``num_classes``
    rows and sends chunk ``i`` through noisy layer ``i`` (``Linear(dim ->
    noise_dim)``), so that with balanced labels (``0..K-1`` repeated) every
    noisy layer sees each class once. There is no noise vector: the noisy
    layers' weights, re-drawn ``N(0, 1)`` with zero biases before every
    generator loop (:meth:`reset_noisy_layers`), are the randomness. A
    subclass turns the codes into images.

    Args:
        label_embeddings (str | dict): An embedding file or
            ``dict(type='random', ...)`` (see :mod:`.label_embeddings`).
        num_classes (int): The teacher's classes (the synthesizer sets it).
        batch_size (int): The synthesis batch; ``ceil(batch_size /
            num_classes)`` noisy layers (the synthesizer sets it).
        noise_dim (int): The noisy layers' output (the code's
            ``le_emb_size``). Defaults to 1000.
        init_cfg (dict, optional): Initialisation config. Defaults to None.
    """

    label_embeddings: torch.Tensor

    def __init__(self,
                 label_embeddings: Union[str, dict],
                 num_classes: int,
                 batch_size: int,
                 noise_dim: int = 1000,
                 init_cfg=None) -> None:
        super().__init__(init_cfg=init_cfg)
        embeddings = load_label_embeddings(label_embeddings, num_classes)
        # a constant of the run, saved with it (the file may change later)
        self.register_buffer('label_embeddings', embeddings)
        self.num_classes = num_classes
        self.noise_dim = noise_dim
        dim = embeddings.shape[1]
        self.embedding_norm = nn.BatchNorm1d(dim)
        self.noisy_layers = nn.ModuleList(
            nn.Linear(dim, noise_dim)
            for _ in range(math.ceil(batch_size / num_classes)))

    @torch.no_grad()
    def reset_noisy_layers(self, rng: torch.Generator) -> None:
        """Re-draw every noisy layer: weights ``N(0, 1)`` from ``rng`` (on the
        CPU, so any device draws the same), biases 0 (``re_init_le``)."""
        for layer in self.noisy_layers:
            assert isinstance(layer, nn.Linear)
            layer.weight.copy_(torch.randn(layer.weight.shape, generator=rng))
            layer.bias.zero_()

    def shared_parameters(self) -> List[nn.Parameter]:
        """The parameters other than the noisy layers': those that live from
        one loop to the next (and are the same on every rank)."""
        noisy = {id(p) for p in self.noisy_layers.parameters()}
        return [p for p in self.parameters() if id(p) not in noisy]

    def codes(self, labels: torch.Tensor) -> torch.Tensor:
        """The noisy layers' codes (N, noise_dim) for ``labels`` (N, ), at most
        ``num_classes`` times the noisy layers' count."""
        chunks = self.embedding_norm(self.label_embeddings[labels]).split(
            self.num_classes)
        if len(chunks) > len(self.noisy_layers):
            raise ValueError(
                f'{len(labels)} labels need {len(chunks)} noisy layers, but '
                f'the generator has {len(self.noisy_layers)} (built for '
                'its synthesis batch).')
        return torch.cat(
            [layer(chunk) for layer, chunk in zip(self.noisy_layers, chunks)])


@MODELS.register_module()
class NoisyLayerGenerator(NoisyLabelCodes):
    """NAYER's generator: label-text embeddings through "noisy layers" into the
    zoo's upsampling trunk.

    Tran et al., `NAYER: Noisy Layer Data Generation for Efficient and
    Effective Data-free Knowledge Distillation
    <https://arxiv.org/abs/2310.00258>`_, CVPR 2024; tmtuan1307/NAYER
    c6bedcd, ``datafree/models/generator.py`` ``NLGenerator`` (lines
    15-80): the codes of :class:`NoisyLabelCodes` feed the ``trunk``, a
    generator taking ``noise_dim`` codes (the zoo's :class:`PixelGenerator`,
    as ``NLGenerator``'s ``l1`` and ``conv_blocks``).

    Args:
        label_embeddings (str | dict): See :class:`NoisyLabelCodes`.
        num_classes (int): See :class:`NoisyLabelCodes`.
        batch_size (int): See :class:`NoisyLabelCodes`.
        noise_dim (int): The noisy layers' output, the trunk's codes.
            Defaults to 1000.
        out_channels (int): Image channels. Defaults to 3.
        img_size (int): Image height and width. Defaults to 32.
        trunk (dict): The generator after the noisy layers; its
            ``latent_dim``, ``out_channels`` and ``img_size`` are set here.
            Defaults to ``dict(type='PixelGenerator', seed_channels=128)``.
        init_cfg (dict, optional): Initialisation config. Defaults to None.
    """

    def __init__(self,
                 label_embeddings: Union[str, dict],
                 num_classes: int,
                 batch_size: int,
                 noise_dim: int = 1000,
                 out_channels: int = 3,
                 img_size: int = 32,
                 trunk: dict = dict(type='PixelGenerator', seed_channels=128),
                 init_cfg=None) -> None:
        super().__init__(label_embeddings, num_classes, batch_size, noise_dim,
                         init_cfg)
        trunk = copy.deepcopy(trunk)
        trunk.update(
            latent_dim=noise_dim, out_channels=out_channels, img_size=img_size)
        self.trunk = MODELS.build(trunk)

    def forward(self, labels: torch.Tensor) -> torch.Tensor:
        """Images in [0, 1] for ``labels`` (N, ), at most ``num_classes`` times
        the noisy layers' count."""
        return self.trunk(self.codes(labels))
