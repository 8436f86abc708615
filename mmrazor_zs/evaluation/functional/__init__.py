# Copyright (c) mmrazor_zs contributors. All rights reserved.
from .belief_match import (agreeing_inputs, mean_transition_error,
                           transition_curves)

__all__ = ['agreeing_inputs', 'mean_transition_error', 'transition_curves']
