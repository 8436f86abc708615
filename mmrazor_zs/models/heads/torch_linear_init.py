# Copyright (c) mmrazor_zs contributors. All rights reserved.
import math
from typing import List, Union

from mmengine.model.weight_init import KaimingInit

from mmrazor_zs.registry import WEIGHT_INITIALIZERS


@WEIGHT_INITIALIZERS.register_module()
class TorchLinearInit(KaimingInit):
    """PyTorch's own ``nn.Linear`` weight initialisation, with a constant
    bias: the classifier initialisation of the original WRN code.

    Zagoruyko & Komodakis' WRN, as the ZSKT authors ship it
    (polo5/ZeroShotKnowledgeTransfer ``models/wresnet.py`` at e24915d),
    leaves ``fc.weight`` as ``nn.Linear`` draws it,
    ``kaiming_uniform_(a=sqrt(5))``, i.e. uniform in
    ``+-1 / sqrt(fan_in)``, and zeroes ``fc.bias``; mmpretrain's
    ``LinearClsHead`` draws the weight from ``Normal(0, 0.01)`` instead.
    Select it for a head with one option, e.g.
    ``--cfg-options model.head.init_cfg.type=TorchLinearInit``.

    Args:
        layer (str or list[str]): Layer types to initialise.
            Defaults to 'Linear'.
        bias (float): Value of the bias (``nn.Linear`` itself would draw
            it; the WRN code sets 0). Defaults to 0.
    """

    def __init__(self,
                 layer: Union[str, List[str]] = 'Linear',
                 bias: float = 0.) -> None:
        super().__init__(
            a=math.sqrt(5),
            mode='fan_in',
            nonlinearity='leaky_relu',
            distribution='uniform',
            bias=bias,
            layer=layer)
