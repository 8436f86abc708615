# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .dispatched_ops import DispatchedOps
from .host_sync import HostReads
from .optim import (generator_student_wrappers, parameter_copies,
                    record_detached_inputs)
from .process_repeats import (add_processes_argument, combine_process_results,
                              print_and_save, result_over_processes,
                              results_of_processes)
from .state import same_state, state_copy, synthesis_round_is_clean
from .timing import (AlternatingTimes, alternating_times, benchmark_device,
                     build_benchmark_algorithm, device_description,
                     seconds_per_step)
from .tiny_models import (tiny_classifier_cfg, tiny_generator_family_cfg,
                          tiny_inversion_cfg, tiny_zskt_cfg)

__all__ = [
    'DispatchedOps', 'HostReads', 'add_processes_argument',
    'combine_process_results', 'print_and_save', 'result_over_processes',
    'results_of_processes', 'generator_student_wrappers', 'parameter_copies',
    'record_detached_inputs', 'same_state', 'seconds_per_step', 'state_copy',
    'AlternatingTimes', 'alternating_times', 'benchmark_device',
    'build_benchmark_algorithm', 'device_description',
    'synthesis_round_is_clean', 'tiny_classifier_cfg',
    'tiny_generator_family_cfg', 'tiny_inversion_cfg', 'tiny_zskt_cfg'
]
