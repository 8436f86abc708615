# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .digits import Digits
from .impression_store import (ImpressionStoreError, read_manifest, read_shard,
                               write_shard)
from .offline_cifar import OfflineCIFAR10

__all__ = [
    'Digits', 'ImpressionStoreError', 'OfflineCIFAR10', 'read_manifest',
    'read_shard', 'write_shard'
]
