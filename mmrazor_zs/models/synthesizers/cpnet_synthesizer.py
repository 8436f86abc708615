# Copyright (c) mmrazor_zs contributors. All rights reserved.
from typing import Any, Dict, List, Optional, Sequence, Tuple, cast

import torch
import torch.nn as nn

from mmrazor_zs.registry import MODELS
from mmrazor_zs.utils import temporarily_eval
from ..augments.differentiable import color_jitter, random_cutmix
from ..generators import CoupledGenerator
from ..losses.coupling_terms import (clamped_pseudo_inverse,
                                     label_feature_alignment,
                                     renormalize_to_running,
                                     stage_coupling_loss)
from ..utils.forward_recorder import ForwardRecorder
from .nayer_synthesizer import NAYERSynthesizer


def coupled_layer_shapes(teacher: nn.Module, input_shape: Sequence[int],
                         recorder: ForwardRecorder) -> List[Tuple[int, int]]:
    """(channels, size) of the inputs of the recorder's layers, measured on one
    image of zeros (the teacher in eval mode: its running statistics are not
    touched)."""
    with torch.no_grad(), temporarily_eval(teacher), recorder.record():
        teacher(torch.zeros((1, ) + tuple(input_shape)), mode='tensor')
    shapes = []
    for path, value in zip(recorder.paths, recorder.recorded()):
        if value.dim() != 4 or value.shape[2] != value.shape[3]:
            raise ValueError(
                f'The coupled teacher layer {path!r} sees an input of shape '
                f'{tuple(value.shape)}; CPNet couples square feature maps '
                '(N, C, S, S).')
        shapes.append((int(value.shape[1]), int(value.shape[2])))
    return shapes


def check_cpnet_settings(owner: str, modules: Dict[str, nn.Module],
                         bn_nodes: Sequence[str], classifier: str,
                         smoothing: float, cutmix_prob: Optional[float],
                         color_jitter: Optional[dict], channels: int,
                         generator: Any) -> None:
    """Refuse, by name, CPNet settings that cannot work with this teacher
    (``modules``: its modules by path; ``channels``: its input channels).

    Raises:
        ValueError: If ``bn_nodes`` is empty or names a layer that is not a
            ``BatchNorm2d``, ``classifier`` is not a ``Linear``, a setting
            is out of range, colour jitter is asked of a non-RGB teacher, or
            the generator config is not a ``CoupledGenerator``.
    """
    if not bn_nodes:
        raise ValueError(
            f'{owner} needs `bn_nodes`: the teacher\'s BatchNorm2d '
            'layers the generator\'s stages mirror, deepest first (e.g. '
            "['backbone.final_bn', 'backbone.group3.0.bn1', "
            "'backbone.group2.0.bn1', 'backbone.group1.0.bn1'] for the "
            'WRN-40-2 of configs/teachers/).')
    batch_norms = [
        p for p, m in modules.items() if isinstance(m, nn.BatchNorm2d)
    ]
    not_bn = [path for path in bn_nodes if path not in batch_norms]
    if not_bn:
        raise ValueError(
            f'`bn_nodes` of {owner} must name BatchNorm2d layers of the '
            f'teacher; {not_bn} are not. Its BatchNorm2d layers: '
            f'{batch_norms}.')
    if not isinstance(modules.get(classifier), nn.Linear):
        linears = [p for p, m in modules.items() if isinstance(m, nn.Linear)]
        raise ValueError(
            f'`classifier` of {owner} must name the teacher\'s last '
            f'Linear layer, but {classifier!r} is not a Linear; its '
            f'Linear layers: {linears}.')
    if not 0 < smoothing < 1:
        raise ValueError(f'`smoothing` of {owner} must be in (0, 1), but '
                         f'got {smoothing}.')
    if cutmix_prob is not None and not 0 <= cutmix_prob <= 1:
        raise ValueError(f'`cutmix_prob` of {owner} must be in [0, 1] or '
                         f'None, but got {cutmix_prob}.')
    if color_jitter is not None and channels != 3:
        raise ValueError(
            f'`color_jitter` of {owner} changes the colours of RGB '
            f'images, but the teacher takes {channels} channels; '
            'set `color_jitter=None`.')
    if isinstance(generator,
                  dict) and generator.get('type') != 'CoupledGenerator':
        raise ValueError(
            f'{owner} couples the stages of a CoupledGenerator to the '
            f'teacher, but its generator is a {generator.get("type")}; '
            "set `generator=dict(type='CoupledGenerator', ...)`.")


