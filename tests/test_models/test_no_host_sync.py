# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""The training loops make no host synchronisation. The synthesis rounds: run
on the ``meta`` device, where every read of a tensor's value by the host fails
(``.item()``, ``bool(t)``, ``int(t)``, ``.tolist()``, ``.cpu()``), a round
completes only if it never reads its device's tensors; the random draws from
the rounds' CPU generators stay on the host as they do on a GPU. A round that
reads a loss back (the mutant below) is caught.

NAYER's and CPNet's generator rebuild (every ``generator_life`` epochs) draws a
fresh generator on the CPU and is left out: it is a copy per rebuild, not a
step of the loop.
"""
import pytest
import torch
from mmengine.optim import OptimWrapper

from mmrazor_zs.models import ADI, CMI, NAYER, ZSKT, CPNet, DeepInversion, Fast
from mmrazor_zs.models.synthesizers import DeepInversionSynthesizer
from mmrazor_zs.models.utils.keyed_random import keyed_generator
from mmrazor_zs.registry import MODELS
from mmrazor_zs.testing import (generator_student_wrappers,
                                tiny_generator_family_cfg, tiny_inversion_cfg,
                                tiny_zskt_cfg)

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


# ----------------------------------------------------------------------
# the training iterations: generator family and the inversion student step
#
# On the meta device too (mmengine's optimizer wrappers and the logger read
# the losses at logging intervals only; an iteration itself must not). The
# optimisers' step counters live on the host by design (torch.optim keeps
# them on the CPU unless ``capturable``). The latent noise, drawn on the
# device from a keyed device generator on a GPU, is drawn on meta here
# (there is no meta generator).
GENERATOR_FAMILY = dict(
    zskt=lambda: tiny_zskt_cfg(),
    zskt_mad=lambda: tiny_zskt_cfg(momentum_generator=dict(momentum=0.9)),
    dafl=lambda: tiny_generator_family_cfg('DAFL'),
    dfad=lambda: tiny_generator_family_cfg('DFAD'),
    dfq=lambda: tiny_generator_family_cfg('DFQ'),
)


def _iterations_run_on_meta(cfg: dict, iterations: int = 3) -> bool:
    """Whether ``iterations`` training iterations of the algorithm of ``cfg``
    complete on the meta device (no host read)."""
    model = MODELS.build(cfg).to('meta')
    model.sample_noise = lambda iteration, step: torch.randn(
        model.batch_size, model.latent_dim, device='meta')
    wrappers = generator_student_wrappers(model)
    model.train()
    try:
        for _ in range(iterations):
            log_vars = model.train_step(None, wrappers)
    except (RuntimeError, NotImplementedError) as err:
        if 'meta' not in str(err):
            raise
        return False
    return all(value.device.type == 'meta' for value in log_vars.values())


@pytest.mark.parametrize('algorithm', list(GENERATOR_FAMILY))
def test_generator_family_iterations_never_read_the_device(algorithm):
    assert _iterations_run_on_meta(GENERATOR_FAMILY[algorithm]())


@MODELS.register_module(force=True)
class LossReadingZSKT(ZSKT):
    """Wrong: reads the student's loss back at every student step."""

    def student_losses(self, images, targets):
        losses = super().student_losses(images, targets)
        if float(losses['loss_kl']) < 0:  # a host read
            raise AssertionError('a KL divergence is never negative')
        return losses


def test_an_iteration_that_reads_its_loss_is_caught():
    assert not _iterations_run_on_meta(tiny_zskt_cfg(type='LossReadingZSKT'))


def test_inversion_student_steps_never_read_the_device():
    model = DeepInversion(**tiny_inversion_cfg()).to('meta')
    model.train()
    wrapper = OptimWrapper(torch.optim.SGD(model.student.parameters(), lr=0.1))
    pool = torch.empty((12, 1, 32, 32), dtype=torch.uint8, device='meta')
    for iteration in range(3):
        model.num_iters = iteration
        log_vars = model._student_step(pool, wrapper)
    assert log_vars['loss_student'].device.type == 'meta'
