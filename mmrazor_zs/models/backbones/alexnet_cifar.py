# Copyright (c) mmrazor_zs contributors. All rights reserved.
from typing import Optional, Sequence

import torch.nn as nn
from mmcv.cnn import build_norm_layer
from mmengine.model import ModuleList

from mmrazor_zs.registry import MODELS
from mmrazor_zs.utils import check_positive_int
from .staged import StagedBackbone

#: torch's ``alpha`` for TensorFlow's ``local_response_normalization`` with
#: ``depth_radius=2`` (a window of 5 channels) and ``alpha=1e-4``: torch
#: divides ``alpha`` by the window size, TensorFlow does not.
TF_LRN_ALPHA = 1e-4 * 5


@MODELS.register_module()
class AlexNetCIFAR(StagedBackbone):
    """The convolutional part of the CIFAR-10 AlexNet of ZSKD.

    Nayak et al., `Zero-Shot Knowledge Distillation in Deep Networks
    <https://arxiv.org/abs/1905.08114>`_, ICML 2019, as in the TensorFlow
    code they released (``model_alex_full.py`` / ``model_alex_half.py``).
    Five stages on a 3 x 32 x 32 input in [0, 1], the convolutions with
    'same' padding:

    ============  ======================================================
    stage         layers (output for a 32 x 32 input, widths=teacher)
    ============  ======================================================
    0             conv5x5-ReLU, LRN, maxpool 3x3/2, BN  (48 x 15 x 15)
    1             conv5x5-ReLU, LRN, maxpool 3x3/2, BN  (128 x 7 x 7)
    2             conv3x3-ReLU, BN                      (192 x 7 x 7)
    3             conv3x3-ReLU, BN                      (192 x 7 x 7)
    4             conv3x3-ReLU, maxpool 3x3/2, BN       (128 x 3 x 3)
    ============  ======================================================

    The max-pools are 3 x 3 with stride 2 and no padding (TensorFlow's
    'VALID'), so 32 -> 15 -> 7 -> 3 and the classifier sees a flattened
    ``widths[4] x 3 x 3`` map. With the head
    :class:`~mmrazor_zs.models.heads.AlexNetCIFARClsHead`
    (``1152 -> 512 -> 256 -> 10``) this is the 1,659,178-parameter teacher
    (the paper: about 1.66M); ``widths=(24, 64, 96, 96, 64)`` with a
    ``576 -> 256 -> 128 -> 10`` head is the 417,434-parameter AlexNet-half
    student (about 0.42M).

    LRN: the released code calls ``tf.nn.local_response_normalization`` with
    ``depth_radius=2, alpha=1e-4, beta=0.75, bias=1.0``, i.e.
    ``b = a / (bias + alpha * sum_{5 channels} a^2) ** beta``. torch's
    :class:`~torch.nn.LocalResponseNorm` divides ``alpha`` by the window
    size, so the faithful port uses ``lrn_size=5`` and
    ``lrn_alpha=1e-4 * 5``, the defaults. ``lrn_alpha`` is therefore in
    torch's convention. (``bias=1`` is TensorFlow's default and the released
    code's; the original AlexNet used k=2.)

    Differences from the released code: the weights keep PyTorch's default
    initialisation (the released code draws N(0, 0.01) and sets some conv
    biases to 1; use ``init_cfg`` to change it), and the BN layers keep
    torch's defaults (eps 1e-5, momentum 0.1) where TensorFlow's
    ``contrib.layers.batch_norm`` used eps 1e-3, decay 0.999; pass
    ``norm_cfg`` to change them.

    Args:
        widths (Sequence[int]): Output channels of the five convolutions.
            Defaults to (48, 128, 192, 192, 128), the teacher.
        in_channels (int): Input channels. Defaults to 3.
        out_indices (Sequence[int]): Stages whose outputs are returned, as in
            mmpretrain backbones (4D maps; the head flattens the last one).
            Defaults to (4, ).
        lrn_size (int): Channels in the LRN window (odd; TensorFlow's
            ``2 * depth_radius + 1``). Defaults to 5.
        lrn_alpha (float): LRN ``alpha`` in torch's convention (divided by
            ``lrn_size`` inside). Defaults to 1e-4 * 5, TensorFlow's 1e-4.
        lrn_beta (float): LRN exponent. Defaults to 0.75.
        lrn_bias (float): LRN additive constant (torch's ``k``). Defaults to
            1.0.
        norm_cfg (dict): Normalisation after each stage. Defaults to
            ``dict(type='BN')``.
        init_cfg (dict, optional): Initialisation config. Defaults to None.
    """

    num_stages = 5

    def __init__(self,
                 widths: Sequence[int] = (48, 128, 192, 192, 128),
                 in_channels: int = 3,
                 out_indices: Sequence[int] = (4, ),
                 lrn_size: int = 5,
                 lrn_alpha: float = TF_LRN_ALPHA,
                 lrn_beta: float = 0.75,
                 lrn_bias: float = 1.0,
                 norm_cfg: dict = dict(type='BN'),
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(init_cfg=init_cfg)
        widths = tuple(widths)
        if len(widths) != self.num_stages or not all(
                isinstance(w, int) and w > 0 for w in widths):
            raise ValueError('`widths` must list 5 positive channel counts '
                             f'(one per convolution), but got {widths}.')
        check_positive_int('in_channels', in_channels, 'AlexNetCIFAR')
        if isinstance(out_indices, int):
            out_indices = (out_indices, )
        if not out_indices or any(not 0 <= index < self.num_stages
                                  for index in out_indices):
            raise ValueError('`out_indices` of AlexNetCIFAR must be a '
                             'non-empty sequence of stage indices in [0, 4], '
                             f'but got {out_indices}.')
        if not (isinstance(lrn_size, int) and lrn_size > 0
                and lrn_size % 2 == 1):
            raise ValueError('`lrn_size` must be a positive odd integer '
                             '(TensorFlow\'s 2 * depth_radius + 1), but got '
                             f'{lrn_size}.')
        if lrn_alpha < 0 or lrn_beta <= 0 or lrn_bias <= 0:
            raise ValueError('LRN needs `lrn_alpha` >= 0, `lrn_beta` > 0 and '
                             f'`lrn_bias` > 0, but got alpha={lrn_alpha}, '
                             f'beta={lrn_beta}, bias={lrn_bias}.')
        self.widths = widths
        self.out_indices = tuple(out_indices)

        def lrn() -> nn.Module:
            return nn.LocalResponseNorm(
                lrn_size, alpha=lrn_alpha, beta=lrn_beta, k=lrn_bias)

        def conv(cin: int, cout: int, kernel: int) -> nn.Module:
            return nn.Sequential(
                nn.Conv2d(cin, cout, kernel, padding=kernel // 2), nn.ReLU())

        def norm(channels: int) -> nn.Module:
            return build_norm_layer(norm_cfg, channels)[1]

        c1, c2, c3, c4, c5 = widths
        self.stages = ModuleList([
            nn.Sequential(
                conv(in_channels, c1, 5), lrn(), nn.MaxPool2d(3, 2), norm(c1)),
            nn.Sequential(
                conv(c1, c2, 5), lrn(), nn.MaxPool2d(3, 2), norm(c2)),
            nn.Sequential(conv(c2, c3, 3), norm(c3)),
            nn.Sequential(conv(c3, c4, 3), norm(c4)),
            nn.Sequential(conv(c4, c5, 3), nn.MaxPool2d(3, 2), norm(c5)),
        ])
