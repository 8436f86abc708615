# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Image priors, differentiable batch augmentations and the round's backward of
the inversion methods, against values worked out by hand."""
import math

import pytest
import torch
import torch.nn.functional as F

from mmrazor_zs.models.augments.differentiable import (jitter_and_flip,
                                                       random_crop_flip,
                                                       random_resized_crop)
from mmrazor_zs.models.losses import L2Prior, TotalVariationPrior
from mmrazor_zs.models.synthesizers import inversion_synthesizer
from mmrazor_zs.models.synthesizers.inversion_synthesizer import round_backward
from mmrazor_zs.models.utils.bn_statistics import ChannelMeanVar

# one 2 x 2 image: horizontal differences -1, -2; vertical -2, -3; the
# diagonals 2 - 1 = 1 and 0 - 4 = -4
IMAGE = torch.tensor([[[[0.0, 1.0], [2.0, 4.0]]]])


def test_total_variation_in_both_originals_forms():
    norm = math.sqrt(5) + math.sqrt(13) + 1 + 4
    assert TotalVariationPrior('norm')(IMAGE).item() == pytest.approx(norm)
    assert TotalVariationPrior('mean_abs')(IMAGE).item() == pytest.approx(1.5 +
                                                                          2.5 +
                                                                          1 +
                                                                          4)
    assert TotalVariationPrior(
        'norm', loss_weight=2)(IMAGE).item() == (
            pytest.approx(2 * norm))
    with pytest.raises(
            ValueError,
            match="`form` of TotalVariationPrior must be one of 'norm' or "
            "'mean_abs', but got 'l1'"):
        TotalVariationPrior('l1')
    with pytest.raises(
            ValueError,
            match="`image` of L2Prior must be one of 'augmented' or "
            "'synthesized', but got 'raw'"):
        L2Prior(image='raw')


def test_l2_prior_is_the_unsquared_norm_of_the_batch():
    assert L2Prior()(IMAGE).item() == pytest.approx(math.sqrt(21))


def _rng(seed=0):
    return torch.Generator().manual_seed(seed)


def test_jitter_and_flip_rolls_the_whole_batch_and_keeps_gradients():
    images = torch.arange(2 * 3 * 8 * 8, dtype=torch.float).view(2, 3, 8, 8)
    images.requires_grad_(True)
    out = jitter_and_flip(images, max_shift=2, flip=True, generator=_rng())
    again = jitter_and_flip(images, 2, True, generator=_rng())
    assert torch.equal(out, again)  # a function of the generator's state
    # the same roll and flip for every image: some (dy, dx, flip) explains
    # the whole batch
    candidates = [
        torch.roll(images, (dy, dx),
                   (2,
                    3)).flip(3) if f else torch.roll(images, (dy, dx), (2, 3))
        for dy in range(-2, 3) for dx in range(-2, 3) for f in (False, True)
    ]
    assert any(torch.equal(out, c) for c in candidates)
    out.sum().backward()
    assert torch.equal(images.grad, torch.ones_like(images))


def test_random_crop_flip_takes_a_window_of_the_padded_image_per_image():
    torch.manual_seed(0)
    images = torch.randn(6, 2, 5, 5, requires_grad=True)
    assert torch.equal(
        random_crop_flip(images, padding=0, flip=False, generator=_rng()),
        images)
    out = random_crop_flip(images, padding=2, generator=_rng(3))
    padded = F.pad(images, (2, ) * 4)
    offsets = set()
    for i in range(6):
        windows = {
            (top, left, f):
            padded[i, :, top:top + 5,
                   left:left + 5].flip(-1) if f else padded[i, :, top:top + 5,
                                                            left:left + 5]
            for top in range(5) for left in range(5) for f in (False, True)
        }
        found = [k for k, w in windows.items() if torch.equal(out[i], w)]
        assert found, f'image {i} is not a window of its padded self'
        offsets.add(found[0])
    assert len(offsets) > 1  # per image, not one draw for the batch
    out.sum().backward()
    assert images.grad.max() <= 1 and images.grad.sum() > 0


def test_random_resized_crop_is_the_identity_at_full_scale_and_keeps_grads():
    images = torch.randn(3, 2, 8, 8, requires_grad=True)
    same = random_resized_crop(
        images, scale=(1, 1), ratio=(1, 1), generator=_rng())
    assert torch.allclose(same, images, atol=1e-6)
    out = random_resized_crop(images, generator=_rng(1))
    assert out.shape == images.shape
    assert torch.equal(out, random_resized_crop(images, generator=_rng(1)))
    assert not torch.allclose(out, images)
    out.sum().backward()
    assert images.grad is not None and images.grad.abs().sum() > 0


def test_a_generator_term_can_read_the_generated_images():
    """An image prior joins a generator's terms through ``inputs``."""
    from mmrazor_zs.registry import MODELS
    from mmrazor_zs.testing import (generator_student_wrappers,
                                    tiny_generator_family_cfg)
    from mmrazor_zs.utils import register_all_modules
    register_all_modules()
    terms = dict(
        bn=dict(type='BatchNormStatisticsLoss'),
        tv=dict(type='TotalVariationPrior', loss_weight=1.0))
    model = MODELS.build(
        tiny_generator_family_cfg('DFQ', generator_losses=terms))
    log = model.train_step(
        None, generator_student_wrappers(model, 0.1, 0.1, kind='SGD'))
    assert log['generator/tv'].item() > 0
    assert log['loss_generator'].item() == pytest.approx(
        log['generator/tv'].item() + log['generator/bn'].item(), rel=1e-5)


