# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""The generators of the originals, as presets of
:class:`UpsampleGenerator`."""
from typing import Sequence

from mmrazor_zs.registry import MODELS
from .upsample_generator import UpsampleGenerator


@MODELS.register_module()
class ZSKTGenerator(UpsampleGenerator):
    """The generator of ZSKT (Micaelli & Storkey, NeurIPS 2019).

    `Zero-shot Knowledge Transfer via Adversarial Belief Matching
    <https://arxiv.org/abs/1905.09768>`_.

    With the defaults and ``img_size=32`` this is the released code's
    generator at its newest commit (polo5/ZeroShotKnowledgeTransfer
    e24915d, ``models/generator.py``): 128 x 8 x 8 seed, 128 and 64
    channels, a final ``BatchNorm2d`` with learnable affine parameters and
    no tanh. ``out_bn_affine=False`` is the repository's first commit, whose
    numbers (arXiv v1/v2) the authors' README says were lower because batch
    norm was not trained properly; MMRazor uses ``affine=True``.

    Args:
        latent_dim (int): Size of z. Defaults to 100.
        seed_channels (int): Defaults to 128.
        hidden_channels (Sequence[int]): Defaults to (128, 64).
        out_bn_affine (bool): Defaults to True.
        **kwargs: Other arguments of :class:`UpsampleGenerator`.
    """

    def __init__(self,
                 latent_dim: int = 100,
                 seed_channels: int = 128,
                 hidden_channels: Sequence[int] = (128, 64),
                 out_bn_affine: bool = True,
                 **kwargs) -> None:
        kwargs.setdefault('output', 'bn')
        super().__init__(
            latent_dim=latent_dim,
            seed_channels=seed_channels,
            hidden_channels=hidden_channels,
            out_bn_affine=out_bn_affine,
            **kwargs)


@MODELS.register_module()
class DAFLGenerator(UpsampleGenerator):
    """The generator of DAFL (Chen et al., `Data-Free Learning of Student
    Networks <https://arxiv.org/abs/1904.01186>`_, ICCV 2019).

    ``DAFL-train.py`` (huawei-noah/Efficient-Computing 225ddd2, lines
    54-86): 128-channel seed, blocks of 128 and 64 channels whose BN layers
    have ``eps=0.8`` (``BatchNorm2d(128, 0.8)``, a positional-argument slip
    for momentum that the released code and MMRazor's ``DAFLGenerator``
    keep), then ``tanh`` and ``BatchNorm2d(affine=False)``. DFAD's
    ``GeneratorA`` (VainF/Data-Free-Adversarial-Distillation c161591,
    ``network/gan.py``) is this generator with ``hidden_bn_eps=1e-5``.

    Args:
        latent_dim (int): Size of z: 100 in the released code's default,
            1000 in its CIFAR recipe and MMRazor's. Defaults to 100.
        hidden_bn_eps (float): Defaults to 0.8.
        **kwargs: Other arguments of :class:`UpsampleGenerator`.
    """

    def __init__(self,
                 latent_dim: int = 100,
                 hidden_bn_eps: float = 0.8,
                 **kwargs) -> None:
        kwargs.setdefault('output', 'tanh_bn')
        super().__init__(
            latent_dim=latent_dim, hidden_bn_eps=hidden_bn_eps, **kwargs)


@MODELS.register_module()
class DFQGenerator(UpsampleGenerator):
    """The DCGAN-style generator of the zju-vipa zoo used by its DFQ
    (``LargeGenerator``, zju-vipa/DataFree 9e79fa9,
    ``datafree/models/generator.py`` lines 42-69).

    256-channel seed (``ngf * 4``), blocks of 128 and 64 channels with
    bias-free convolutions, ``sigmoid`` to pixels in [0, 1], then the
    teacher's normalisation. ``seed_channels=128`` gives the zoo's smaller
    ``Generator``.

    Args:
        latent_dim (int): Size of z. Defaults to 256.
        seed_channels (int): Defaults to 256.
        conv_bias (bool): Defaults to False.
        **kwargs: Other arguments of :class:`UpsampleGenerator` (the
            algorithm passes the teacher's ``pixel_space``).
    """

    def __init__(self,
                 latent_dim: int = 256,
                 seed_channels: int = 256,
                 conv_bias: bool = False,
                 **kwargs) -> None:
        kwargs.setdefault('output', 'sigmoid')
        super().__init__(
            latent_dim=latent_dim,
            seed_channels=seed_channels,
            conv_bias=conv_bias,
            **kwargs)


@MODELS.register_module()
class PixelGenerator(DFQGenerator):
    """The zju-vipa zoo's ``Generator``, which CMI and Fast synthesise with
    (zju-vipa/DataFree 9e79fa9 and zju-vipa/Fast-Datafree 0dcecbc,
    ``datafree/models/generator.py`` lines 12-45).

    ``Linear(latent -> 128 x 8 x 8)``, BN, then blocks of 128 and 64
    channels with bias-free convolutions, a last convolution and
    ``sigmoid``: pixels in [0, 1], left unnormalised, since the
    synthesizers augment them before normalising (``output='pixels'``).

    Args:
        latent_dim (int): Size of z. Defaults to 256 (both zoos).
        seed_channels (int): ``ngf * 2``. Defaults to 128.
        **kwargs: Other arguments of :class:`UpsampleGenerator`.
    """

    def __init__(self,
                 latent_dim: int = 256,
                 seed_channels: int = 128,
                 **kwargs) -> None:
        kwargs.setdefault('output', 'pixels')
        super().__init__(
            latent_dim=latent_dim, seed_channels=seed_channels, **kwargs)
