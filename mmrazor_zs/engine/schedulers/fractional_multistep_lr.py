# Copyright (c) mmrazor_zs contributors. All rights reserved.
from fractions import Fraction
from typing import Sequence

from mmengine.optim import MultiStepLR
from mmengine.optim.scheduler.param_scheduler import INF

from mmrazor_zs.registry import PARAM_SCHEDULERS


@PARAM_SCHEDULERS.register_module()
class FractionalMultiStepLR(MultiStepLR):
    """mmengine's ``MultiStepLR`` with milestones as fractions of the run.

    The milestones are fractions of the schedule's length ``end - begin``:
    the milestone of fraction ``f`` is ``floor(f * (end - begin))`` steps
    after ``begin``, with ``f`` read as the decimal it is written as (0.3 is
    3/10). Inside a Runner, ``end`` defaults to the train loop's length, so
    the decays stay at the same share of a run whose length is computed at
    build time, e.g. by :class:`FewShotTrainLoop`. The few-shot KD+AT
    baseline of ZSKT (Micaelli & Storkey, NeurIPS 2019) decays by 0.2 at
    30%, 60% and 80% of the run (epochs 60, 120, 160 of 200).

    Args:
        optimizer (Optimizer | OptimWrapper): The wrapped optimizer.
        milestone_fractions (Sequence[float]): Increasing fractions in
            (0, 1).
        gamma (float): Multiplicative decay at each milestone.
            Defaults to 0.1.
        begin (int): Step at which the schedule starts. Defaults to 0.
        end (int): Step at which it ends; must be finite (a Runner sets it
            to the loop's length when the config leaves it out).
        last_step (int): The index of the last step. Defaults to -1.
        by_epoch (bool): Step per epoch (True) or per iteration.
            Defaults to True.
        verbose (bool): Print the value at every update. Defaults to False.
    """

    def __init__(self,
                 optimizer,
                 milestone_fractions: Sequence[float],
                 gamma: float = 0.1,
                 begin: int = 0,
                 end: int = INF,
                 last_step: int = -1,
                 by_epoch: bool = True,
                 verbose: bool = False) -> None:
        fractions = [Fraction(repr(f)) for f in milestone_fractions]
        if not fractions or any(not 0 < f < 1 for f in fractions) or \
                fractions != sorted(set(fractions)):
            raise ValueError('`milestone_fractions` must be increasing '
                             'fractions in (0, 1), but got '
                             f'{list(milestone_fractions)}.')
        if end == INF:
            raise ValueError(
                'FractionalMultiStepLR needs a finite `end` to place its '
                'milestones; leave `end` out of the config inside a Runner '
                '(it is set to the train loop\'s length) or set it.')
        self.milestone_fractions = tuple(milestone_fractions)
        milestones = [int(f * (end - begin)) for f in fractions]
        super().__init__(
            optimizer,
            milestones=milestones,
            gamma=gamma,
            begin=begin,
            end=end,
            last_step=last_step,
            by_epoch=by_epoch,
            verbose=verbose)
