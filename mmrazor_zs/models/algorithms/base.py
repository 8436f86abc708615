# Copyright (c) mmrazor_zs contributors. All rights reserved.
import contextlib
from typing import Optional, Union

import torch
import torch.nn as nn
from mmengine.logging import MMLogger
from mmengine.model import BaseModel

from ..utils import build_submodel, load_teacher_checkpoint


class TeacherStudentModel(BaseModel):
    """A frozen teacher and a trainable student, the common part of the data-
    free distillation algorithms.

    The teacher is built, initialised, then loaded from ``teacher_ckpt``
    (so the Runner's later ``init_weights`` cannot overwrite it), has no
    gradient on its weights and stays in eval mode whatever ``train()`` is
    called with. ``forward`` gives the student's logits (``'tensor'``) or
    its predictions with ``teacher_pred_label`` added (``'predict'``, for
    the :class:`TeacherReference` metric); subclasses add training.

    Args:
        teacher (dict | nn.Module): Teacher classifier config,
            ``dict(cfg_path=..., **overrides)`` or module.
        student (dict | nn.Module): Student classifier, same forms.
        teacher_ckpt (str, optional): Teacher checkpoint (mmpretrain or
            mmengine format, path or URL). None keeps random weights (only
            useful for tests). Defaults to None.
        trust_teacher_ckpt (bool): Unpickle the teacher checkpoint without
            torch's ``weights_only`` safety. Defaults to False.
        data_preprocessor (dict, optional): Preprocessor of real images.
            Defaults to None.
        init_cfg (dict, optional): Initialisation config. Defaults to None.
    """

    def __init__(self,
                 teacher: Union[dict, nn.Module],
                 student: Union[dict, nn.Module],
                 teacher_ckpt: Optional[str] = None,
                 trust_teacher_ckpt: bool = False,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.teacher = build_submodel(teacher, 'teacher')
        self.student = build_submodel(student, 'student')
        if teacher_ckpt is not None:
            if hasattr(self.teacher, 'init_weights'):
                self.teacher.init_weights()
            load_teacher_checkpoint(self.teacher, teacher_ckpt,
                                    trust_teacher_ckpt)
        else:
            MMLogger.get_current_instance().warning(
                f'{type(self).__name__} got no `teacher_ckpt`: the teacher '
                'keeps random weights, which is only useful for tests.')
        self.teacher.eval()
        for param in self.teacher.parameters():
            param.requires_grad_(False)

    def train(self, mode: bool = True) -> 'TeacherStudentModel':
        """Set train/eval mode; the teacher always stays in eval mode."""
        super().train(mode)
        self.teacher.eval()
        return self

    def _student_no_sync(self):
        """DDP's ``no_sync`` on the student if it is wrapped: for work that
        runs the student without asking for its gradients (a generator step, a
        synthesis round), so that DDP does not wait for them."""
        no_sync = getattr(self.student, 'no_sync', None)
        return no_sync() if no_sync is not None else contextlib.nullcontext()

    def loss(self, inputs: torch.Tensor, data_samples: Optional[list]):
        raise RuntimeError(f'{type(self).__name__} has no "loss" mode; it '
                           'trains through `train_step`.')

    def forward(self,
                inputs: torch.Tensor,
                data_samples: Optional[list] = None,
                mode: str = 'tensor'):
        """``'tensor'``: student logits; ``'predict'``: the student's
        predictions, each also holding ``teacher_pred_label``; ``'loss'``:
        the training losses, where the algorithm has them."""
        if mode == 'tensor':
            return self.student(inputs, mode='tensor')
        if mode == 'predict':
            predictions = self.student(inputs, data_samples, mode='predict')
            teacher_labels = self.teacher(inputs, mode='tensor').argmax(1)
            for sample, label in zip(predictions, teacher_labels):
                sample.set_field(label.view(1), 'teacher_pred_label')
            return predictions
        if mode == 'loss':
            return self.loss(inputs, data_samples)
        raise RuntimeError(f'Invalid mode "{mode}". {type(self).__name__} '
                           'supports "tensor", "predict" and "loss".')
