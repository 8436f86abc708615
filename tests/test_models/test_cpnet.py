# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""CPNet: the coupled generator by hand, the coupling and alignment terms by
hand, CutMix and its soft targets, the reversed adversarial KL, the coupled
layers measured on the teacher, gradient hygiene and exact reload of what a
loop carries to the next.

The coupling's gradient check also runs on a wrong implementation (a target
with history) that it must catch.
"""
import math

import pytest
import torch
import torch.nn.functional as F
import torchvision.transforms.functional as TF

import mmrazor_zs.models.synthesizers.cpnet_synthesizer as cpnet_module
from mmrazor_zs.models import CPNet
from mmrazor_zs.models.augments.differentiable import (color_jitter,
                                                       random_cutmix)
from mmrazor_zs.models.generators import CoupledGenerator
from mmrazor_zs.models.losses import AgreementMaskedKL, LabelCrossEntropy
from mmrazor_zs.models.losses.coupling_terms import (clamped_pseudo_inverse,
                                                     label_feature_alignment,
                                                     renormalize_to_running,
                                                     stage_coupling_loss)
from mmrazor_zs.models.utils.keyed_random import keyed_generator
from mmrazor_zs.testing import (same_state, state_copy,
                                synthesis_round_is_clean, tiny_inversion_cfg)

EMBEDDINGS = dict(type='random', dim=6, seed=0)
NODES = ['backbone.stages.1.1', 'backbone.stages.0.1']


def _cpnet(warmup_epochs=0, warmup_loops=1, loops=1, **synthesizer):
    settings = dict(
        batch_size=23,
        steps=3,
        bn_nodes=NODES,
        color_jitter=None,  # grey tiny teacher
        generator=dict(label_embeddings=EMBEDDINGS, noise_dim=8))
    settings.update(synthesizer)
    return CPNet(**tiny_inversion_cfg(
        warmup_epochs=warmup_epochs,
        warmup_loops=warmup_loops,
        loops=loops,
        synthesizer=settings))


def _synthesize(model, round_index=0):
    return model.synthesizer.synthesize(model.teacher, model.student,
                                        round_index,
                                        keyed_generator((round_index, )))


# ----------------------------------------------------------------------
# the coupled generator
def _generator(stage_shapes=((8, 5), (4, 10))):
    return CoupledGenerator(
        label_embeddings=EMBEDDINGS,
        num_classes=10,
        batch_size=20,
        stage_shapes=stage_shapes,
        noise_dim=8,
        out_channels=1,
        img_size=32)


def _batch_norm(x, layer):
    return F.batch_norm(x, None, None, layer.weight, layer.bias, True)


def test_coupled_generator_by_hand():
    generator = _generator()
    generator.reset_noisy_layers(keyed_generator((1, )))
    labels = torch.arange(20) % 10
    codes = generator.codes(labels)
    x0 = _batch_norm(
        generator.seed(codes).view(20, 8, 5, 5), generator.seed_norm)
    conv, norm = generator.stages[0][1], generator.stages[0][2]
    x1 = F.leaky_relu(
        _batch_norm(
            F.conv2d(
                F.interpolate(x0, scale_factor=2), conv.weight, padding=1),
            norm), 0.2)
    last = generator.stages[1][1]
    images = torch.sigmoid(
        F.conv2d(
            F.interpolate(x1, size=32), last.weight, last.bias, padding=1))
    got, maps = generator.forward_stages(labels)
    assert torch.allclose(got, images, atol=1e-6)
    assert [tuple(m.shape[1:]) for m in maps] == [(8, 5, 5), (4, 10, 10)]
    assert torch.allclose(maps[0], x0, atol=1e-6)
    assert torch.allclose(maps[1], x1, atol=1e-6)
    assert last.bias is not None and conv.bias is None


def test_the_generator_refuses_shapes_that_shrink_towards_the_image():
    with pytest.raises(ValueError, match='deepest first'):
        _generator(stage_shapes=((4, 10), (8, 5)))
    with pytest.raises(ValueError, match='deepest first'):
        _generator(stage_shapes=())


# ----------------------------------------------------------------------
# the coupling term
def test_renormalize_to_running_by_hand():
    x = torch.tensor([[[[1., 3.]]], [[[5., 7.]]]], requires_grad=True)
    var, mean = torch.var_mean(x, dim=(0, 2, 3), unbiased=True)
    assert torch.allclose(var, torch.tensor([20 / 3]))
    target = renormalize_to_running(x, mean, var, torch.tensor([2.]),
                                    torch.tensor([4.]))
    expected = (torch.tensor([1., 3., 5., 7.]) - 4) / math.sqrt(20 / 3) * 2 + 2
    assert torch.allclose(target.flatten(), expected)
    assert not target.requires_grad


def test_stage_coupling_loss_by_hand():
    a, b = torch.zeros(2, 1, 2, 2), torch.ones(2, 3, 1, 1)
    ta, tb = torch.full_like(a, 2.), torch.full_like(b, -1.)
    assert torch.isclose(
        stage_coupling_loss([a, b], [ta, tb]), torch.tensor(4. + 4.))
    with pytest.raises(ValueError, match=r'map 1 has shape \(2, 3, 1, 1\)'):
        stage_coupling_loss([a, b], [ta, torch.ones(2, 3, 2, 2)])


# ----------------------------------------------------------------------
# the alignment term
def _code_compute_pinv(mat, threshold):
    """The released code's ``compute_pinv`` (full SVD and a loop)."""
    u, s, v = torch.linalg.svd(mat)
    s = torch.clamp(s, min=threshold)
    sigma_pinv = torch.zeros_like(mat).t()
    for i in range(min(u.shape[1], v.shape[0])):
        sigma_pinv[i, i] = 1 / s[i]
    return v.t() @ sigma_pinv @ u.t()


