# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""The command line shared by the checkpoint converters of
``tools/model_converters/``: read a file of another codebase, convert it,
write the mmpretrain checkpoint atomically, or exit naming the problem."""
import argparse
import os
import os.path as osp
import sys
from typing import Callable, List, Optional

from .checkpoint import (CheckpointError, add_trust_checkpoint_argument,
                         load_checkpoint_file)
from .fileio import atomic_torch_save

__all__ = ['converter_arguments', 'convert_checkpoint_file']


def converter_arguments(
        description: str,
        in_file_help: str,
        argv: Optional[List[str]] = None) -> argparse.Namespace:
    """``in_file``, ``out_file`` and ``--trust-checkpoint``, parsed from
    ``argv`` (default: the command line)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument('in_file', help=in_file_help)
    parser.add_argument('out_file', help='the mmpretrain checkpoint to write')
    add_trust_checkpoint_argument(parser, 'the input')
    return parser.parse_args(argv)


def convert_checkpoint_file(args: argparse.Namespace,
                            convert: Callable[[dict], dict]) -> dict:
    """Load ``args.in_file``, convert it and save the result to
    ``args.out_file`` (a temporary file renamed into place, so a failed write
    leaves no half file).

    Args:
        args: What :func:`converter_arguments` parsed.
        convert: The converter: the loaded dict (a checkpoint or a bare
            state dict) -> ``{'state_dict': ..., 'meta': ...}``; raises
            ``ValueError`` naming what is wrong with its input.

    Returns:
        dict: What was saved.

    Raises:
        SystemExit: Naming the input file and the problem, when the file
            cannot be read, holds no dict, or ``convert`` refuses it;
            nothing is written then.
    """
    try:
        checkpoint = load_checkpoint_file(
            args.in_file, trust_checkpoint=args.trust_checkpoint)
        if not isinstance(checkpoint, dict):
            raise ValueError(f'The file holds a {type(checkpoint).__name__},'
                             ' not a checkpoint dict or a state dict.')
        result = convert(checkpoint)
    except (CheckpointError, ValueError) as err:
        sys.exit(f'Cannot convert {args.in_file}: {err}')
    os.makedirs(osp.dirname(osp.abspath(args.out_file)), exist_ok=True)
    atomic_torch_save(result, args.out_file)
    return result
