# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .data_free_loop import DataFreeTrainLoop, NoTrainingData

__all__ = ['DataFreeTrainLoop', 'NoTrainingData']