def test_the_clamped_pseudo_inverse_is_the_codes():
    torch.manual_seed(0)
    u, _ = torch.linalg.qr(torch.randn(12, 5))
    v, _ = torch.linalg.qr(torch.randn(5, 5))
    matrix = u @ torch.diag(torch.tensor([3., 1., .5, .05, .001])) @ v.T
    got = clamped_pseudo_inverse(matrix, 0.1)
    assert torch.allclose(got, _code_compute_pinv(matrix, 0.1), atol=1e-5)
    # the two smallest singular values are clamped: not the exact inverse
    assert not torch.allclose(got, torch.linalg.pinv(matrix), atol=1e-2)
    well = u @ torch.diag(torch.tensor([3., 2., 1., .5, .4])) @ v.T
    assert torch.allclose(
        clamped_pseudo_inverse(well, 0.1), torch.linalg.pinv(well), atol=1e-5)


def test_label_feature_alignment_by_hand():
    """With orthonormal classifier rows the pseudo-inverse of W^T is W: a
    feature that gives the smoothed target's logits plus a shift of every logit
    has |cos| 1; plus a direction the logits do not see, 0."""
    torch.manual_seed(0)
    q, _ = torch.linalg.qr(torch.randn(16, 10))
    weight, bias = q.T, torch.randn(10)  # W: 10 x 16, orthonormal rows
    inverse = clamped_pseudo_inverse(weight.T, 0.1)
    assert torch.allclose(inverse, weight, atol=1e-5)
    labels = torch.tensor([3, 7])
    delta = math.log(0.9 * 9 / 0.1)
    onehot = F.one_hot(labels, 10).float()
    exact = (onehot * delta - bias) @ weight  # W f + b = delta * y
    probs = (exact @ weight.T + bias).softmax(1)
    assert torch.allclose(probs[[0, 1], labels], torch.tensor([0.9, 0.9]))
    shift = torch.ones(10) @ weight
    shifted = exact + torch.tensor([[2.], [-0.5]]) * shift
    assert torch.isclose(
        label_feature_alignment(shifted, labels, inverse, bias, 0.1),
        torch.tensor(1.))
    unseen = torch.linalg.svd(weight)[2][-1]  # in the null space of W
    assert torch.isclose(
        label_feature_alignment(exact + unseen, labels, inverse, bias, 0.1),
        torch.tensor(0.),
        atol=1e-5)


