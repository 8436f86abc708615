# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .checkpoint import (CheckpointError, allowed_checkpoint_types,
                         checkpoint_safe_globals, load_checkpoint_file)
from .launch import enable_amp, init_cpu_distributed
from .malloc import keep_freed_memory_in_heap
from .setup_env import register_all_modules

__all__ = [
    'CheckpointError', 'allowed_checkpoint_types', 'checkpoint_safe_globals',
    'enable_amp', 'init_cpu_distributed', 'keep_freed_memory_in_heap',
    'load_checkpoint_file',
    'register_all_modules'
]
