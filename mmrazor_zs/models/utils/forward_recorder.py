# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""The one forward-hook recorder of the zoo: hooks on chosen modules that store
what those modules see only inside :meth:`ForwardRecorder.record`."""
import contextlib
from typing import Any, Callable, Iterator, List, Optional, Sequence

import torch.nn as nn

from mmrazor_zs.utils import check_choice, short_list

SOURCES = ('input', 'output')


def batch_norm_paths(model: nn.Module) -> List[str]:
    """The module paths of every ``BatchNorm2d`` of ``model``, in order."""
    return [
        name for name, module in model.named_modules()
        if isinstance(module, nn.BatchNorm2d)
    ]


class ForwardRecorder:
    """Forward hooks on modules named by path that record, inside
    :meth:`record` only, the first positional input or the output of each
    module, passed through :meth:`summarize`.

    The hooks are registered once and return at once outside :meth:`record`,
    so evaluation pays nothing. Subclasses say what they keep of a module's
    input or output (:meth:`summarize`) and how they hand it out.

    Args:
        model (nn.Module): The network to hook (not a DDP wrapper).
        paths (Sequence[str]): Module paths as in ``model.named_modules()``,
            e.g. ``'backbone.layer1'``; a path may appear more than once.
        source (str): What is recorded: 'input' (the module's first
            positional input) or 'output'. Defaults to 'output'.
        role (str): How error messages name the model, e.g. 'teacher'.
            Defaults to 'model'.

    Raises:
        ValueError: If ``source`` is not one of :data:`SOURCES`, or a path
            does not exist; the message lists the valid paths.

    Examples:
        >>> recorder = ForwardRecorder(model, ['backbone'], 'output')
        >>> with recorder.record():
        ...     model(x, mode='tensor')
        >>> backbone_output, = recorder.recorded()
    """

    def __init__(self,
                 model: nn.Module,
                 paths: Sequence[str],
                 source: str = 'output',
                 role: str = 'model') -> None:
        super().__init__()
        check_choice('source', source, SOURCES, type(self).__name__)
        modules = dict(model.named_modules())
        for path in paths:
            if path not in modules or path == '':
                valid = [name for name in modules if name]
                raise ValueError(
                    f'The {role} has no module {path!r}. Valid module paths: '
                    f'{short_list(valid, limit=40)}')
        self.paths = list(paths)
        self.source = source
        self.role = role
        self._recording = False
        self._records: List[Optional[Any]] = [None] * len(self.paths)
        self._handles = [
            modules[path].register_forward_hook(self._hook(index))
            for index, path in enumerate(self.paths)
        ]

    def _hook(self, index: int) -> Callable:

        def hook(module: nn.Module, inputs: tuple, output: Any) -> None:
            if self._recording:
                seen = inputs[0] if self.source == 'input' else output
                self._records[index] = self.summarize(index, seen)

        return hook

    def summarize(self, index: int, value: Any) -> Any:
        """What is kept of the input or output ``value`` of the ``index``-th
        path; the value itself unless a subclass says otherwise."""
        return value

    @contextlib.contextmanager
    def record(self) -> Iterator[None]:
        """Record the forward passes in this context; earlier records are
        dropped."""
        self._records = [None] * len(self.paths)
        self._recording = True
        try:
            yield
        finally:
            self._recording = False

    def recorded(self) -> List[Any]:
        """What the last :meth:`record` kept, in path order.

        Raises:
            RuntimeError: If a module did not run inside the last
                :meth:`record`.
        """
        missing = [
            path for path, kept in zip(self.paths, self._records)
            if kept is None
        ]
        if missing:
            raise RuntimeError(
                f'The {self.role} modules {missing} did not run inside the '
                'last `record()`: record a forward pass through them.')
        return list(self._records)

    def remove(self) -> None:
        """Remove the forward hooks."""
        for handle in self._handles:
            handle.remove()
        self._handles.clear()
