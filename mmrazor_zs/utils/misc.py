# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Small helpers without a better home."""
import contextlib
from typing import Collection, Iterator, Sequence

import torch.nn as nn


def describe_choices(choices: Collection) -> str:
    """``'a', 'b' or 'c'``: the allowed values of a setting, for messages."""
    shown = [repr(choice) for choice in choices]
    if len(shown) < 2:
        return ''.join(shown)
    return ', '.join(shown[:-1]) + ' or ' + shown[-1]


def short_list(names: Sequence[str], limit: int = 8) -> str:
    """``names`` joined by commas, shortened after ``limit`` with the count of
    the rest, for messages."""
    shown = ', '.join(names[:limit])
    return shown + (f', ... ({len(names) - limit} more)'
                    if len(names) > limit else '')


@contextlib.contextmanager
def in_mode(module: nn.Module, training: bool) -> Iterator[None]:
    """``module`` in train (``training=True``) or eval mode for the block, then
    back in the mode it had; nothing is switched when it is in that mode
    already, the common case of a hot loop (``nn.Module.train`` sets the flag
    on every submodule through ``__setattr__``).

    Examples:
        >>> net = nn.Sequential(nn.BatchNorm1d(2))
        >>> with in_mode(net, training=False):
        ...     net[0].training
        False
        >>> net[0].training
        True
    """
    if module.training == training:
        yield
        return
    module.train(training)
    try:
        yield
    finally:
        module.train(not training)


@contextlib.contextmanager
def temporarily_eval(*modules: nn.Module) -> Iterator[None]:
    """Put ``modules`` in eval mode for the block, then restore each one's own
    ``training`` flag (and those of its children).

    Examples:
        >>> net = nn.BatchNorm1d(2)
        >>> with temporarily_eval(net):
        ...     net.training
        False
        >>> net.training
        True
    """
    saved = [[(m, m.training) for m in module.modules()] for module in modules]
    for module in modules:
        module.eval()
    try:
        yield
    finally:
        for flags in saved:
            for module, training in flags:
                module.training = training
