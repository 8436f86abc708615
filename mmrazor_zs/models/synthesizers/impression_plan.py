# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""How ZSKD's data impressions are split into shards."""
from dataclasses import asdict, dataclass
from typing import List, Sequence

from mmrazor_zs.utils import check_positive_int


@dataclass(frozen=True)
class ShardSpec:
    """One shard: ``count`` impressions of class ``label`` at scale ``beta``,
    their targets and initial images drawn from ``seed``."""
    index: int
    label: int
    beta: float
    count: int
    seed: int

    def to_dict(self) -> dict:
        """The spec as a plain dict (for the manifest)."""
        return asdict(self)


def plan_shards(num_classes: int,
                per_class: int,
                betas: Sequence[float],
                beta_fractions: Sequence[float],
                shard_size: int,
                seed: int = 0) -> List[ShardSpec]:
    """Split ``per_class`` impressions of every class over the betas
    (``beta_fractions`` of them each, rounded so that they add up) and into
    shards of at most ``shard_size``.

    Raises:
        ValueError: On inconsistent settings.
    """
    if len(betas) != len(beta_fractions) or not betas:
        raise ValueError('`betas` and `beta_fractions` must be non-empty and '
                         f'of equal length, but got {list(betas)} and '
                         f'{list(beta_fractions)}.')
    if abs(sum(beta_fractions) - 1) > 1e-6 or min(beta_fractions) < 0:
        raise ValueError('`beta_fractions` must be non-negative and sum to '
                         f'1, but got {list(beta_fractions)}.')
    check_positive_int('synthesis.per_class', per_class)
    check_positive_int('synthesis.shard_size', shard_size)
    counts = [int(round(per_class * f)) for f in beta_fractions]
    counts[-1] = per_class - sum(counts[:-1])
    shards: List[ShardSpec] = []
    for label in range(num_classes):
        for beta, count in zip(betas, counts):
            for start in range(0, count, shard_size):
                index = len(shards)
                shards.append(
                    ShardSpec(
                        index=index,
                        label=label,
                        beta=float(beta),
                        count=min(shard_size, count - start),
                        seed=seed * 1_000_003 + index))
    return shards
