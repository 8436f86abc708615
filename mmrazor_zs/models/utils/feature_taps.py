# Copyright (c) mmrazor_zs contributors. All rights reserved.
from typing import Any, List, Sequence, Union

import torch
import torch.nn as nn

from .forward_recorder import ForwardRecorder

LayerSpec = Union[str, int]


class FeatureTaps(ForwardRecorder):
    """Record intermediate outputs of a model during a forward pass.

    A layer is named either by module path (``'backbone.layer1'``; the
    module's output is recorded) or by an integer ``i``: the ``i``-th tensor
    of the backbone's output tuple, i.e. the stages chosen by the mmpretrain
    backbone's ``out_indices``. A :class:`ForwardRecorder` of outputs.

    Args:
        model (nn.Module): The network to tap (not a DDP wrapper).
        layers (Sequence[str | int]): The layers to record, in order.
        role (str): 'teacher' or 'student', for error messages.

    Raises:
        TypeError: If a layer is neither a str nor an int.
        ValueError: If a module path does not exist; the message lists the
            valid ones.

    Examples:
        >>> taps = FeatureTaps(model, ['backbone.layer1', 2], 'student')
        >>> with taps.record():
        ...     logits = model(x, mode='tensor')
        >>> layer1, stage2 = taps.features()
    """

    def __init__(self, model: nn.Module, layers: Sequence[LayerSpec],
                 role: str) -> None:
        self.layers = list(layers)
        for layer in self.layers:
            if isinstance(layer, bool) or not isinstance(layer, (str, int)):
                raise TypeError(f'A {role} layer must be a module path (str) '
                                f'or a backbone output index (int), but got '
                                f'{layer!r}.')
        super().__init__(
            model, [
                'backbone' if isinstance(layer, int) else layer
                for layer in self.layers
            ],
            source='output',
            role=role)

    def summarize(self, index: int, value: Any) -> Any:
        """The output of the path, or the chosen tensor of the backbone's
        output tuple for an integer layer.

        Raises:
            IndexError: If the backbone returns fewer outputs than the index
                needs.
        """
        layer = self.layers[index]
        if not isinstance(layer, int):
            return value
        outputs = value if isinstance(value, (tuple, list)) else (value, )
        if not -len(outputs) <= layer < len(outputs):
            raise IndexError(
                f'The {self.role} backbone returns {len(outputs)} output(s) '
                f'(its out_indices), so layer index {layer} does not exist.')
        return outputs[layer]

    def features(self) -> List[torch.Tensor]:
        """The tensors recorded by the last :meth:`record`, in layer order."""
        return self.recorded()
