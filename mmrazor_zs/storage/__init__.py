# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""On-disk shard stores: one core (names, atomic writes, verified reads, one
error class) under the inversion family's image pool and ZSKD's data
impressions."""
from .image_pool import ImagePool, ShardedImages
from .impression_store import (read_manifest, read_optimizer_state, read_shard,
                               shard_path, write_optimizer_state, write_shard)
from .shard_store import (ShardStoreError, claim_folder, read_shard_file,
                          remove_unfinished, shard_name, tensor_sha256,
                          write_shard_file)

__all__ = [
    'ImagePool', 'ShardStoreError', 'ShardedImages', 'claim_folder',
    'read_manifest', 'read_optimizer_state', 'read_shard', 'read_shard_file',
    'remove_unfinished', 'shard_name', 'shard_path', 'tensor_sha256',
    'write_optimizer_state', 'write_shard', 'write_shard_file'
]