def test_js_competition_as_both_codes_compute_it():
    from mmrazor_zs.models.losses import JensenShannonCompetition

    # tau 1, two classes: P = softmax(0, 0) = (0.5, 0.5); Q = softmax(ln 4, 0)
    # = (0.8, 0.2); M = (0.65, 0.35); no clamping is active
    student = torch.tensor([[0.0, 0.0]])
    teacher = torch.tensor([[math.log(4.0), 0.0]])
    m = (0.65, 0.35)

    def kl(a, b):  # KL(a || b)
        return sum(x * math.log(x / y) for x, y in zip(a, b))

    js = (kl(m, (0.5, 0.5)) + kl(m, (0.8, 0.2))) / 2
    zju = JensenShannonCompetition(tau=1.0)
    assert zju(student, teacher).item() == pytest.approx(js, rel=1e-5)
    nvlabs = JensenShannonCompetition(tau=1.0, form='nvlabs')
    assert nvlabs(student, teacher).item() == pytest.approx(1 - js, rel=1e-5)
    # the reversed direction is what the codes compute: the textbook
    # KL(P || M) + KL(Q || M) gives a different number here
    textbook = (kl((0.5, 0.5), m) + kl((0.8, 0.2), m)) / 2
    assert abs(textbook - js) > 1e-4
    # identical beliefs: no divergence; tau softens both sides
    assert zju(teacher, teacher).item() == pytest.approx(0.0, abs=1e-7)
    with pytest.raises(
            ValueError,
            match="`form` of JensenShannonCompetition must be one of 'zju' "
            "or 'nvlabs', but got 'textbook'"):
        JensenShannonCompetition(form='textbook')


def test_js_competition_clamps_confident_beliefs():
    from mmrazor_zs.models.losses import JensenShannonCompetition

    # P = (1, 0) up to float: clamped to (0.99, 0.01); Q = (0, 1) likewise;
    # M = (0.5, 0.5) is inside the clamp; both halves are equal
    student = torch.tensor([[50.0, 0.0]])
    teacher = torch.tensor([[0.0, 50.0]])
    expected = (0.5 * math.log(0.5 / 0.99) + 0.5 * math.log(0.5 / 0.01))
    assert JensenShannonCompetition(tau=1.0)(student, teacher).item() == (
        pytest.approx(expected, rel=1e-5))


# ----------------------------------------------------------------------
# the round's backward, done once by the synthesizer base
def test_round_backward_fills_the_round_tensors_only_and_afresh():
    a = torch.tensor([2.0], requires_grad=True)
    b = torch.tensor([3.0], requires_grad=True)  # a weight of the networks
    a.grad = torch.tensor([100.0])  # a stale gradient of an earlier step
    round_backward((a * a * b).sum(), [a])
    assert a.grad.tolist() == [12.0]  # 2 a b, not added to the stale one
    assert b.grad is None


