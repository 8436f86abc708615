# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .checked_load_runner import CheckedLoadRunner, CheckpointMismatchError
from .data_free_loop import DataFreeTrainLoop, NoTrainingData
from .few_shot_loop import FewShotTrainLoop
from .synthesized_data_loop import SynthesizedDataTrainLoop

__all__ = [
    'CheckedLoadRunner', 'CheckpointMismatchError', 'DataFreeTrainLoop',
    'FewShotTrainLoop', 'NoTrainingData', 'SynthesizedDataTrainLoop'
]
