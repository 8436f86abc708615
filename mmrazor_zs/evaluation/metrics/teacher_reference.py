# Copyright (c) mmrazor_zs contributors. All rights reserved.
from typing import List, Sequence

import torch
from mmengine.evaluator import BaseMetric

from mmrazor_zs.registry import METRICS


@METRICS.register_module()
class TeacherReference(BaseMetric):
    """The teacher's top-1 and the teacher-student top-1 agreement.

    Reads ``teacher_pred_label`` that distillation algorithms add to their
    predictions (the student's own accuracy comes from mmpretrain's
    ``Accuracy`` on the same predictions). ``top1`` is the teacher's
    accuracy on the evaluation set, for reference; ``agreement`` is the
    percentage of images on which student and teacher predict the same
    class.

    Args:
        collect_device (str): Device to gather results across ranks.
            Defaults to 'cpu'.
        prefix (str): Metric name prefix. Defaults to 'teacher'.
    """
    default_prefix = 'teacher'

    def __init__(self,
                 collect_device: str = 'cpu',
                 prefix: str = 'teacher') -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        """Keep the teacher's, the student's and the true label of every image.

        Args:
            data_batch (dict): The batch (not used).
            data_samples (Sequence[dict]): The predictions, each with
                ``teacher_pred_label``, ``pred_label`` and ``gt_label``.

        Raises:
            KeyError: If a prediction has no ``teacher_pred_label``.
        """
        for sample in data_samples:
            if 'teacher_pred_label' not in sample:
                raise KeyError(
                    'TeacherReference needs `teacher_pred_label` in the '
                    'predictions; evaluate a distillation algorithm (ZSKT), '
                    'not a plain classifier.')
            self.results.append(
                dict(
                    teacher=int(sample['teacher_pred_label'].view(-1)[0]),
                    student=int(sample['pred_label'].view(-1)[0]),
                    target=int(sample['gt_label'].view(-1)[0])))

    def compute_metrics(self, results: List[dict]) -> dict:
        """The teacher's top-1 and the agreement over all kept images.

        Args:
            results (list[dict]): What :meth:`process` kept, gathered from
                every rank.

        Returns:
            dict: ``top1`` and ``agreement``, both in percent.
        """
        teacher = torch.tensor([r['teacher'] for r in results])
        student = torch.tensor([r['student'] for r in results])
        target = torch.tensor([r['target'] for r in results])
        return {
            'top1': (teacher == target).float().mean().item() * 100,
            'agreement': (teacher == student).float().mean().item() * 100,
        }