def test_the_base_keeps_every_round_clean_and_the_check_sees_a_leak(
        monkeypatch):
    """No synthesizer calls ``backward`` itself: the base's
    :func:`round_backward` keeps the student and the teacher without a
    gradient for all of them; with the base mutated into the released codes'
    plain ``loss.backward()`` the same check fails."""
    from mmrazor_zs.models import ADI, CMI, Fast
    from mmrazor_zs.testing import synthesis_round_is_clean, tiny_inversion_cfg
    generator = dict(
        type='PixelGenerator',
        latent_dim=8,
        seed_channels=8,
        hidden_channels=(8, 4))
    models = [
        ADI(**tiny_inversion_cfg()),
        CMI(**tiny_inversion_cfg(
            synthesizer=dict(
                batch_size=6,
                steps=3,
                bank_size=12,
                negatives=4,
                generator=generator))),
        Fast(**tiny_inversion_cfg(
            warmup_rounds=0,
            synthesizer=dict(batch_size=6, steps=3, generator=generator)))
    ]
    assert all(synthesis_round_is_clean(model) for model in models)

    def plain_backward(loss, tensors, loss_scale=1.0):
        loss.backward()

    monkeypatch.setattr(inversion_synthesizer, 'round_backward',
                        plain_backward)
    assert not any(synthesis_round_is_clean(model) for model in models)


def test_a_synthesizer_takes_the_pixel_space_of_the_teacher_input():
    from mmrazor_zs.models.synthesizers import DeepInversionSynthesizer
    from mmrazor_zs.registry import MODELS
    from mmrazor_zs.testing import tiny_classifier_cfg
    from mmrazor_zs.utils import PixelSpace
    teacher = MODELS.build(tiny_classifier_cfg(batch_norm=True))
    settings = dict(
        teacher=teacher,
        input_shape=(1, 32, 32),
        num_classes=10,
        losses=dict(bn=dict(type='BatchNormStatisticsLoss')))
    with pytest.raises(
            ValueError,
            match=r"`pixel_space` of DeepInversionSynthesizer must have 1 "
            r"channels \(the teacher's input\), but got 3"):
        DeepInversionSynthesizer(
            pixel_space=PixelSpace([0.] * 3, [1.] * 3), **settings)
    synthesizer = DeepInversionSynthesizer(
        pixel_space=PixelSpace([127.5], [127.5]), **settings)
    # the pixels of a round start from the normalised N(0, I) batch
    synthesizer.begin_round(0, torch.Generator().manual_seed(0))
    assert torch.equal(synthesizer.render(),
                       synthesizer.images.detach() * 0.5 + 0.5)
    # a function of the config: nothing of it is saved
    assert not any('pixel_space' in key for key in synthesizer.state_dict())


@pytest.mark.parametrize('channels_last', [False, True])
def test_channel_mean_var_is_var_mean_with_a_one_sweep_backward(channels_last):
    generator = torch.Generator().manual_seed(0)
    batch = torch.randn(8, 5, 6, 7, generator=generator) * 0.5 + 2
    if channels_last:
        batch = batch.contiguous(memory_format=torch.channels_last)
    weights = torch.randn(2, 5, generator=generator)

    def loss_and_grad(statistics):
        x = batch.clone().requires_grad_()
        mean, var = statistics(x)
        loss = (weights[0] * mean).sum() + (weights[1] * var).square().sum()
        loss.backward()
        return mean, var, loss, x.grad

    def plain(x):
        var, mean = torch.var_mean(x, dim=(0, 2, 3), unbiased=False)
        return mean, var

    got = loss_and_grad(ChannelMeanVar.apply)
    expected = loss_and_grad(plain)
    for value, reference in zip(got[:3], expected[:3]):
        assert torch.equal(value, reference)  # the forward is var_mean's
    torch.testing.assert_close(got[3], expected[3], rtol=1e-5, atol=1e-7)
    double = batch.double().requires_grad_()
    assert torch.autograd.gradcheck(ChannelMeanVar.apply, (double, ))