# ----------------------------------------------------------------------
# CutMix and the reversed KL
def test_cutmix_pastes_a_box_of_a_partner_and_mixes_the_targets():
    n = 6
    images = torch.arange(n).float()[:, None, None,
                                     None].expand(n, 1, 8,
                                                  8).clone().requires_grad_()
    labels = torch.arange(n)
    mixed, targets = random_cutmix(images, labels, 10, 1.0,
                                   keyed_generator((3, )))
    mixed.sum().backward()
    # every output pixel comes from exactly one input pixel
    assert images.grad.sum() == mixed.numel()
    assert set(images.grad.unique().tolist()) <= {0., 1., 2.}
    assert torch.allclose(targets.sum(1), torch.ones(n))
    for i in range(n):
        for j in targets[i].nonzero().flatten().tolist():
            assert torch.isclose(targets[i, j], (mixed[i] == j).float().mean())
    assert (targets < 1).any(), 'some image got a box of another'


def test_cutmix_off_keeps_the_batch_and_the_stream():
    images = torch.rand(4, 1, 8, 8)
    labels = torch.tensor([1, 2, 3, 4])
    rng_off, rng_on = keyed_generator((5, )), keyed_generator((5, ))
    same, targets = random_cutmix(images, labels, 10, 0.0, rng_off)
    assert same is images
    assert torch.equal(targets, F.one_hot(labels, 10).float())
    random_cutmix(images, labels, 10, 1.0, rng_on)
    assert torch.equal(
        torch.rand(3, generator=rng_off), torch.rand(3, generator=rng_on))


def test_the_class_term_on_mixed_targets_is_the_codes_loss_mixup():
    logits = torch.randn(5, 10)
    y_a, y_b = torch.tensor([0, 1, 2, 3, 4]), torch.tensor([4, 4, 2, 0, 1])
    share = torch.tensor([0.0, 0.25, 0.5, 0.1, 1.0])
    soft = (1 - share)[:, None] * F.one_hot(y_a, 10) + share[:, None] * \
        F.one_hot(y_b, 10)
    code = ((1 - share) * F.cross_entropy(logits, y_a, reduction='none') +
            share * F.cross_entropy(logits, y_b, reduction='none')).mean()
    assert torch.isclose(LabelCrossEntropy()(logits, soft.float()), code)


@pytest.mark.parametrize('step, reference', [
    ('brightness', TF.adjust_brightness),
    ('contrast', TF.adjust_contrast),
    ('saturation', TF.adjust_saturation),
    ('hue', TF.adjust_hue),
])
def test_each_colour_step_is_torchvisions(step, reference, monkeypatch):
    """One step at a time with a known factor per image, against torchvision's
    per-image functions (kornia and torchvision agree)."""
    torch.manual_seed(0)
    images = torch.rand(4, 3, 6, 6)
    factors = torch.tensor([0.9, 1.05, 1.1, 0.95]) if step != 'hue' else \
        torch.tensor([-0.1, 0.03, 0.08, 0.0])
    ranges = dict(brightness=0.0, contrast=0.0, saturation=0.0, hue=0.0)
    ranges[step] = 0.1
    draws = iter([torch.zeros(4)] + [  # the gate (all chosen) ...
        (factors - (1 - ranges[name] if name != 'hue' else -ranges[name])) /
        (2 * ranges[name]) if name == step else torch.full((4, ), 0.5)
        for name in ('brightness', 'contrast', 'saturation', 'hue')
    ])  # ... then uniforms giving the factors

    def rand(n, generator=None):
        return next(draws)

    monkeypatch.setattr('mmrazor_zs.models.augments.differentiable.torch.rand',
                        rand)
    got = color_jitter(
        images, p=1.0, generator=keyed_generator((0, )), **ranges)
    expected = torch.stack(
        [reference(x, float(f)) for x, f in zip(images, factors)])
    assert torch.allclose(got, expected, atol=1e-5)


def test_colour_jitter_touches_only_the_chosen_images_and_keeps_gradients():
    images = torch.rand(64, 3, 5, 5, requires_grad=True)
    out = color_jitter(images, p=0.4, generator=keyed_generator((4, )))
    changed = (out != images).flatten(1).any(1)
    assert 10 < int(changed.sum()) < 45  # about 0.4 of 64
    out.sum().backward()
    assert images.grad is not None and images.grad.abs().sum() > 0
    assert torch.equal(
        color_jitter(images, p=0.0, generator=keyed_generator((4, ))), images)


