# Copyright (c) mmrazor_zs contributors. All rights reserved.
import json
import os.path as osp
import time
from typing import Dict, Optional

from mmengine.dist import is_main_process
from mmengine.hooks import Hook

from mmrazor_zs.registry import HOOKS


@HOOKS.register_module()
class DistillSummaryHook(Hook):
    """Print and save the result of a distillation run when it ends.

    Collects the validation metrics and, after the run, logs one table with
    the teacher's top-1, the student's final top-1 (and its best over the
    validations, labelled as best: picking it uses the test set), the
    iterations and the wall time of training (validation included). The same
    numbers go to ``summary.json`` in the run's log directory.

    Args:
        student_key (str): Metric holding the student's top-1.
            Defaults to 'accuracy/top1'.
        teacher_key (str): Metric holding the teacher's top-1.
            Defaults to 'teacher/top1'.
    """

    priority = 'VERY_LOW'

    def __init__(self,
                 student_key: str = 'accuracy/top1',
                 teacher_key: str = 'teacher/top1') -> None:
        self.student_key = student_key
        self.teacher_key = teacher_key
        self._start: Optional[float] = None
        self._train_seconds: Optional[float] = None
        self._last: Dict[str, float] = {}
        self._best_student: Optional[float] = None

    def before_train(self, runner) -> None:
        self._start = time.perf_counter()

    def after_train(self, runner) -> None:
        if self._start is not None:
            self._train_seconds = time.perf_counter() - self._start

    def after_val_epoch(self, runner, metrics: Optional[dict] = None) -> None:
        if not metrics:
            return
        self._last = {k: float(v) for k, v in metrics.items()
                      if isinstance(v, (int, float))}
        student = self._last.get(self.student_key)
        if student is not None and (self._best_student is None
                                    or student > self._best_student):
            self._best_student = student

    def after_test_epoch(self, runner, metrics: Optional[dict] = None) -> None:
        self.after_val_epoch(runner, metrics)

    def summary(self, runner) -> dict:
        """The numbers of the run, as saved to ``summary.json``."""
        return {
            'teacher_top1': self._last.get(self.teacher_key),
            'student_top1': self._last.get(self.student_key),
            'student_best_top1': self._best_student,
            'iterations': runner.iter,
            'train_wall_time_s': None if self._train_seconds is None else
            round(self._train_seconds, 1),
            'metrics': self._last,
        }

    def after_run(self, runner) -> None:
        if self._train_seconds is None or not self._last:
            return
        result = self.summary(runner)

        def fmt(value):
            return 'n/a' if value is None else f'{value:.2f}'

        rows = [
            ('teacher top-1 (%)', fmt(result['teacher_top1'])),
            ('student top-1, final (%)', fmt(result['student_top1'])),
            ('student top-1, best of validations (%)',
             fmt(result['student_best_top1'])),
            ('iterations', str(result['iterations'])),
            ('training wall time (s)', f"{result['train_wall_time_s']:.1f}"),
        ]
        width = max(len(name) for name, _ in rows)
        lines = [f'{name:<{width}} | {value}' for name, value in rows]
        runner.logger.info('Distillation summary\n' + '\n'.join(lines))
        if is_main_process():
            path = osp.join(runner.log_dir, 'summary.json')
            with open(path, 'w') as file:
                json.dump(result, file, indent=2)
