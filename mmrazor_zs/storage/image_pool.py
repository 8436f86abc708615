# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""The images a synthesis round keeps, on disk.

The inversion methods keep every round's best batch in a growing pool and
distil the student on all of it (zju-vipa/DataFree 9e79fa9,
``datafree/utils/_utils.py`` ``ImagePool``: uint8 PNGs, an index that
restarts at 0 and overwrites after a restart). Here a round is one shard
per rank, ``round_<r>_rank_<k>.pth``, written atomically with the sha256 of
its pixels inside (:mod:`~mmrazor_zs.storage.shard_store`), so a reader
never sees half a shard and a damaged one is refused by name. The pixels
are stored as uint8, as the originals' PNGs quantise them: truncated, as
their ``save_image_batch`` does, or rounded to the nearest level.

Resuming: a shard is a pure function of the run's state at its round, so a
resumed run that redoes a round rewrites the same file, and reading
``before_round=`` the restored round counter ignores shards written after
the checkpoint. Under DDP every rank writes its own shards in one shared
folder and :meth:`ImagePool.load` reads all ranks' shards of each round.
"""
import os
import os.path as osp
from typing import List

import torch

from mmrazor_zs.utils import PIXEL_ROUNDINGS, check_choice, quantize_pixels
from .shard_store import read_shard_file, shard_name, write_shard_file

#: what to do about a missing or damaged pool shard
POOL_FIX = ('Delete the pool folder\'s shards from this round on and resume '
            'from a checkpoint taken before it.')


class ImagePool:
    """A folder of synthesised images, one shard per (round, rank).

    Args:
        folder (str): Where the shards live (created when missing).
        rank (int): This process's rank, for the shards it writes.
            Defaults to 0.
        world_size (int): The number of ranks whose shards make a round.
            Defaults to 1.
        rounding (str): How pixels become uint8 levels
            (:func:`~mmrazor_zs.utils.quantize_pixels`): 'truncate', as the
            zju-vipa zoos save their pool's PNGs, or 'round'. Defaults to
            'truncate'.

    Raises:
        ValueError: If ``rank`` is not in ``[0, world_size)`` or
            ``rounding`` is unknown.
    """

    def __init__(self,
                 folder: str,
                 rank: int = 0,
                 world_size: int = 1,
                 rounding: str = 'truncate'):
        check_choice('rounding', rounding, PIXEL_ROUNDINGS,
                     type(self).__name__)
        if not 0 <= rank < world_size:
            raise ValueError(f'`rank` must be in [0, {world_size}), but got '
                             f'{rank}.')
        self.folder = folder
        self.rank = rank
        self.world_size = world_size
        self.rounding = rounding
        os.makedirs(folder, exist_ok=True)
        self._cache: List[torch.Tensor] = []  # uint8 batches, read order
        self._cached_rounds = 0

    def shard_path(self, round_index: int, rank: int) -> str:
        """The file of a round's shard of ``rank``."""
        return osp.join(
            self.folder,
            shard_name(('round', round_index, 6), ('rank', rank, 3)))

    def add(self, images: torch.Tensor, round_index: int) -> str:
        """Store this rank's images of a round.

        Args:
            images (Tensor): (N, C, H, W) pixels in [0, 1] (values outside
                are clamped), quantised to uint8 as ``rounding`` says.
            round_index (int): The synthesis round, from 0.

        Returns:
            str: The shard's path.
        """
        if images.dim() != 4:
            raise ValueError('ImagePool.add takes a (N, C, H, W) batch, but '
                             f'got shape {tuple(images.shape)}.')
        record = dict(
            pixels=quantize_pixels(images, self.rounding).cpu(),
            round=round_index,
            rank=self.rank)
        return write_shard_file(
            self.shard_path(round_index, self.rank),
            record,
            checksum_of='pixels')

    def _read(self, round_index: int, rank: int) -> torch.Tensor:
        """The verified uint8 pixels of one shard."""
        shard = read_shard_file(
            self.shard_path(round_index, rank),
            f'Image pool shard of round {round_index} (finished), rank '
            f'{rank}',
            POOL_FIX,
            checksum_of='pixels')
        return shard['pixels']

    def load(self, before_round: int) -> torch.Tensor:
        """Every rank's images of rounds ``0 .. before_round - 1``, in
        (round, rank) order, as one uint8 (N, C, H, W) tensor. Rounds read
        before are kept in memory; only new shards are read.

        Raises:
            ShardStoreError: If a shard of those rounds is missing or
                damaged, naming it.
        """
        if before_round < self._cached_rounds:
            self._cache = []
            self._cached_rounds = 0
        for round_index in range(self._cached_rounds, before_round):
            for rank in range(self.world_size):
                self._cache.append(self._read(round_index, rank))
        self._cached_rounds = before_round
        if not self._cache:
            return torch.empty(0, dtype=torch.uint8)
        return torch.cat(self._cache)
