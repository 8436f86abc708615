# Copyright (c) mmrazor_zs contributors. All rights reserved.
import json
import os.path as osp
import time
from typing import Dict, Optional

from mmengine.dist import is_main_process
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmrazor_zs.registry import HOOKS
from mmrazor_zs.utils import atomic_json_dump

CHECKPOINT_KEY = 'distill_summary'
HISTORY_FILE = 'validation_history.json'


def _algorithm(runner):
    """The runner's model without its DDP wrapper (None without one)."""
    model = getattr(runner, 'model', None)
    return model.module if is_model_wrapper(model) else model


@HOOKS.register_module()
class DistillSummaryHook(Hook):
    """Print and save the result of a distillation run when it ends.

    Collects the validation metrics and, after the run, logs one table with
    the teacher's top-1, the student's final top-1 (and its best over the
    validations, labelled as best: picking it uses the test set), the
    iterations and the wall time of training (validation included). The same
    numbers go to ``summary.json`` in the run's log directory.

    A resumed run reports what an uninterrupted one would: the training
    time so far travels in every checkpoint, and every validation result is
    kept by iteration in ``WORK_DIR/validation_history.json`` (written
    atomically), of which a resume keeps the validations up to the
    checkpoint's iteration, including the one that ran just after the
    checkpoint was saved.

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
        self._seconds_before = 0.  # training time before a resume
        self._history: Dict[int, Dict[str, float]] = {}  # iteration: metrics
        self._test: Dict[str, float] = {}

    @property
    def _last(self) -> Dict[str, float]:
        """The final metrics: the test's if the run tested, else the last
        validation's (empty before any)."""
        if self._test:
            return self._test
        return self._history[max(self._history)] if self._history else {}

    @property
    def _best_student(self) -> Optional[float]:
        """The student's best top-1 over the validations (None before any)."""
        scores = [
            m[self.student_key] for m in self._history.values()
            if self.student_key in m
        ]
        return max(scores) if scores else None

    def before_train(self, runner) -> None:
        """Start the training clock.

        Args:
            runner (Runner): The runner.
        """
        self._start = time.perf_counter()

    def _seconds_so_far(self) -> float:
        """Training time of the run, the time before a resume included."""
        return self._seconds_before + (
            time.perf_counter() -
            self._start if self._start is not None else 0.)

    def after_train(self, runner) -> None:
        """Stop the training clock.

        Args:
            runner (Runner): The runner.
        """
        self._train_seconds = self._seconds_so_far()

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        """Store the training time so far (and the algorithm's synthesis time,
        if it keeps one) in the checkpoint.

        Args:
            runner (Runner): The runner.
            checkpoint (dict): The checkpoint, updated in place.
        """
        record = dict(train_seconds=self._seconds_so_far())
        model = _algorithm(runner)
        if hasattr(model, 'synthesis_seconds'):
            record['synthesis_seconds'] = model.synthesis_seconds
        checkpoint[CHECKPOINT_KEY] = record

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        """On a resume, restore the times from the checkpoint and the
        validation history up to its iteration; loading weights only
        (``load_from``) starts a new record.

        Args:
            runner (Runner): The runner.
            checkpoint (dict): The loaded checkpoint.
        """
        if not runner.cfg.get('resume', False):
            return  # weights only (load_from): a new run, a new record
        record = checkpoint.get(CHECKPOINT_KEY, {})
        self._seconds_before = record.get('train_seconds', 0.)
        model = _algorithm(runner)
        if hasattr(model, 'synthesis_seconds'):
            model.synthesis_seconds = record.get('synthesis_seconds', 0.)
        path = osp.join(runner.work_dir, HISTORY_FILE)
        if osp.isfile(path):
            with open(path) as file:
                history = json.load(file)
            done = checkpoint['meta']['iter']
            self._history = {
                int(it): metrics
                for it, metrics in history.items() if int(it) <= done
            }

    def after_val_epoch(self, runner, metrics: Optional[dict] = None) -> None:
        """Record the numeric metrics of the validation by iteration and write
        the history (main process).

        Args:
            runner (Runner): The runner.
            metrics (dict, optional): The validation metrics.
                Defaults to None.
        """
        if not metrics:
            return
        self._history[runner.iter] = {
            k: float(v)
            for k, v in metrics.items() if isinstance(v, (int, float))
        }
        if is_main_process():
            atomic_json_dump(self._history,
                             osp.join(runner.work_dir, HISTORY_FILE))

    def after_test_epoch(self, runner, metrics: Optional[dict] = None) -> None:
        """Keep the numeric metrics of the test as the final ones.

        Args:
            runner (Runner): The runner.
            metrics (dict, optional): The test metrics. Defaults to None.
        """
        self._test = {
            k: float(v)
            for k, v in (metrics or {}).items() if isinstance(v, (int, float))
        }

    def summary(self, runner) -> dict:
        """The numbers of the run, as saved to ``summary.json``.

        Args:
            runner (Runner): The runner.

        Returns:
            dict: The teacher's and the student's final top-1, the
            student's best, the iterations, the training wall time and the
            final metrics; for the inversion algorithms also the synthesis
            time and image count.
        """
        model = _algorithm(runner)
        synthesis = model.synthesis_summary() if hasattr(
            model, 'synthesis_summary') else {}
        return {
            **synthesis,
            'teacher_top1':
            self._last.get(self.teacher_key),
            'student_top1':
            self._last.get(self.student_key),
            'student_best_top1':
            self._best_student,
            'iterations':
            runner.iter,
            'train_wall_time_s':
            None if self._train_seconds is None else round(
                self._train_seconds, 1),
            'metrics':
            self._last,
        }

    def after_run(self, runner) -> None:
        """Log the summary table and write ``summary.json`` (main process), if
        the run trained and was evaluated.

        Args:
            runner (Runner): The runner.
        """
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
        if 'synthesis_time_s' in result:
            rows += [
                ('synthesis time (s)', f"{result['synthesis_time_s']:.1f}"),
                ('synthesised images', str(result['synthesized_images'])),
            ]
        width = max(len(name) for name, _ in rows)
        lines = [f'{name:<{width}} | {value}' for name, value in rows]
        runner.logger.info('Distillation summary\n' + '\n'.join(lines))
        if is_main_process():
            atomic_json_dump(result, osp.join(runner.log_dir, 'summary.json'))