def test_the_reversed_adversarial_kl_by_hand():
    student = torch.tensor([[2., 0., 0.], [0., 1., 0.]])
    teacher = torch.tensor([[1., 0., 0.], [0., 0., 3.]])  # image 1 disagrees
    p_s, p_t = student.softmax(1), teacher.softmax(1)
    kl_st = (p_s[0] * (p_s[0] / p_t[0]).log()).sum()
    kl_ts = (p_t[0] * (p_t[0] / p_s[0]).log()).sum()
    assert torch.isclose(
        AgreementMaskedKL(reverse=True)(student, teacher), kl_st / 2)
    assert torch.isclose(AgreementMaskedKL()(student, teacher), kl_ts / 2)
    assert not torch.isclose(kl_st, kl_ts)


# ----------------------------------------------------------------------
# the synthesizer
def test_the_generator_follows_the_coupled_layers_of_the_teacher():
    model = _cpnet()
    assert model.synthesizer.stage_shapes == [(12, 10), (6, 28)]
    assert model.synthesizer.generator.stage_shapes == [(12, 10), (6, 28)]
    # measured in eval mode: the teacher's running statistics untouched
    assert all(not layer.num_batches_tracked
               for layer in model.synthesizer.node_layers)


@pytest.mark.parametrize('settings, message', [
    (dict(bn_nodes=[]), 'needs `bn_nodes`'),
    (dict(bn_nodes=['backbone.stages.1.0']), 'must name BatchNorm2d'),
    (dict(classifier='backbone'), 'must name the teacher\'s last Linear'),
    (dict(smoothing=1.0), r'`smoothing` .* \(0, 1\)'),
    (dict(cutmix_prob=2.0), r'`cutmix_prob` .* \[0, 1\]'),
    (dict(color_jitter=dict(p=0.4)), 'teacher takes 1 channels'),
    (dict(generator=dict(type='NoisyLayerGenerator')),
     'couples the stages of a CoupledGenerator'),
])
def test_bad_settings_are_refused_by_name(settings, message):
    if 'generator' in settings:
        settings['generator'].update(label_embeddings=EMBEDDINGS)
    with pytest.raises(ValueError, match=message):
        _cpnet(**settings)


def _node_inputs(model, view):
    """The teacher's inputs at the coupled layers on ``view``, by hooks of the
    test's own."""
    seen = {}
    modules = dict(model.teacher.named_modules())

    def keep(path):
        return lambda m, inputs, out: seen.__setitem__(path, inputs[0])

    handles = [
        modules[path].register_forward_hook(keep(path)) for path in NODES
    ]
    with torch.no_grad():
        model.teacher(view, mode='tensor')
    for handle in handles:
        handle.remove()
    return [seen[path] for path in NODES]


def test_coupling_targets_blend_in_the_batch_norm_average_after_a_loop():
    model = _cpnet()
    synthesizer = model.synthesizer
    statistics = synthesizer.losses.bn_statistics
    view = torch.randn(7, 1, 32, 32)
    for blended in (False, True):
        synthesizer.begin_round(int(blended), keyed_generator((9, )))
        synthesizer.teacher_view_inputs(model.teacher, view)
        got = synthesizer.coupling_targets()
        for path, inputs, target in zip(NODES, _node_inputs(model, view), got):
            layer = dict(model.teacher.named_modules())[path]
            var, mean = torch.var_mean(inputs, dim=(0, 2, 3), unbiased=True)
            if blended:
                index = statistics.paths.index(path)
                mean = 0.1 * mean + 0.9 * getattr(statistics,
                                                  f'average_mean_{index}')
                var = 0.1 * var + 0.9 * getattr(statistics,
                                                f'average_var_{index}')
            expected = (inputs - mean[:, None, None]) / var.sqrt()[
                :, None, None] * layer.running_var.sqrt()[:, None, None] + \
                layer.running_mean[:, None, None]
            assert torch.allclose(target, expected, atol=1e-5)
        _synthesize(model)  # sets the moving average


