# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .data_free_loop import DataFreeTrainLoop, NoTrainingData
from .few_shot_loop import FewShotTrainLoop

__all__ = ['DataFreeTrainLoop', 'FewShotTrainLoop', 'NoTrainingData']
