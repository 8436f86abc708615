# Copyright (c) mmrazor_zs contributors. All rights reserved.
import json
import os.path as osp
import time
from typing import Dict, Optional

import torch
from mmengine.dist import is_main_process
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmrazor_zs.registry import HOOKS
from mmrazor_zs.utils import atomic_json_dump, peak_memory
from .run_identity import run_identity

CHECKPOINT_KEY = 'distill_summary'
HISTORY_FILE = 'validation_history.json'
#: the version of ``summary.json``'s fields, written as ``summary_format``:
#: 1 (no field): the numbers; 2: also the whole run's wall time, the
#: generator family's images and step time, ZSKD's synthesis, and what the
#: run was (``run_identity``); 3: also the peak memory and the images
#: synthesised per second
SUMMARY_FORMAT = 3


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
    iterations, the wall time of training (``before_train`` to
    ``after_train``, validation included) and of the whole run, and what the
    algorithm synthesised (images and time: the inversion rounds, the
    generator's own steps, ZSKD's data impressions). The same numbers go to
    ``summary.json`` in the run's log directory, with what the run was
    (config, command, seeds, algorithm, dataset, teacher, git commit; see
    ``run_identity`` in ``run_identity.py``), so that
    ``tools/analysis_tools/benchmark_report.py`` can group runs.

    The whole run's clock starts when the hook is built, i.e. when the
    Runner registers its hooks (after building the model), so it counts
    what ``Runner.train`` does before ``before_train``: building the train
    loop (ZSKD's stage-1 synthesis), the optimizers and the dataloaders,
    and loading checkpoints; it stops in ``after_run``.

    A resumed run reports what an uninterrupted one would: the training
    and whole-run times so far travel in every checkpoint (the work lost
    after the last checkpoint is not counted; the resumed process's
    start-up is), and every validation result is
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
        self._run_start = time.perf_counter()
        self._run_seconds: Optional[float] = None
        self._run_seconds_before = 0.  # whole-run time before a resume
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

    def _run_seconds_so_far(self) -> float:
        """Whole-run time, the time before a resume included."""
        return self._run_seconds_before + time.perf_counter() - self._run_start

    def after_train(self, runner) -> None:
        """Stop the training clock.

        Args:
            runner (Runner): The runner.
        """
        self._train_seconds = self._seconds_so_far()

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        """Store the training and whole-run times so far (and the algorithm's
        synthesis time, if it keeps one) in the checkpoint.

        Args:
            runner (Runner): The runner.
            checkpoint (dict): The checkpoint, updated in place.
        """
        record = dict(
            train_seconds=self._seconds_so_far(),
            run_seconds=self._run_seconds_so_far())
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
        # a checkpoint of summary format 1 has the training time only
        self._run_seconds_before = record.get('run_seconds',
                                              self._seconds_before)
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

    @staticmethod
    def _synthesis(runner) -> dict:
        """What the algorithm (or, for ZSKD, the train loop) synthesised."""
        owners = (_algorithm(runner), getattr(runner, 'train_loop', None))
        for owner in owners:
            summarize = getattr(owner, 'synthesis_summary', None)
            if summarize is not None:
                return summarize()
        return {}

    @staticmethod
    def _resources(runner, synthesis: dict) -> dict:
        """The peak memory (see ``peak_memory``: on the CPU the process's
        maximum resident set, so a resumed run reports its own process) and the
        images synthesised per second of synthesis time."""
        model = _algorithm(runner)
        parameter = next(model.parameters(), None) if isinstance(
            model, torch.nn.Module) else None
        memory_mb, kind = peak_memory(
            None if parameter is None else parameter.device)
        seconds = synthesis.get('synthesis_time_s') or synthesis.get(
            'generator_step_time_s')
        images = synthesis.get('synthesized_images')
        return dict(
            peak_memory_mb=round(memory_mb, 1),
            peak_memory_kind=kind,
            synthesized_images_per_s=round(images / seconds, 1)
            if images and seconds else None)

    def summary(self, runner) -> dict:
        """The numbers of the run, as saved to ``summary.json``.

        Args:
            runner (Runner): The runner.

        Returns:
            dict: ``summary_format`` (``SUMMARY_FORMAT``); the teacher's
            and the student's final top-1, the student's best, the
            iterations, the training and whole-run wall times
            (``train_wall_time_s``, ``run_wall_time_s``) and the final
            metrics; what the run synthesised: ``synthesized_images`` and
            ``synthesis_time_s`` (inversion rounds; ZSKD's impressions) or
            ``generator_step_time_s`` (the generator family) and
            ``synthesized_images_per_s``; ``peak_memory_mb`` and what it
            measured (``peak_memory_kind``); and the fields of
            ``run_identity``.
        """
        synthesis = self._synthesis(runner)
        return {
            'summary_format':
            SUMMARY_FORMAT,
            **synthesis,
            **self._resources(runner, synthesis),
            'teacher_top1':
            self._last.get(self.teacher_key),
            'student_top1':
            self._last.get(self.student_key),
            'student_best_top1':
            self._best_student,
            'iterations':
            runner.iter,
            'train_wall_time_s':
            _round(self._train_seconds),
            'run_wall_time_s':
            _round(self._run_seconds),
            'metrics':
            self._last,
            **run_identity(runner),
        }

    def after_run(self, runner) -> None:
        """Log the summary table and write ``summary.json`` (main process), if
        the run trained and was evaluated.

        Args:
            runner (Runner): The runner.
        """
        if self._train_seconds is None or not self._last:
            return
        self._run_seconds = self._run_seconds_so_far()
        result = self.summary(runner)
        runner.logger.info('Distillation summary\n' + summary_table(result))
        if is_main_process():
            atomic_json_dump(result, osp.join(runner.log_dir, 'summary.json'))


def _round(seconds: Optional[float]) -> Optional[float]:
    """Seconds to a tenth (None stays None)."""
    return None if seconds is None else round(seconds, 1)


def summary_table(result: dict) -> str:
    """The logged table of a summary.

    Args:
        result (dict): The summary (``DistillSummaryHook.summary``).

    Returns:
        str: One ``name | value`` line per number.
    """

    def fmt(value):
        return 'n/a' if value is None else f'{value:.2f}'

    rows = [
        ('teacher top-1 (%)', fmt(result['teacher_top1'])),
        ('student top-1, final (%)', fmt(result['student_top1'])),
        ('student top-1, best of validations (%)',
         fmt(result['student_best_top1'])),
        ('iterations', str(result['iterations'])),
        ('training wall time (s)', f"{result['train_wall_time_s']:.1f}"),
        ('whole-run wall time (s)', f"{result['run_wall_time_s']:.1f}"),
    ]
    for key, name in (('synthesis_time_s', 'synthesis time (s)'),
                      ('generator_step_time_s', 'generator steps\' time (s)')):
        if result.get(key) is not None:
            rows.append((name, f'{result[key]:.1f}'))
    if result.get('synthesized_images') is not None:
        rows.append(('synthesised images', str(result['synthesized_images'])))
    if result.get('synthesized_images_per_s') is not None:
        rows.append(('synthesised images per second',
                     f"{result['synthesized_images_per_s']:.1f}"))
    if result.get('peak_memory_mb') is not None:
        rows.append((f"peak memory (MiB, {result['peak_memory_kind']})",
                     f"{result['peak_memory_mb']:.1f}"))
    width = max(len(name) for name, _ in rows)
    return '\n'.join(f'{name:<{width}} | {value}' for name, value in rows)
