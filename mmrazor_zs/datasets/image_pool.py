# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""The images a synthesis round keeps, on disk.

The inversion methods keep every round's best batch in a growing pool and
distil the student on all of it (zju-vipa/DataFree 9e79fa9,
``datafree/utils/_utils.py`` ``ImagePool``: uint8 PNGs, an index that
restarts at 0 and overwrites after a restart). Here a round is one shard
per rank, ``round_<r>_rank_<k>.pth``, written atomically (temporary file,
fsync, rename) with the sha256 of its pixels inside, so a reader never sees
half a shard and a damaged one is refused by name. The pixels are stored
as uint8, as the originals' PNGs quantise them.

Resuming: a shard is a pure function of the run's state at its round, so a
resumed run that redoes a round rewrites the same file, and reading
``before_round=`` the restored round counter ignores shards written after
the checkpoint. Under DDP every rank writes its own shards in one shared
folder and :meth:`ImagePool.load` reads all ranks' shards of each round.
"""
import hashlib
import os
import os.path as osp
from typing import List

import torch

from mmrazor_zs.utils import CheckpointError, atomic_torch_save
from mmrazor_zs.utils.checkpoint import load_checkpoint_file


class ImagePoolError(RuntimeError):
    """A pool shard is missing, unreadable or damaged."""


def _pixel_digest(pixels: torch.Tensor) -> str:
    return hashlib.sha256(pixels.contiguous().numpy().tobytes()).hexdigest()


class ImagePool:
    """A folder of synthesised images, one shard per (round, rank).

    Args:
        folder (str): Where the shards live (created when missing).
        rank (int): This process's rank, for the shards it writes.
            Defaults to 0.
        world_size (int): The number of ranks whose shards make a round.
            Defaults to 1.
    """

    def __init__(self, folder: str, rank: int = 0, world_size: int = 1):
        if not 0 <= rank < world_size:
            raise ValueError(f'`rank` must be in [0, {world_size}), but got '
                             f'{rank}.')
        self.folder = folder
        self.rank = rank
        self.world_size = world_size
        os.makedirs(folder, exist_ok=True)
        self._cache: List[torch.Tensor] = []  # uint8 batches, read order
        self._cached_rounds = 0

    def shard_path(self, round_index: int, rank: int) -> str:
        return osp.join(self.folder,
                        f'round_{round_index:06d}_rank_{rank:03d}.pth')

    def add(self, images: torch.Tensor, round_index: int) -> str:
        """Store this rank's images of a round.

        Args:
            images (Tensor): (N, C, H, W) pixels in [0, 1] (values outside
                are clamped), quantised to uint8 as a PNG would.
            round_index (int): The synthesis round, from 0.

        Returns:
            str: The shard's path.
        """
        if images.dim() != 4:
            raise ValueError('ImagePool.add takes a (N, C, H, W) batch, but '
                             f'got shape {tuple(images.shape)}.')
        pixels = (images.detach().float().clamp(0, 1) * 255).round().to(
            torch.uint8).cpu()
        path = self.shard_path(round_index, self.rank)
        atomic_torch_save(
            dict(
                pixels=pixels,
                sha256=_pixel_digest(pixels),
                round=round_index,
                rank=self.rank), path)
        return path

    def _read(self, round_index: int, rank: int) -> torch.Tensor:
        path = self.shard_path(round_index, rank)
        fix = ('Delete the pool folder\'s shards from this round on and '
               'resume from a checkpoint taken before it.')
        if not osp.isfile(path):
            raise ImagePoolError(
                f'The image pool lacks {path} (round {round_index}, rank '
                f'{rank}), a round the run has finished. {fix}')
        try:
            shard = load_checkpoint_file(path)
        except CheckpointError as err:
            raise ImagePoolError(
                f'{path} cannot be read ({err}). {fix}') from None
        if not isinstance(shard, dict) or 'pixels' not in shard or \
                shard.get('sha256') != _pixel_digest(shard['pixels']):
            raise ImagePoolError(
                f'{path} is damaged: its pixels do not match the sha256 '
                f'stored with them. {fix}')
        return shard['pixels']

    def load(self, before_round: int) -> torch.Tensor:
        """Every rank's images of rounds ``0 .. before_round - 1``, in
        (round, rank) order, as one uint8 (N, C, H, W) tensor. Rounds read
        before are kept in memory; only new shards are read.

        Raises:
            ImagePoolError: If a shard of those rounds is missing or
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
