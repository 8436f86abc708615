# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""A stand-in for yapf's ``FormatCode`` that leaves config text as it is.

A Runner formats its config with yapf five times (the environment log, the
dumped config, the runtime info hook and each checkpoint's meta), about
0.7 s each on the CPU: most of the set-up of a run of two iterations. The
unformatted text is the same Python on fewer lines. Test runs put
:func:`unformatted` in place of ``mmengine.config.config.FormatCode``.
"""
from typing import Tuple


def unformatted(text: str, **kwargs) -> Tuple[str, bool]:
    """Return the config text unchanged.

    Args:
        text (str): The config text.
        **kwargs: ``FormatCode``'s options, ignored.

    Returns:
        tuple[str, bool]: ``text`` and False (nothing was reformatted).
    """
    return text, False
