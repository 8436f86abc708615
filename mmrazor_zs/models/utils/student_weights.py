# Copyright (c) mmrazor_zs contributors. All rights reserved.
from collections import OrderedDict
from typing import Dict

import torch

STUDENT_PREFIX = 'student.'


def student_weights(state_dict: Dict[str, torch.Tensor]) -> OrderedDict:
    """The ``student.`` entries of a distillation state dict, without the
    prefix: what loads into the student's own classifier. Empty when the
    state dict holds no student (e.g. it already is the student alone)."""
    return OrderedDict((key[len(STUDENT_PREFIX):], value)
                       for key, value in state_dict.items()
                       if key.startswith(STUDENT_PREFIX))
