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
the checkpoint. A folder is claimed by the run that fills it
(:meth:`ImagePool.claim`), so a finished shard can be trusted to be the
round's: rounds that depend on nothing but their index (DeepInversion's,
before the student has stepped) are not redone after a kill
(:meth:`ImagePool.has_round`). Under DDP every rank writes its own shards in
one shared folder and :meth:`ImagePool.load` reads all ranks' shards of each
round.

A pool of ImageNet size does not fit a GPU (140,000 images of 224 x 224 are
21 GB of uint8): ``load(..., mmap=True)`` maps the shards from disk
(:class:`ShardedImages`), so the ranks of a machine share the page cache and
each step copies only its batch.
"""
import os
import os.path as osp
from typing import List, Sequence, Union

import torch

from mmrazor_zs.utils import PIXEL_ROUNDINGS, check_choice, quantize_pixels
from .shard_store import (ShardStoreError, claim_folder, read_shard_file,
                          shard_name, write_shard_file)


class ShardedImages:
    """The uint8 images of many shards, indexed as one (N, C, H, W) tensor
    without concatenating them (the shards may be memory-mapped).

    Args:
        shards (Sequence[Tensor]): uint8 (n_i, C, H, W) batches, in order.
    """

    def __init__(self, shards: Sequence[torch.Tensor]) -> None:
        self.shards = list(shards)
        sizes = torch.tensor([len(shard) for shard in self.shards])
        self.ends = sizes.cumsum(0)
        self.starts = self.ends - sizes
        self.shape = (int(self.ends[-1]) if len(sizes) else 0, ) + tuple(
            self.shards[0].shape[1:] if self.shards else ())
        self.device = torch.device('cpu')

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, indices: torch.Tensor) -> torch.Tensor:
        """The images at ``indices`` (a 1-D integer tensor), in that order."""
        indices = indices.cpu()
        shard_of = torch.searchsorted(self.ends, indices, right=True)
        out = torch.empty((len(indices), ) + self.shape[1:], dtype=torch.uint8)
        for shard in shard_of.unique().tolist():
            rows = (shard_of == shard).nonzero().squeeze(1)
            out[rows] = self.shards[shard][indices[rows] - self.starts[shard]]
        return out


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
        self._cached_mmap = False

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

    def claim(self, run: dict) -> None:
        """Record the settings of the run that fills this folder, or check
        that the folder's shards were made with the same ones (see
        :func:`~mmrazor_zs.storage.claim_folder`).

        Raises:
            ShardStoreError: If the folder holds another run's images,
                naming what differs and what to do.
        """
        claim_folder(self.folder, run, 'the image pool')

    def has_round(self, round_index: int) -> bool:
        """Whether this rank's shard of ``round_index`` is on disk and whole (a
        damaged one counts as missing: it is to be redone)."""
        try:
            self._read(round_index, self.rank)
        except ShardStoreError:
            return False
        return True

    def _read(self,
              round_index: int,
              rank: int,
              mmap: bool = False) -> torch.Tensor:
        """The verified uint8 pixels of one shard."""
        shard = read_shard_file(
            self.shard_path(round_index, rank),
            f'Image pool shard of round {round_index} (finished), rank '
            f'{rank}',
            POOL_FIX,
            checksum_of='pixels',
            mmap=mmap)
        return shard['pixels']

    def load(self,
             before_round: int,
             mmap: bool = False) -> Union[torch.Tensor, ShardedImages]:
        """Every rank's images of rounds ``0 .. before_round - 1``, in
        (round, rank) order: one uint8 (N, C, H, W) tensor, or with
        ``mmap`` the shards mapped from disk as :class:`ShardedImages`.
        Rounds read before are kept; only new shards are read.

        Raises:
            ShardStoreError: If a shard of those rounds is missing or
                damaged, naming it.
        """
        if before_round < self._cached_rounds or mmap != self._cached_mmap:
            self._cache = []
            self._cached_rounds = 0
        self._cached_mmap = mmap
        for round_index in range(self._cached_rounds, before_round):
            for rank in range(self.world_size):
                self._cache.append(self._read(round_index, rank, mmap))
        self._cached_rounds = before_round
        if mmap:
            return ShardedImages(self._cache)
        if not self._cache:
            return torch.empty(0, dtype=torch.uint8)
        return torch.cat(self._cache)
