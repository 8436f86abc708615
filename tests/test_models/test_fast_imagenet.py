# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""What Fast's ImageNet code adds to its round (zju-vipa/Fast-Datafree 0dcecbc,
``datafree/synthesis/fast_meta_imagenet.py``): a generator of convolutions from
a spatial code, the code meta-learned with the generator and re-drawn every N
rounds, an unscaled Reptile step with its own meta-learning rates, and the last
step's batch kept; checked by hand."""
import pytest
import torch

from mmrazor_zs.models import Fast
from mmrazor_zs.models.generators import SpatialLatentGenerator
from mmrazor_zs.models.utils.keyed_random import keyed_generator
from mmrazor_zs.testing import (same_state, state_copy,
                                synthesis_round_is_clean, tiny_inversion_cfg)

GENERATOR = dict(type='SpatialLatentGenerator', latent_dim=4, base_channels=2)
IMAGENET_ROUND = dict(
    batch_size=6,
    steps=3,
    generator=GENERATOR,
    meta='reptile',
    reptile_scale=1.0,
    lr_g_meta=1e-4,
    meta_latent=True,
    lr_z_meta=5e-3,
    keep='last_step',
    augment=dict(type='resized_crop_flip', scale=(0.75, 1.0)))


def _fast(**synthesizer):
    settings = dict(IMAGENET_ROUND)
    settings.update(synthesizer)
    torch.manual_seed(0)
    return Fast(**tiny_inversion_cfg(
        warmup_rounds=0,
        synthesizer=dict(reset_first_layers_at_round=None, **settings)))


def _synthesize(model, round_index=0):
    return model.synthesizer.synthesize(model.teacher, model.student,
                                        round_index,
                                        keyed_generator((round_index, )))


def _first_adam_step(param, grad, lr, eps=1e-8):
    """One Adam step from a fresh state: ``lr * g / (|g| + eps)``."""
    return param - lr * grad / (grad.abs() + eps)


def test_the_generator_by_hand():
    generator = SpatialLatentGenerator()
    assert generator.latent_shape == (256, 14, 14)
    with torch.no_grad():
        images = generator(torch.randn(2, 256, 14, 14))
    assert images.shape == (2, 3, 224, 224)
    assert images.min() >= 0 and images.max() <= 1
    convs = [m for m in generator.modules() if isinstance(m, torch.nn.Conv2d)]
    assert [c.bias is not None for c in convs] == [False] * 5 + [True]
    # 256*128*9 + 128*128*9 + 128*64*9 + 2 * 64*64*9 + 64*3*9 + 3 weights of
    # the convolutions, 2 * (128 + 128 + 64 + 64 + 64) of the BNs
    assert sum(p.numel() for p in generator.parameters()) == 592451
    with pytest.raises(ValueError, match='divisible by 16, but got 100'):
        SpatialLatentGenerator(img_size=100)


def test_reptile_moves_the_meta_generator_and_the_code_unscaled():
    model = _fast()
    synthesizer = model.synthesizer
    before = [p.detach().clone() for p in synthesizer.meta_parameters()]
    finals = []
    end_round = synthesizer.end_round

    def capture(round_index, kept):
        finals.extend(p.detach().clone()
                      for p in synthesizer._fast_parameters())
        end_round(round_index, kept)

    synthesizer.end_round = capture
    _synthesize(model)
    after = synthesizer.meta_parameters()
    assert after[-1] is synthesizer.latent and len(finals) == len(after)
    rates = [1e-4] * (len(after) - 1) + [5e-3]
    for a, b, final, lr in zip(after, before, finals, rates):
        # the meta-gradient itself (Adam's step alone would not show a
        # scale: its first step is lr * sign(g))
        assert torch.allclose(a.grad, b - final, atol=1e-7)
        assert torch.allclose(a, _first_adam_step(b, b - final, lr), atol=1e-7)
    # the round started from the meta-learned code: its first render is
    # the meta-generator's image of it
    assert not torch.equal(before[-1], after[-1])


