# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""NAYER: the label-embedding files (and the authors' pickles), the noisy-layer
generator by hand, balanced labels, the loop schedule of the code (warm-up,
loops per epoch, generator rebuilds, the adversarial start), gradient hygiene
and exact resume of what a loop carries to the next.

The generator and resume checks also run on wrong implementations that they
must catch.
"""
import io
import math
import pickle
import warnings

import pytest
import torch
import torch.nn.functional as F

from mmrazor_zs.models import NAYER
from mmrazor_zs.models.generators import (NoisyLayerGenerator,
                                          load_label_embeddings,
                                          random_label_embeddings,
                                          save_label_embeddings)
from mmrazor_zs.models.generators.label_embeddings import read_nayer_pickle
from mmrazor_zs.models.synthesizers import NAYERSynthesizer
from mmrazor_zs.models.utils.keyed_random import keyed_generator
from mmrazor_zs.registry import MODELS
from mmrazor_zs.testing import (same_state, state_copy,
                                synthesis_round_is_clean, tiny_inversion_cfg)

TRUNK = dict(type='PixelGenerator', seed_channels=8, hidden_channels=(8, 4))
GENERATOR = dict(
    label_embeddings=dict(type='random', dim=6, seed=0),
    noise_dim=8,
    trunk=TRUNK)


def _nayer(warmup_epochs=0, warmup_loops=1, loops=1, **synthesizer):
    settings = dict(batch_size=23, steps=3, generator=GENERATOR)
    settings.update(synthesizer)
    return NAYER(**tiny_inversion_cfg(
        warmup_epochs=warmup_epochs,
        warmup_loops=warmup_loops,
        loops=loops,
        synthesizer=settings))


def _synthesize(model, round_index=0):
    return model.synthesizer.synthesize(model.teacher, model.student,
                                        round_index,
                                        keyed_generator((round_index, )))


# ----------------------------------------------------------------------
# label embeddings
def test_embedding_files_round_trip_and_refuse_the_wrong_dataset(tmp_path):
    rows = torch.randn(4, 3)
    path = str(tmp_path / 'le.pth')
    save_label_embeddings(path, rows, ['a', 'b', 'c', 'd'], source='test')
    assert torch.equal(load_label_embeddings(path, 4), rows)
    assert torch.load(path, weights_only=True)['classes'] == list('abcd')
    with pytest.raises(
            ValueError,
            match=r'shape \(4, 3\), but the teacher '
            r'has 10 classes'):
        load_label_embeddings(path, 10)
    with pytest.raises(
            FileNotFoundError,
            match='nayer_label_embeddings.py PICKLE LABELS_TXT'):
        load_label_embeddings(str(tmp_path / 'missing.pth'), 4)
    torch.save(dict(rows=rows), tmp_path / 'other.pth')
    with pytest.raises(ValueError, match='not a label-embedding file'):
        load_label_embeddings(str(tmp_path / 'other.pth'), 4)


def test_random_embeddings_are_seeded():
    a = load_label_embeddings(dict(type='random', dim=5, seed=3), 4)
    assert torch.equal(a, random_label_embeddings(4, 5, seed=3))
    assert not torch.equal(a, random_label_embeddings(4, 5, seed=4))
    with pytest.raises(ValueError, match="dict\\(type='random'"):
        load_label_embeddings(dict(type='clip'), 4)


def _authors_pickle(tensor: torch.Tensor, location: str) -> bytes:
    """``pickle.dump`` of a float16 tensor as the NAYER authors' CIFAR files
    hold it: the legacy ``torch.save`` bytes of a storage on ``location``."""
    inner = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')  # TypedStorage, as the files have
        torch.save(
            tensor.storage(), inner, _use_new_zipfile_serialization=False)
    data = inner.getvalue().replace(
        b'X\x03\x00\x00\x00cpu',
        b'X' + len(location).to_bytes(4, 'little') + location.encode())

    class Storage:

        def __reduce__(self):
            return torch.storage._load_from_bytes, (data, )

    class Tensor:

        def __reduce__(self):
            from collections import OrderedDict
            return torch._utils._rebuild_tensor_v2, (Storage(), 0,
                                                     tuple(tensor.shape),
                                                     tensor.stride(), True,
                                                     OrderedDict())

    return pickle.dumps(Tensor(), protocol=4)


def test_the_authors_cuda_pickles_are_read_on_the_cpu(tmp_path):
    rows = torch.randn(3, 5).half()
    path = tmp_path / 'cifar_le.pickle'
    path.write_bytes(_authors_pickle(rows, 'cuda:0'))
    got = read_nayer_pickle(str(path))
    assert got.dtype == torch.float32 and not got.requires_grad
    assert torch.equal(got, rows.float())


def test_a_pickle_that_is_not_a_tensor_is_refused(tmp_path):
    path = tmp_path / 'evil.pickle'
    path.write_bytes(pickle.dumps(print))
    with pytest.raises(pickle.UnpicklingError, match='builtins.print'):
        read_nayer_pickle(str(path))


# ----------------------------------------------------------------------
# the generator
def _generator(batch_size=23, num_classes=10):
    return NoisyLayerGenerator(
        num_classes=num_classes,
        batch_size=batch_size,
        out_channels=1,
        img_size=32,
        **GENERATOR).train()


def test_one_noisy_layer_per_chunk_of_classes():
    assert len(_generator(23, 10).noisy_layers) == 3
    assert len(_generator(20, 10).noisy_layers) == 2
    assert len(_generator(400, 100).noisy_layers) == 4


def test_generator_by_hand():
    generator = _generator()
    generator.reset_noisy_layers(keyed_generator((1, )))
    labels = torch.cat([torch.arange(10).repeat(2), torch.tensor([4, 1, 7])])
    rows = generator.label_embeddings[labels]
    normed = (rows -
              rows.mean(0)) / torch.sqrt(rows.var(0, unbiased=False) + 1e-5)
    codes = torch.cat([
        F.linear(normed[i * 10:(i + 1) * 10], generator.noisy_layers[i].weight,
                 generator.noisy_layers[i].bias) for i in range(3)
    ])
    expected = generator.trunk(codes)
    assert torch.allclose(generator(labels), expected, atol=1e-6)


class OneNoisyLayerGenerator(NoisyLayerGenerator):
    """Wrong: every chunk through the first noisy layer."""

    def forward(self, labels):
        rows = self.embedding_norm(self.label_embeddings[labels])
        return self.trunk(self.noisy_layers[0](rows))


def _chunks_use_their_own_layers(generator) -> bool:
    """Changing noisy layer 1 changes the second chunk's images only (in eval
    mode, where the batch norms do not mix the images)."""
    generator.reset_noisy_layers(keyed_generator((1, )))
    generator.eval()
    labels = torch.arange(20) % 10
    with torch.no_grad():
        before = generator(labels)
        generator.noisy_layers[1].weight.mul_(3)
        after = generator(labels)
    return (torch.equal(before[:10], after[:10])
            and not torch.allclose(before[10:], after[10:]))


def test_each_chunk_goes_through_its_own_noisy_layer():
    assert _chunks_use_their_own_layers(_generator(20))
    wrong = OneNoisyLayerGenerator(
        num_classes=10, batch_size=20, out_channels=1, **GENERATOR)
    assert not _chunks_use_their_own_layers(wrong)


def test_noisy_layers_are_redrawn_standard_normal_with_zero_bias():
    generator = _generator(400, 10)
    generator.reset_noisy_layers(keyed_generator((2, )))
    weights = torch.cat(
        [layer.weight.flatten() for layer in generator.noisy_layers])
    assert abs(weights.mean()) < 0.1 and abs(weights.std() - 1) < 0.1
    assert all(not layer.bias.any() for layer in generator.noisy_layers)
    shared = {id(p) for p in generator.shared_parameters()}
    assert not shared & {id(p) for p in generator.noisy_layers.parameters()}
    assert len(shared) + 2 * len(generator.noisy_layers) == len(
        list(generator.parameters()))


def test_too_many_labels_for_the_noisy_layers_are_refused():
    with pytest.raises(
            ValueError, match='need 3 noisy layers, but the '
            'generator has 2'):
        _generator(20)(torch.arange(21) % 10)


# ----------------------------------------------------------------------
# the synthesizer and the loop
def test_balanced_labels_repeat_the_classes_then_draw_the_rest():
    labels = _nayer().synthesizer.sample_labels(
        keyed_generator((0, )), torch.device('cpu'))
    assert labels[:20].tolist() == list(range(10)) * 2
    assert len(labels) == 23 and labels[20:].max() < 10


def _code_rebuilds(rounds, warmup, gwp_loops, g_loops, g_life):
    """The rounds (generator loops, from 0) before which tmtuan1307/NAYER
    c6bedcd ``synthesize`` rebuilds its generator, by running its counter
    (``datafree/synthesis/nayer.py`` lines 154-161)."""
    found, round_index, ep = [], 0, 0
    while round_index < rounds:
        if (ep - warmup) % g_life == 0 or ep % g_life == 0:
            found.append(round_index)
        round_index += gwp_loops if ep < warmup else g_loops
        ep += 1
    return found


@pytest.mark.parametrize('schedule', [(20, 10, 2, 10), (2, 5, 2, 10),
                                      (3, 4, 3, 4), (0, 1, 2, 3)])
def test_generator_rebuilds_follow_the_code(schedule):
    warmup, gwp_loops, g_loops, g_life = schedule
    synthesizer = _nayer(
        warmup_epochs=warmup,
        warmup_loops=gwp_loops,
        loops=g_loops,
        generator_life=g_life).synthesizer
    got = [r for r in range(400) if synthesizer.rebuilds_at(r)]
    assert got == _code_rebuilds(400, *schedule)


def test_nayer_rounds_and_adversarial_start_follow_its_epochs():
    model = _nayer(warmup_epochs=2, warmup_loops=3, loops=2)
    assert model.synthesizer.student_terms_from_round == 6
    # 6 warm-up loops, then 2 loops before every 3 student steps
    assert [model.rounds_due(i) for i in range(7)] == [8, 8, 8, 10, 10, 10, 12]
    assert 'synthesis/adversarial' not in _synthesize(model, 5).log_vars
    assert 'synthesis/adversarial' in _synthesize(model, 6).log_vars


def test_a_rebuild_draws_every_shared_parameter_afresh_from_the_round():
    model = _nayer()
    synthesizer = model.synthesizer
    _synthesize(model, 0)
    trained = state_copy(synthesizer.generator)
    synthesizer.rebuild_generator(keyed_generator((5, )))
    first = state_copy(synthesizer.generator)
    synthesizer.rebuild_generator(keyed_generator((5, )))
    assert same_state(first, state_copy(synthesizer.generator))
    changed = [k for k in first if not torch.equal(first[k], trained[k])]
    assert 'trunk.project.weight' in changed
    assert 'embedding_norm.running_mean' in changed
    assert torch.equal(first['label_embeddings'], trained['label_embeddings'])


def test_each_round_redraws_the_noisy_layers():
    model = _nayer(warmup_epochs=1, warmup_loops=3)  # no rebuild at round 1
    _synthesize(model, 0)
    trained = state_copy(model.synthesizer.generator)
    rng = keyed_generator((1, ))
    model.synthesizer.begin_round(1, rng)
    expected = torch.randn(
        model.synthesizer.generator.noisy_layers[0].weight.shape,
        generator=keyed_generator((1, )))
    assert torch.equal(model.synthesizer.generator.noisy_layers[0].weight,
                       expected)
    assert torch.equal(model.synthesizer.generator.trunk.project.weight,
                       trained['trunk.project.weight'])


def test_a_nayer_round_touches_only_its_own_tensors():
    assert synthesis_round_is_clean(_nayer())


@MODELS.register_module(force=True)
class PersistentAdamNAYERSynthesizer(NAYERSynthesizer):
    """Wrong: one Adam for the whole run (the code makes one per loop), not
    saved with the synthesizer."""

    def begin_round(self, round_index, rng):
        parameters = super().begin_round(round_index, rng)
        if not hasattr(self, 'kept_optimizer'):
            self.kept_optimizer = self._round['optimizer']
        self._round['optimizer'] = self.kept_optimizer
        return parameters


def _reload_makes_the_same_next_round(build) -> bool:
    model = build()
    for round_index in range(2):
        _synthesize(model, round_index)
    fresh = build()
    fresh.load_state_dict(model.state_dict())
    expected, got = _synthesize(model, 2), _synthesize(fresh, 2)
    return torch.equal(expected.pixels, got.pixels) and same_state(
        state_copy(model.synthesizer), state_copy(fresh.synthesizer))


def test_a_reloaded_synthesizer_makes_the_same_next_round():
    """The generator (not rebuilt at round 2), its BN and the batch-norm
    averages travel in the state dict; a run-long Adam would not."""
    assert _reload_makes_the_same_next_round(
        lambda: _nayer(warmup_epochs=1, warmup_loops=4))
    assert not _reload_makes_the_same_next_round(lambda: _nayer(
        warmup_epochs=1, warmup_loops=4, type='PersistentAdamNAYERSynthesizer')
                                                 )


def test_nayer_defaults_are_the_authors_cifar100_recipe():
    defaults = NAYER.synthesizer_defaults
    assert (defaults['batch_size'], defaults['steps'],
            defaults['lr_g']) == (400, 40, 4e-3)
    weights = {k: v['loss_weight'] for k, v in defaults['losses'].items()}
    assert weights == dict(bn=10.0, onehot=0.5, adversarial=-1.33)
    model = _nayer(warmup_epochs=20, warmup_loops=10, loops=2)
    assert model.warmup_rounds == 200 and model.rounds_per_interval == 2
    assert model.synthesizer.losses.bn_statistics.momentum == 0.9
    assert math.isclose(model.synthesizer.betas[0], 0.5)


def test_a_config_overrides_the_generator_key_by_key():
    model = _nayer(
        generator=dict(
            label_embeddings=dict(type='random', dim=6, seed=0), trunk=TRUNK))
    generator = model.synthesizer.generator
    assert isinstance(generator, NoisyLayerGenerator)
    assert generator.noise_dim == 1000  # NAYER's default, kept
    assert generator.label_embeddings.shape == (10, 6)


def test_nayer_refuses_round_counts_it_derives_itself():
    with pytest.raises(
            ValueError,
            match='set `warmup_epochs`, '
            '`warmup_loops` and `loops` instead of '
            '`warmup_rounds`'):
        NAYER(**tiny_inversion_cfg(
            warmup_rounds=3, synthesizer=dict(generator=GENERATOR)))