@MODELS.register_module()
class CPNetSynthesizer(NAYERSynthesizer):
    """CPNet's synthesis: NAYER's loops with a generator coupled to the
    teacher's stages, a feature-level alignment and CutMix.

    CPNet (ICCV 2025, "Coupling the Generator with Teacher for Effective
    Data-Free Knowledge Distillation"), as LannCX/CPNet 3f3d397 runs it
    (``datafree/synthesis/cpnet.py`` ``CoupledSynthesizer.synthesize``,
    lines 88-200). Every loop, rebuild and warm-up rule is NAYER's
    (:class:`NAYERSynthesizer`); what CPNet adds:

    - the generator is a :class:`CoupledGenerator` whose stages mirror the
      teacher's: ``bn_nodes`` names batch-norm layers of the teacher,
      deepest first (the code's ``_BN_NODES`` table, here a config value),
      and the shapes of their inputs, measured on the teacher when this is
      built, shape the generator;
    - the coupling term ``coupling_weight * sum_i MSE(g_i, t_i)``: ``g_i``
      the generator's map before stage ``i``, ``t_i`` the teacher's input
      at ``bn_nodes[i]`` on the augmented batch, standardised with its batch
      statistics (unbiased variance, blended with the batch-norm term's
      moving average once it has one, as the code's hooks do) and given
      the layer's running statistics, without history
      (:func:`renormalize_to_running`);
    - the alignment term ``alignment_weight *
      label_feature_alignment(f, y)`` on the input ``f`` of the teacher's
      ``classifier`` (a ``Linear``) and the loop's labels, from the first
      loop after the warm-up, as the adversarial term (the code adds it to
      ``loss_adv``, weighted by ``adv``); the classifier's clamped
      pseudo-inverse is taken at the start of every loop;
    - the code's colour jitter after the crop and flip (``color_jitter``);
    - CutMix (:func:`random_cutmix`, probability ``cutmix_prob`` per batch)
      of the augmented batch, with the class term's labels becoming the
      mixed soft targets (the code's ``loss_mixup``); ``None`` turns it off
      (the code's ``use_cutmix=False``).

    Args:
        teacher (nn.Module): The teacher.
        input_shape (Sequence[int]): The teacher's input (C, H, W).
        *args: :class:`NAYERSynthesizer`'s other positional arguments.
        bn_nodes (Sequence[str]): The coupled ``BatchNorm2d`` layers of the
            teacher, deepest first (required).
        classifier (str): The teacher's last ``Linear``. Defaults to
            'head.fc'.
        coupling_weight (float): Defaults to 1.0 (the code's unweighted
            ``loss_xn``).
        alignment_weight (float): Defaults to 1.33 (the scripts' ``--adv``).
        smoothing (float): The alignment's label smoothing. Defaults to 0.1.
        singular_floor (float): The pseudo-inverse's clamp. Defaults to
            0.1.
        cutmix_prob (float, optional): Defaults to 0.5.
        color_jitter (dict, optional): :func:`color_jitter` arguments
            (``brightness``, ``contrast``, ``saturation``, ``hue``, ``p``)
            after the crop and flip, for RGB teachers; the code's CIFAR and
            Tiny-ImageNet augmentation is ``dict(brightness=0.1,
            contrast=0.1, saturation=0.1, hue=0.1, p=0.4)``, which
            :class:`CPNet` sets. None: none. Defaults to None.
        **kwargs: :class:`NAYERSynthesizer`'s keyword arguments.

    Raises:
        ValueError: If ``bn_nodes`` is empty or names a layer that is not a
            ``BatchNorm2d``, ``classifier`` is not a ``Linear``, or a
            setting is out of range.
    """

    def __init__(self,
                 teacher: nn.Module,
                 input_shape: Sequence[int],
                 *args,
                 bn_nodes: Sequence[str] = (),
                 classifier: str = 'head.fc',
                 coupling_weight: float = 1.0,
                 alignment_weight: float = 1.33,
                 smoothing: float = 0.1,
                 singular_floor: float = 0.1,
                 cutmix_prob: Optional[float] = 0.5,
                 color_jitter: Optional[dict] = None,
                 **kwargs) -> None:
        owner = type(self).__name__
        modules = dict(teacher.named_modules())
        check_cpnet_settings(owner, modules, bn_nodes, classifier, smoothing,
                             cutmix_prob, color_jitter, input_shape[0],
                             kwargs.get('generator'))
        # plain attributes, set before nn.Module's own: the generator's
        # layout (generator_defaults) follows the teacher's coupled layers;
        # the teacher's layers are held in lists, not as submodules
        self.node_recorder = ForwardRecorder(
            teacher, bn_nodes, source='input', role='teacher')
        self.stage_shapes = coupled_layer_shapes(teacher, input_shape,
                                                 self.node_recorder)
        self.classifier_recorder = ForwardRecorder(
            teacher, [classifier], source='input', role='teacher')
        self.node_layers = [
            cast(nn.BatchNorm2d, modules[path]) for path in bn_nodes
        ]
        self.classifier_path = classifier
        self.classifier_layer = [cast(nn.Linear, modules[classifier])]
        self.bn_nodes = list(bn_nodes)
        self.coupling_weight = coupling_weight
        self.alignment_weight = alignment_weight
        self.smoothing = smoothing
        self.singular_floor = singular_floor
        self.cutmix_prob = cutmix_prob
        self.color_jitter = None if color_jitter is None else dict(
            color_jitter)
        super().__init__(teacher, input_shape, *args, **kwargs)
        if not isinstance(self.generator, CoupledGenerator):
            raise ValueError(
                f'{owner} couples the stages of a CoupledGenerator to the '
                f'teacher, but its generator is a '
                f'{type(self.generator).__name__}; set '
                "`generator=dict(type='CoupledGenerator', ...)`.")

    def generator_defaults(self) -> Dict[str, Any]:
        """NAYER's, and the coupled layers' shapes."""
        return dict(
            super().generator_defaults(), stage_shapes=self.stage_shapes)

    def begin_round(self, round_index: int,
                    rng: torch.Generator) -> List[torch.Tensor]:
        """NAYER's loop set-up; the classifier's pseudo-inverse and bias,
        whether the alignment term runs this loop and whether the coupling
        targets blend in the batch-norm average."""
        tensors = super().begin_round(round_index, rng)
        statistics = self.losses.bn_statistics
        # the average changes between loops only
        self._round['blend'] = (
            statistics is not None and statistics.momentum is not None
            and statistics.has_moving_average)
        self._round['alignment'] = (
            self.alignment_weight != 0
            and round_index >= self.student_terms_from_round)
        if self._round['alignment']:
            classifier = self.classifier_layer[0]
            self._round['inverse'] = clamped_pseudo_inverse(
                classifier.weight.T, self.singular_floor)
            self._round['bias'] = torch.zeros(
                classifier.out_features, device=classifier.weight.device
            ) if classifier.bias is None else classifier.bias
        return tensors

    def render(self) -> torch.Tensor:
        """The generator's pixels; its stage maps kept for the coupling."""
        pixels, maps = cast(CoupledGenerator,
                            self.generator).forward_stages(self.round_labels)
        self._round['maps'] = maps
        return pixels

    def augment(self, pixels: torch.Tensor,
                rng: torch.Generator) -> torch.Tensor:
        """The crop and flip, then the colour jitter when set."""
        pixels = super().augment(pixels, rng)
        if self.color_jitter is None:
            return pixels
        return color_jitter(pixels, generator=rng, **self.color_jitter)

    def mix(self, view: torch.Tensor, labels: torch.Tensor,
            rng: torch.Generator) -> Tuple[torch.Tensor, torch.Tensor]:
        """CutMix of the view, the labels becoming soft targets."""
        if self.cutmix_prob is None:
            return view, labels
        return random_cutmix(view, labels, self.num_classes, self.cutmix_prob,
                             rng)

    def teacher_view_inputs(self, teacher: nn.Module,
                            view: torch.Tensor) -> Dict[str, torch.Tensor]:
        """The terms' teacher inputs, recording the coupled layers' and the
        classifier's inputs on the way."""
        with self.node_recorder.record(), self.classifier_recorder.record():
            return super().teacher_view_inputs(teacher, view)

    def coupling_targets(self) -> List[torch.Tensor]:
        """The teacher's recorded inputs at the coupled layers, renormalised to
        each layer's running statistics (no history)."""
        statistics = self.losses.bn_statistics
        paths = statistics.paths if statistics is not None else []
        blend = self._round['blend']
        targets = []
        for path, layer, inputs in zip(self.bn_nodes, self.node_layers,
                                       self.node_recorder.recorded()):
            var, mean = torch.var_mean(
                inputs.detach().float(), dim=(0, 2, 3), unbiased=True)
            if blend:
                assert statistics is not None and statistics.momentum
                m, index = statistics.momentum, paths.index(path)
                mean = (1 - m) * mean + m * getattr(statistics,
                                                    f'average_mean_{index}')
                var = (1 - m) * var + m * getattr(statistics,
                                                  f'average_var_{index}')
            targets.append(
                renormalize_to_running(inputs, mean, var,
                                       cast(torch.Tensor, layer.running_mean),
                                       cast(torch.Tensor, layer.running_var)))
        return targets

    def extra_losses(self, teacher: nn.Module, pixels: torch.Tensor,
                     inputs: Dict[str, torch.Tensor],
                     rng: torch.Generator) -> Dict[str, torch.Tensor]:
        """The coupling term, and the alignment term after the warm-up."""
        losses = dict(
            coupling=self.coupling_weight *
            stage_coupling_loss(self._round['maps'], self.coupling_targets()))
        if self._round['alignment']:
            features, = self.classifier_recorder.recorded()
            losses['alignment'] = self.alignment_weight * \
                label_feature_alignment(
                    features, self.round_labels, self._round['inverse'],
                    self._round['bias'], self.smoothing)
        return losses