def _coupling_gradient_is_the_detached_targets(model) -> bool:
    synthesizer = model.synthesizer
    synthesizer.begin_round(0, keyed_generator((0, )))
    synthesizer.round_labels = torch.arange(23) % 10
    pixels = synthesizer.render()
    view = synthesizer.pixel_space.normalize(pixels)
    inputs = synthesizer.teacher_view_inputs(model.teacher, view)
    params = [p for p in synthesizer.generator.parameters()]
    loss = synthesizer.extra_losses(model.teacher, pixels, inputs,
                                    keyed_generator((1, )))['coupling']
    got = torch.autograd.grad(
        loss, params, allow_unused=True, retain_graph=True)
    targets = [t.detach() for t in synthesizer.coupling_targets()]
    reference = synthesizer.coupling_weight * sum(
        F.mse_loss(m, t) for m, t in zip(synthesizer._round['maps'], targets))
    expected = torch.autograd.grad(reference, params, allow_unused=True)
    return all((a is None and b is None) or torch.allclose(a, b, atol=1e-6)
               for a, b in zip(got, expected))


def test_the_coupling_trains_the_generator_towards_fixed_targets(monkeypatch):
    assert _coupling_gradient_is_the_detached_targets(_cpnet())

    def with_history(inputs, mean, var, running_mean, running_var):
        return (inputs - mean[None, :, None, None]
                ) / var.sqrt()[None, :, None, None] * running_var.sqrt()[
                    None, :, None, None] + running_mean[None, :, None, None]

    monkeypatch.setattr(cpnet_module, 'renormalize_to_running', with_history)
    assert not _coupling_gradient_is_the_detached_targets(_cpnet())


def test_a_cpnet_round_touches_only_its_own_tensors():
    """From round 0 (no warm-up): the adversarial and alignment terms run."""
    model = _cpnet()
    assert 'synthesis/alignment' in _synthesize(model).log_vars
    assert synthesis_round_is_clean(model)


def test_the_alignment_starts_with_the_adversarial_term():
    model = _cpnet(warmup_epochs=1, warmup_loops=2)
    assert model.synthesizer.student_terms_from_round == 2
    for round_index, expected in ((0, False), (1, False), (2, True)):
        log = _synthesize(model, round_index).log_vars
        assert ('synthesis/alignment' in log) is expected
        assert ('synthesis/adversarial' in log) is expected
        assert 'synthesis/coupling' in log


def test_a_reloaded_synthesizer_makes_the_same_next_round():
    """The generator, its BN and the batch-norm averages travel in the state
    dict, and with them the next loop's coupling targets."""

    def build():
        return _cpnet(warmup_epochs=1, warmup_loops=4)

    model = build()
    for round_index in range(2):
        _synthesize(model, round_index)
    fresh = build()
    fresh.load_state_dict(model.state_dict())
    expected, got = _synthesize(model, 2), _synthesize(fresh, 2)
    assert torch.equal(expected.pixels, got.pixels)
    assert same_state(
        state_copy(model.synthesizer), state_copy(fresh.synthesizer))


def test_cpnet_defaults_are_the_authors_cifar100_recipe():
    defaults = CPNet.synthesizer_defaults
    assert (defaults['type'], defaults['batch_size'], defaults['steps'],
            defaults['lr_g']) == ('CPNetSynthesizer', 400, 40, 4e-3)
    weights = {k: v['loss_weight'] for k, v in defaults['losses'].items()}
    assert weights == dict(bn=10.0, onehot=0.5, adversarial=-1.33)
    assert defaults['losses']['adversarial']['reverse'] is True
    assert (defaults['alignment_weight'], defaults['cutmix_prob']) == (1.33,
                                                                       0.5)
    assert defaults['color_jitter'] == dict(
        brightness=0.1, contrast=0.1, saturation=0.1, hue=0.1, p=0.4)
    model = _cpnet(
        warmup_epochs=20,
        warmup_loops=10,
        loops=2,
        generator=dict(label_embeddings=EMBEDDINGS))
    assert model.warmup_rounds == 200 and model.rounds_per_interval == 2
    synthesizer = model.synthesizer
    assert synthesizer.coupling_weight == 1.0
    assert (synthesizer.smoothing, synthesizer.singular_floor) == (0.1, 0.1)
    assert synthesizer.losses.bn_statistics.momentum == 0.9
    assert synthesizer.generator.noise_dim == 1000  # kept key by key
