# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""How an algorithm's networks run: their memory layout and compilation.

``runtime=dict(channels_last=True, compile=True)`` on any algorithm (or
``tools/train.py --channels-last --compile``) stores every 4-D weight of the
algorithm (teacher, student, generators, synthesizers) in the channels-last
layout, which the convolutions of tensor cores and of oneDNN read without a
transpose, and compiles the teacher and the student with ``torch.compile`` (in
place, ``nn.Module.compile``: the state dict's keys stay those of the plain
networks, so checkpoints load either way).
"""
from typing import Optional, Union

import torch
import torch.nn as nn

#: the keys ``runtime`` takes, with their defaults
RUNTIME_DEFAULTS = dict(channels_last=False, compile=False)


def runtime_settings(runtime: Optional[dict], owner: str) -> dict:
    """``runtime`` with its defaults; unknown keys and wrong types refused.

    Raises:
        ValueError: If a key is unknown, ``channels_last`` is not a bool or
            ``compile`` is neither a bool nor a dict of ``torch.compile``
            arguments.
    """
    runtime = dict(runtime or {})
    unknown = sorted(set(runtime) - set(RUNTIME_DEFAULTS))
    if unknown:
        raise ValueError(f'{owner}: `runtime` takes '
                         f'{sorted(RUNTIME_DEFAULTS)}, not {unknown}.')
    settings = dict(RUNTIME_DEFAULTS, **runtime)
    if not isinstance(settings['channels_last'], bool):
        raise ValueError(f'{owner}: `runtime.channels_last` must be True or '
                         f'False, but got {settings["channels_last"]!r}.')
    if not isinstance(settings['compile'], (bool, dict)):
        raise ValueError(f'{owner}: `runtime.compile` must be True, False or '
                         'a dict of torch.compile arguments (e.g. '
                         "dict(mode='max-autotune')), but got "
                         f'{settings["compile"]!r}.')
    return settings


def apply_runtime(model: nn.Module, networks_to_compile: dict,
                  channels_last: bool, compile: Union[bool, dict]) -> None:
    """Put ``model``'s 4-D weights in the channels-last layout and compile
    ``networks_to_compile`` (name -> module) in place, as the settings say."""
    if channels_last:
        model.to(memory_format=torch.channels_last)
    if compile:
        options = compile if isinstance(compile, dict) else {}
        for network in networks_to_compile.values():
            network.compile(**options)


def layout_of(conv: nn.Conv2d) -> torch.memory_format:
    """The memory layout of ``conv``'s weight: channels-last when
    :func:`apply_runtime` put it there, else the default; for the maps a
    network builds by reshaping (a generator's seed), so that its first
    convolution reads them without a conversion."""
    weight: torch.Tensor = conv.weight
    if weight.is_contiguous(memory_format=torch.channels_last) and \
            not weight.is_contiguous():
        return torch.channels_last
    return torch.contiguous_format
