# Copyright (c) mmrazor_zs contributors. All rights reserved.
import contextlib
from typing import Dict, Iterator, List, Sequence, Union

import torch
import torch.nn as nn

LayerSpec = Union[str, int]


def _shortened(names: Sequence[str], limit: int = 40) -> str:
    shown = ', '.join(names[:limit])
    more = len(names) - limit
    return shown + (f', ... ({more} more)' if more > 0 else '')


class FeatureTaps:
    """Record intermediate outputs of a model during a forward pass.

    A layer is named either by module path (``'backbone.layer1'``; the
    module's output is recorded) or by an integer ``i``: the ``i``-th tensor
    of the backbone's output tuple, i.e. the stages chosen by the mmpretrain
    backbone's ``out_indices``. Forward hooks are registered once and only
    store tensors inside :meth:`record`, so evaluation pays nothing.

    Args:
        model (nn.Module): The network to tap (not a DDP wrapper).
        layers (Sequence[str | int]): The layers to record, in order.
        role (str): 'teacher' or 'student', for error messages.

    Raises:
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
        self.role = role
        self._recording = False
        self._store: Dict[LayerSpec, torch.Tensor] = {}
        modules = dict(model.named_modules())
        self._handles = []
        for layer in self.layers:
            if isinstance(layer, bool) or not isinstance(layer, (str, int)):
                raise TypeError(f'A {role} layer must be a module path (str) '
                                f'or a backbone output index (int), but got '
                                f'{layer!r}.')
            path = 'backbone' if isinstance(layer, int) else layer
            if path not in modules or path == '':
                valid = [name for name in modules if name]
                raise ValueError(
                    f'The {role} has no module {path!r} (asked for layer '
                    f'{layer!r}). Valid module paths: {_shortened(valid)}')
            self._handles.append(modules[path].register_forward_hook(
                self._make_hook(layer)))

    def _make_hook(self, layer: LayerSpec):

        def hook(module, inputs, output):
            if not self._recording:
                return
            if isinstance(layer, int):
                outputs = output if isinstance(output,
                                               (tuple, list)) else (output, )
                if not -len(outputs) <= layer < len(outputs):
                    raise IndexError(
                        f'The {self.role} backbone returns {len(outputs)} '
                        f'output(s) (its out_indices), so layer index '
                        f'{layer} does not exist.')
                output = outputs[layer]
            self._store[layer] = output

        return hook

    @contextlib.contextmanager
    def record(self) -> Iterator[None]:
        """Store the tapped outputs of the forward passes in this context."""
        self._store.clear()
        self._recording = True
        try:
            yield
        finally:
            self._recording = False

    def features(self) -> List[torch.Tensor]:
        """The tensors recorded by the last :meth:`record`, in layer order."""
        missing = [layer for layer in self.layers if layer not in self._store]
        if missing:
            raise RuntimeError(f'The {self.role} layers {missing} produced no '
                               'output in the last forward pass.')
        return [self._store[layer] for layer in self.layers]

    def remove(self) -> None:
        """Remove the forward hooks."""
        for handle in self._handles:
            handle.remove()
        self._handles.clear()
