# Copyright (c) mmrazor_zs contributors. All rights reserved.
import contextlib
from typing import Dict, List, Optional, Sequence, Tuple, Union

import torch
import torch.nn as nn
from mmengine.logging import MMLogger
from mmengine.model import BaseModel
from mmengine.optim import OptimWrapper

from mmrazor_zs.utils import PixelSpace, temporarily_eval
from ..utils import build_submodel, check_class_counts, load_teacher_checkpoint
from ..utils.build import BuildTimeProbe
from ..utils.loss_terms import sum_of
from ..utils.network_runtime import apply_runtime, runtime_settings
from ..utils.pair_checks import check_input_channels
from ..utils.teacher_inputs import infer_input_shape, teacher_normalization


class TeacherStudentModel(BuildTimeProbe, BaseModel):
    """A frozen teacher and a trainable student, the common part of the data-
    free distillation algorithms.

    The teacher is built, initialised, then loaded from ``teacher_ckpt``
    (so the Runner's later ``init_weights`` cannot overwrite it), has no
    gradient on its weights and stays in eval mode whatever ``train()`` is
    called with. ``forward`` gives the student's logits (``'tensor'``) or
    its predictions with ``teacher_pred_label`` added (``'predict'``, for
    the :class:`TeacherReference` metric); subclasses add training.

    ``pixel_space`` is the one :class:`PixelSpace` of the algorithm, from
    the teacher's normalisation (``data_preprocessor``'s ``mean``/``std``,
    else those of the teacher's ``cfg_path`` config; None when neither has
    them): whatever maps pixels (a generator, a synthesizer) is given this
    one.

    Once the whole algorithm is built (after the most derived
    ``__init__``), :meth:`probe` runs teacher and student on two images of
    ``input_shape`` (when the algorithm sets it), so that wrong channels,
    class counts or layers fail at build time; a subclass adds its checks
    by overriding :meth:`probe_images` and :meth:`probe_batch`.

    Args:
        teacher (dict | nn.Module): Teacher classifier config,
            ``dict(cfg_path=..., **overrides)`` or module.
        student (dict | nn.Module): Student classifier, same forms.
        teacher_ckpt (str, optional): Teacher checkpoint (mmpretrain or
            mmengine format, path or URL). None keeps random weights (only
            useful for tests). Defaults to None.
        trust_teacher_ckpt (bool): Unpickle the teacher checkpoint without
            torch's ``weights_only`` safety. Defaults to False.
        data_preprocessor (dict, optional): Preprocessor of real images; its
            ``mean``/``std`` are the teacher's normalisation.
            Defaults to None.
        init_cfg (dict, optional): Initialisation config. Defaults to None.
        runtime (dict, optional): How the networks run, applied once the
            algorithm is built and probed: ``channels_last`` (bool: every
            4-D weight in the channels-last layout) and ``compile`` (bool,
            or a dict of ``torch.compile`` arguments: teacher and student
            compiled in place); see ``mmrazor_zs/models/utils/
            network_runtime.py``. ``tools/train.py --channels-last
            --compile`` set them. Defaults to None (neither).
    """

    #: the networks' input (C, H, W); None (the default) skips the probe
    input_shape: Optional[Tuple[int, ...]] = None
    pixel_space: Optional[PixelSpace]

    def __init__(self,
                 teacher: Union[dict, nn.Module],
                 student: Union[dict, nn.Module],
                 teacher_ckpt: Optional[str] = None,
                 trust_teacher_ckpt: bool = False,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None,
                 runtime: Optional[dict] = None) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.runtime = runtime_settings(runtime, type(self).__name__)
        self.teacher = build_submodel(teacher, 'teacher')
        self.student = build_submodel(student, 'student')
        if teacher_ckpt is not None:
            init_weights = getattr(self.teacher, 'init_weights', None)
            if callable(init_weights):
                init_weights()
            load_teacher_checkpoint(self.teacher, teacher_ckpt,
                                    trust_teacher_ckpt)
        else:
            MMLogger.get_current_instance().warning(
                f'{type(self).__name__} got no `teacher_ckpt`: the teacher '
                'keeps random weights, which is only useful for tests.')
        self.teacher.eval()
        for param in self.teacher.parameters():
            param.requires_grad_(False)
        normalization = teacher_normalization(teacher, data_preprocessor)
        self.pixel_space = None if normalization is None else PixelSpace(
            **normalization)

    # ------------------------------------------------------------------
    # construction helpers
    def resolve_input_shape(
            self, input_shape: Optional[Sequence[int]],
            teacher_spec: Union[dict, nn.Module]) -> Tuple[int, ...]:
        """The configured ``input_shape`` as a tuple, or the teacher's input
        inferred from the teacher (first convolution, test pipeline of its
        ``cfg_path`` config) when it is None.

        Raises:
            ValueError: If ``input_shape`` is not (C, H, W), or cannot be
                inferred (naming ``model.input_shape``).
        """
        if input_shape is None:
            return infer_input_shape(self.teacher, teacher_spec,
                                     'model.input_shape')
        if len(input_shape) != 3:
            raise ValueError(f'`input_shape` of {type(self).__name__} must '
                             f'be (C, H, W), but got {input_shape}.')
        return tuple(input_shape)

    @staticmethod
    def resolve_seed(seed: Optional[int]) -> int:
        """``seed``, or one drawn from torch's global generator (so from the
        run's ``randomness.seed``) when it is None."""
        if seed is None:
            seed = int(torch.randint(0, 2**31 - 1, ()).item())
        return int(seed)

    # ------------------------------------------------------------------
    # the build-time probe
    @torch.no_grad()
    def probe(self) -> None:
        """Run the networks once on a tiny batch so that wrong shapes, class
        counts and layer names fail now, not after hours of training.

        The batch is :meth:`probe_images` (checked first), the input
        channels of both networks are checked against ``input_shape``, then
        :meth:`probe_batch` runs, with the student in eval mode. Nothing is
        probed without ``input_shape``.
        """
        if self.input_shape is None:
            return
        with temporarily_eval(self.student):
            images = self.probe_images()
            check_input_channels(
                dict(teacher=self.teacher, student=self.student),
                self.input_shape)
            self.probe_batch(images)

    def finish_build(self) -> None:
        """Apply :attr:`runtime` (after the probe, so that compilation sees the
        training shapes first)."""
        apply_runtime(self, dict(teacher=self.teacher, student=self.student),
                      **self.runtime)

    def probe_images(self) -> torch.Tensor:
        """The probe's batch: two images of zeros of ``input_shape``."""
        return torch.zeros((2, ) + tuple(self.input_shape or ()))

    def probe_batch(self, images: torch.Tensor) -> None:
        """Check the networks on the probe's ``images``: by default teacher and
        student must predict the same number of classes."""
        check_class_counts(
            self.teacher(images, mode='tensor'),
            self.student(images, mode='tensor'))

    # ------------------------------------------------------------------
    # training helpers
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

    def update_student(self, losses: Dict[str, torch.Tensor],
                       student_ow: OptimWrapper) -> Dict[str, torch.Tensor]:
        """One step of the student on the sum of ``losses`` whose names hold
        'loss' (computed in ``student_ow.optim_context``).

        The sum is mmengine's ``parse_losses`` for the 0-dim losses of these
        algorithms without its arithmetic that leaves them unchanged (the
        mean of each, a start value 0): three operations and backward nodes
        fewer in every student step.

        Returns:
            dict: The losses as logged, their sum as ``loss_student``, and
            ``grad_norm_student`` when the wrapper clipped the gradients
            (:class:`~mmrazor_zs.engine.optimizers.DeviceOptimWrapper`).
        """
        for name, value in losses.items():
            if value.dim() != 0:
                raise ValueError(
                    f'The student loss `{name}` has shape '
                    f'{tuple(value.shape)}; a loss must be one number '
                    '(reduce it in the loss module).')
        loss = sum_of(value for name, value in losses.items()
                      if 'loss' in name)
        student_ow.update_params(loss)
        log_vars = {name: value.detach() for name, value in losses.items()}
        log_vars['loss_student'] = loss.detach()
        grad_norm = getattr(student_ow, 'grad_norm', None)
        if grad_norm is not None:
            log_vars['grad_norm_student'] = grad_norm.detach()
        return log_vars

    # ------------------------------------------------------------------
    # forward
    def loss(self, inputs: torch.Tensor, data_samples: List):
        """No loss mode by default: the data-free loops train through
        ``train_step``."""
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
            return self.loss(inputs, data_samples or [])
        raise RuntimeError(f'Invalid mode "{mode}". {type(self).__name__} '
                           'supports "tensor", "predict" and "loss".')
