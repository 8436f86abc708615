# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .checkpoint import (CheckpointError, add_trust_checkpoint_argument,
                         allowed_checkpoint_types, check_checkpoint_file,
                         checkpoint_safe_globals, load_checkpoint_file,
                         trust_all_checkpoints)
from .checkpoint_conversion import convert_checkpoint_file, converter_arguments
from .download import CheckpointDownloadError, is_url, resolve_checkpoint
from .fileio import atomic_json_dump, atomic_torch_save, sha256_file
from .launch import (closest_configs, enable_amp, enable_auto_scale_lr,
                     enable_profiler, init_cpu_distributed, init_distributed,
                     load_config, resolve_work_dir)
from .malloc import keep_freed_memory_in_heap
from .memory import peak_allocated_mb, peak_memory
from .misc import describe_choices, in_mode, short_list, temporarily_eval
from .pixel_space import (PIXEL_ROUNDINGS, PixelSpace, dequantize_pixels,
                          quantize_pixels)
from .resume import check_checkpoint, find_resume_checkpoint, last_checkpoint
from .setup_env import register_all_modules
from .state_dict import state_dict_of, state_dict_problems
from .validation import check_choice, check_positive_int

__all__ = [
    'CheckpointError', 'CheckpointDownloadError', 'is_url',
    'resolve_checkpoint', 'allowed_checkpoint_types', 'atomic_json_dump',
    'atomic_torch_save', 'checkpoint_safe_globals', 'sha256_file',
    'enable_amp', 'enable_auto_scale_lr', 'enable_profiler',
    'init_cpu_distributed', 'init_distributed', 'closest_configs',
    'load_config', 'resolve_work_dir', 'keep_freed_memory_in_heap',
    'peak_memory', 'peak_allocated_mb', 'load_checkpoint_file',
    'check_checkpoint', 'find_resume_checkpoint', 'last_checkpoint',
    'trust_all_checkpoints', 'register_all_modules', 'PixelSpace',
    'PIXEL_ROUNDINGS', 'quantize_pixels', 'dequantize_pixels',
    'describe_choices', 'in_mode', 'temporarily_eval', 'check_choice',
    'check_positive_int', 'check_checkpoint_file', 'short_list',
    'converter_arguments', 'convert_checkpoint_file',
    'add_trust_checkpoint_argument', 'state_dict_of', 'state_dict_problems'
]
