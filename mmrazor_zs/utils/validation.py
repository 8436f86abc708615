# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""The checks of user settings that every part of the zoo makes, with one
wording: the setting, the rule, the value."""
from typing import Any, Collection, Optional

from .misc import describe_choices


def check_choice(name: str,
                 value: Any,
                 choices: Collection,
                 owner: Optional[str] = None) -> None:
    """Raise unless ``value`` is one of ``choices``.

    Args:
        name (str): The setting, as the user writes it in a config.
        value (Any): What the user gave.
        choices (Collection): The allowed values.
        owner (str, optional): The class the setting belongs to, named in
            the message. Defaults to None.

    Raises:
        ValueError: ``'`name` of Owner must be one of 'a', 'b', but got
            'c'.'``
    """
    if value not in choices:
        where = f' of {owner}' if owner else ''
        raise ValueError(f'`{name}`{where} must be one of '
                         f'{describe_choices(choices)}, but got {value!r}.')


def check_positive_int(name: str,
                       value: Any,
                       owner: Optional[str] = None,
                       minimum: int = 1) -> None:
    """Raise unless ``value`` is an integer (not a bool) >= ``minimum``.

    Args:
        name (str): The setting, as the user writes it in a config.
        value (Any): What the user gave.
        owner (str, optional): The class the setting belongs to, named in
            the message. Defaults to None.
        minimum (int): The smallest allowed value; 0 for counts that may be
            zero. Defaults to 1.

    Raises:
        ValueError: ``'`name` of Owner must be an integer >= 1, but got
            0.'``
    """
    if isinstance(value, bool) or not isinstance(value, int) or \
            value < minimum:
        where = f' of {owner}' if owner else ''
        raise ValueError(f'`{name}`{where} must be an integer >= {minimum}, '
                         f'but got {value!r}.')
