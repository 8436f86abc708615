# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""The synthesis rounds make no host synchronisation: run on the ``meta``
device, where every read of a tensor's value by the host fails (``.item()``,
``bool(t)``, ``int(t)``, ``.tolist()``, ``.cpu()``), a round completes only if
it never reads its device's tensors; the random draws from the rounds' CPU
generators stay on the host as they do on a GPU. A round that reads a loss back
(the mutant below) is caught.

NAYER's and CPNet's generator rebuild (every ``generator_life`` epochs) draws a
fresh generator on the CPU and is left out: it is a copy per rebuild, not a
step of the loop.
"""
import pytest

from mmrazor_zs.models import ADI, CMI, NAYER, CPNet, DeepInversion, Fast
from mmrazor_zs.models.synthesizers import DeepInversionSynthesizer
from mmrazor_zs.models.utils.keyed_random import keyed_generator
from mmrazor_zs.registry import MODELS
from mmrazor_zs.testing import tiny_inversion_cfg

GENERATOR = dict(
    type='PixelGenerator',
    seed_channels=8,
    hidden_channels=(8, 4),
    latent_dim=8)
CODES = dict(label_embeddings=dict(type='random', dim=6, seed=0), noise_dim=8)
#: two rounds after the first (the moving averages and CMI's bank in use);
#: NAYER and CPNet without a generator rebuild in them
ROUNDS = (1, 2)


def _noisy(algorithm, **synthesizer):
    return algorithm(**tiny_inversion_cfg(
        warmup_epochs=1,
        warmup_loops=3,
        loops=1,
        synthesizer=dict(batch_size=6, steps=2, **synthesizer)))


BUILDERS = dict(
    deepinversion=lambda: DeepInversion(**tiny_inversion_cfg(
        synthesizer=dict(batch_size=6, steps=2))),
    adi=lambda: ADI(**tiny_inversion_cfg(
        synthesizer=dict(batch_size=6, steps=2))),
    cmi=lambda: CMI(**tiny_inversion_cfg(
        synthesizer=dict(
            batch_size=6,
            steps=2,
            generator=GENERATOR,
            bank_size=24,
            negatives=4))),
    fast=lambda: Fast(**tiny_inversion_cfg(
        warmup_rounds=1,
        synthesizer=dict(
            batch_size=6, steps=2, generator=GENERATOR, bn_momentum=0.9))),
    nayer=lambda: _noisy(
        NAYER,
        generator=dict(
            CODES,
            trunk=dict(
                type='PixelGenerator', seed_channels=8, hidden_channels=(8, 4))
        )),
    cpnet=lambda: _noisy(
        CPNet,
        bn_nodes=['backbone.stages.1.1', 'backbone.stages.0.1'],
        color_jitter=None,
        generator=CODES),
)


@MODELS.register_module(force=True)
class LossReadingSynthesizer(DeepInversionSynthesizer):
    """Wrong: reads a loss back to the host at every step."""

    def extra_losses(self, teacher, pixels, inputs, rng):
        scale = float(inputs['teacher_logits'].abs().mean())
        return dict(read=0 * scale * inputs['teacher_logits'].mean())


def _rounds_run_on_meta(model) -> bool:
    """Whether the rounds complete on the meta device (no host read)."""
    model = model.to('meta')
    try:
        for index in ROUNDS:
            kept = model.synthesizer.synthesize(model.teacher, model.student,
                                                index,
                                                keyed_generator((index, )))
    except (RuntimeError, NotImplementedError) as err:
        if 'meta' not in str(err):
            raise
        return False
    return kept.pixels.device.type == 'meta'


@pytest.mark.parametrize('algorithm', list(BUILDERS))
def test_synthesis_rounds_never_read_the_device(algorithm):
    assert _rounds_run_on_meta(BUILDERS[algorithm]())


def test_a_round_that_reads_its_loss_is_caught():
    mutant = DeepInversion(**tiny_inversion_cfg(
        synthesizer=dict(type='LossReadingSynthesizer', batch_size=6,
                         steps=2)))
    assert not _rounds_run_on_meta(mutant)