def test_the_code_is_redrawn_with_a_new_meta_adam_every_n_rounds():
    model = _fast(redraw_latent_every=2)
    synthesizer = model.synthesizer
    starts, optimizers = [], []
    begin_round = synthesizer.begin_round

    def recorded(round_index, rng):
        tensors = begin_round(round_index, rng)
        starts.append(synthesizer.latent.detach().clone())
        optimizers.append(synthesizer.meta_optimizer)
        return tensors

    synthesizer.begin_round = recorded
    first = synthesizer.meta_optimizer
    for round_index in range(3):
        _synthesize(model, round_index)
    # round 1 (the code's ep == 2) starts from a fresh draw of its generator
    # (right after the labels) and a fresh meta-Adam; rounds 0 and 2 do not
    rng = keyed_generator((1, ))
    synthesizer.sample_labels(rng, 'cpu')
    drawn = torch.randn((6, ) + synthesizer.latent_shape, generator=rng)
    assert torch.equal(starts[1], drawn)
    assert optimizers[0] is first and optimizers[1] is not first
    assert optimizers[2] is optimizers[1]
    assert int(optimizers[1].state[synthesizer.latent]['step']) == 2


def test_a_redraw_needs_a_meta_learned_code():
    with pytest.raises(ValueError, match='set `meta_latent=True` with it'):
        _fast(meta_latent=False, redraw_latent_every=2)


def test_last_step_keeps_the_batch_the_last_loss_was_computed_on():
    model = _fast()
    synthesizer = model.synthesizer
    rendered = []
    render = synthesizer.render

    def recorded():
        pixels = render()
        rendered.append(pixels.detach().clone())
        return pixels

    synthesizer.render = recorded
    pixels = _synthesize(model).pixels
    assert len(rendered) == 3  # no render after the last update
    assert torch.equal(pixels, rendered[-1])


def test_the_round_is_clean_and_resumes_exactly():
    assert synthesis_round_is_clean(_fast())
    model = _fast(redraw_latent_every=2, bn_momentum=0.9)
    for round_index in range(2):
        _synthesize(model, round_index)
    fresh = _fast(redraw_latent_every=2, bn_momentum=0.9)
    fresh.load_state_dict(model.state_dict())
    assert 'synthesizer.latent' in model.state_dict()
    expected, got = _synthesize(model, 2), _synthesize(fresh, 2)
    assert torch.equal(expected.pixels, got.pixels)
    assert same_state(
        state_copy(model.synthesizer), state_copy(fresh.synthesizer))


def test_nayer_imagenet_generator_has_the_authors_size():
    """NAYER's ImageNet generator (NLDeepGenerator at 1,000 classes, a
    synthesis batch of 100): 26,072,107 parameters in the authors' module; here
    the noisy-layer front and ProjectedSpatialGenerator's trunk."""
    from mmrazor_zs.models.generators import (NoisyLayerGenerator,
                                              ProjectedSpatialGenerator)
    generator = NoisyLayerGenerator(
        label_embeddings=dict(type='random', dim=512, seed=0),
        num_classes=1000,
        batch_size=100,
        noise_dim=1000,
        img_size=224,
        trunk=dict(
            type='ProjectedSpatialGenerator',
            seed_channels=128,
            base_channels=64))
    assert isinstance(generator.trunk, ProjectedSpatialGenerator)
    assert sum(p.numel() for p in generator.parameters()) == 26072107
    with torch.no_grad():
        images = generator.eval()(torch.arange(2))
    assert images.shape == (2, 3, 224, 224)
    assert generator.trunk.latent_shape == (1000, )


def test_jitter_crop_is_the_roll_and_flip_then_a_padded_crop():
    from mmrazor_zs.models.augments.differentiable import (jitter_and_flip,
                                                           random_crop_flip)
    model = _fast(
        augment=dict(type='jitter_crop', max_shift=3, flip=True, padding=2))
    pixels = torch.rand(4, 1, 32, 32)
    out = model.synthesizer.augment(pixels, keyed_generator((5, )))
    rng = keyed_generator((5, ))
    expected = random_crop_flip(
        jitter_and_flip(pixels, 3, True, generator=rng),
        padding=2,
        flip=False,
        generator=rng)
    assert torch.equal(out, expected)
