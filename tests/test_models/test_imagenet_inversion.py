# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""What NVlabs' ImageNet DeepInversion adds to a round (the learning-rate
policy, the multi-resolution stages, a fixed class list, the per-image l2
prior), and what a pool of ImageNet size needs (memory-mapped shards, the
resized-crop augmentation, a warm-up synthesis that continues after a kill),
against values worked out by hand."""
import math
import os

import pytest
import torch

from mmrazor_zs.engine.optimizers import SeparateOptimWrapperConstructor
from mmrazor_zs.models import ADI, DeepInversion
from mmrazor_zs.models.losses import L2Prior
from mmrazor_zs.models.synthesizers import deepinversion_synthesizer
from mmrazor_zs.models.synthesizers.deepinversion_synthesizer import \
    cosine_with_warmup
from mmrazor_zs.models.utils.keyed_random import keyed_generator
from mmrazor_zs.storage import ImagePool, ShardStoreError
from mmrazor_zs.storage.image_pool import ShardedImages
from mmrazor_zs.testing import tiny_inversion_cfg

TERMS = dict(
    bn=dict(type='BatchNormStatisticsLoss', first_layer_weight=10.0),
    onehot=dict(type='LabelCrossEntropy'))


def _di(input_shape=(1, 32, 32), **synthesizer):
    settings = dict(batch_size=6, steps=3, losses=TERMS)
    settings.update(synthesizer)
    torch.manual_seed(0)  # the same networks for every build
    return DeepInversion(
        **tiny_inversion_cfg(input_shape=input_shape, synthesizer=settings))


def _damage(path):
    """Cut a shard file in half, as a full disk might."""
    size = os.path.getsize(path)
    with open(path, 'r+b') as file:
        file.truncate(size // 2)


def _student_optim(model):
    return SeparateOptimWrapperConstructor(
        dict(
            student=dict(
                type='OptimWrapper',
                optimizer=dict(type='SGD', lr=0.1, momentum=0.9))))(
                    model)


def _round(model, round_index=0):
    return model.synthesizer.synthesize(model.teacher, model.student,
                                        round_index,
                                        keyed_generator((0, round_index)))


# ----------------------------------------------------------------------
# the learning-rate policy and the stages
def test_cosine_with_warmup_by_hand():
    # NVlabs' lr_cosine_policy(0.2, 100, 2000): (e + 1) / 100 of the base
    # during the warm-up, then 0.5 (1 + cos(pi (e - 100) / 1900)) of it
    assert cosine_with_warmup(0.2, 100, 2000, 0) == pytest.approx(0.002)
    assert cosine_with_warmup(0.2, 100, 2000, 99) == pytest.approx(0.2)
    assert cosine_with_warmup(0.2, 100, 2000, 100) == pytest.approx(0.2)
    assert cosine_with_warmup(0.2, 100, 2000, 1050) == pytest.approx(0.1)
    assert cosine_with_warmup(0.2, 100, 2000, 1999) == pytest.approx(
        0.1 * (1 + math.cos(math.pi * 1899 / 1900)))


def test_stages_pool_the_view_restart_adam_and_their_schedule(monkeypatch):
    """Setting 0 in miniature: 4 steps at half size, then 3 at full size, each
    stage warming up over 2 steps with its own Adam."""
    model = _di(
        input_shape=(1, 64, 64),
        steps=3,
        pooled_steps=4,
        lr=0.2,
        betas=(0.5, 0.9),
        warmup_steps=2,
        augment=dict(type='jitter_flip', max_shift=6, flip=True))
    synthesizer = model.synthesizer
    seen = []
    model.teacher.register_forward_hook(
        lambda module, args, out: seen.append(args[0].shape[-1]))
    shifts = []
    jitter = deepinversion_synthesizer.jitter_and_flip

    def recorded_jitter(images, max_shift, **kwargs):
        shifts.append(max_shift)
        return jitter(images, max_shift, **kwargs)

    monkeypatch.setattr(deepinversion_synthesizer, 'jitter_and_flip',
                        recorded_jitter)
    rates, optimizers, adam_steps = [], [], []
    step = type(synthesizer).step

    def recorded_step(self, index):
        step(self, index)
        rates.append(self.optimizer.param_groups[0]['lr'])
        optimizers.append(self.optimizer)
        state = self.optimizer.state.get(self.images, {})
        adam_steps.append(int(state.get('step', 0)))

    monkeypatch.setattr(type(synthesizer), 'step', recorded_step)
    synthesis = _round(model)
    # the teacher saw 32 x 32 views for 4 steps, then 64 x 64 ones
    assert seen == [32] * 4 + [64] * 3
    assert shifts == [3] * 4  # the jitter halved; full size uses the base
    # the rate each step used: warm-up 0.1, 0.2, then the cosine of the
    # stage; a new Adam (state from 0) for the second stage
    stage_one = [0.1, 0.2, 0.2, 0.1]
    stage_two = [0.1, 0.2, 0.2]
    # (after a stage's last step the optimiser is already the next stage's
    # Adam, at its initial lr: that entry is not a rate used)
    assert rates[:3] == pytest.approx(stage_one[:3])
    assert rates[4:] == pytest.approx(stage_two)
    assert len({id(o) for o in optimizers[:3]}) == 1
    assert optimizers[3] is optimizers[4] is not optimizers[0]
    assert adam_steps == [1, 2, 3, 0, 1, 2, 3]
    assert synthesis.pixels.shape == (6, 1, 64, 64)


def test_a_pooled_stage_moves_every_pixel_of_the_full_size_batch():
    model = _di(input_shape=(1, 64, 64), pooled_steps=3)
    synthesizer = model.synthesizer
    synthesizer.begin_round(0, keyed_generator((0, )))
    view = synthesizer.augment(synthesizer.render(), keyed_generator((1, )))
    assert view.shape[-1] == 32
    view.sum().backward()
    # each pixel is in one 2 x 2 window: d mean / d pixel = 1/4 x (1/std)
    assert torch.allclose(synthesizer.images.grad,
                          torch.full_like(synthesizer.images, 0.25 * 0.5))


@pytest.mark.parametrize('settings,message', [
    (dict(pooled_steps=-1), '`pooled_steps` of DeepInversionSynthesizer '
     'must be an integer >= 0'),
    (dict(pooled_steps=2, pool_factor=0), '`pool_factor`'),
])
def test_bad_stages_are_refused_naming_the_setting(settings, message):
    with pytest.raises(ValueError, match=message):
        _di(**settings)


def test_a_stage_no_longer_than_the_warmup_stays_in_it():
    assert [cosine_with_warmup(0.2, 100, 3, step)
            for step in range(3)] == pytest.approx([0.002, 0.004, 0.006])


# ----------------------------------------------------------------------
# labels and the l2 prior
def test_a_class_list_is_repeated_to_the_batch():
    model = _di(labels=[7, 2, 9])
    labels = model.synthesizer.sample_labels(keyed_generator((0, )), 'cpu')
    assert labels.tolist() == [7, 2, 9, 7, 2, 9]
    with pytest.raises(
            ValueError,
            match='lists 4 classes, which does not '
            'divide `batch_size` 6'):
        _di(labels=[1, 2, 3, 4])
    with pytest.raises(ValueError, match=r'class indices in \[0, 10\)'):
        _di(labels=[1, 10, 2])
    with pytest.raises(ValueError, match='`labels`'):
        _di(labels='sorted')


def test_l2_prior_per_image_averages_the_images_norms():
    images = torch.tensor([[[[3.0, 4.0]]], [[[0.0, 0.0]]]])
    assert L2Prior(per_image=True)(images).item() == pytest.approx(2.5)
    assert L2Prior()(images).item() == pytest.approx(5.0)


# ----------------------------------------------------------------------
# the pool at ImageNet size
def test_sharded_images_index_as_the_concatenated_pool(tmp_path):
    pool = ImagePool(str(tmp_path))
    for round_index, size in enumerate((4, 1, 5)):
        pool.add(torch.rand(size, 3, 5, 5), round_index)
    whole = pool.load(before_round=3)
    mapped = pool.load(before_round=3, mmap=True)
    assert isinstance(mapped, ShardedImages)
    assert mapped.shape == tuple(whole.shape) and len(mapped) == 10
    indices = torch.tensor([9, 0, 4, 3, 5, 9, 1])
    assert torch.equal(mapped[indices], whole[indices])
    assert len(ShardedImages([])) == 0


def test_a_pool_is_claimed_by_its_run(tmp_path):
    pool = ImagePool(str(tmp_path))
    pool.claim(dict(model=dict(steps=3), world_size=1))
    pool.claim(dict(model=dict(steps=3), world_size=1))  # the same run
    with pytest.raises(
            ShardStoreError,
            match=r"holds the image pool of a run with other settings "
            r"\(model: \{'steps': 3\} then, \{'steps': 4\} now\)\. Delete "
            r"the folder, or choose another --work-dir"):
        pool.claim(dict(model=dict(steps=4), world_size=1))


def test_has_round_sees_whole_shards_only(tmp_path):
    pool = ImagePool(str(tmp_path))
    path = pool.add(torch.rand(2, 1, 4, 4), 0)
    assert pool.has_round(0) and not pool.has_round(1)
    _damage(path)  # to be redone
    assert not pool.has_round(0)


def _warmup_run(model, folder, calls):
    model.attach_pool(folder)
    synthesize = model.synthesizer.synthesize

    def counted(*args, **kwargs):
        calls.append(args[2])  # the round
        return synthesize(*args, **kwargs)

    model.synthesizer.synthesize = counted
    model.train_step(None, _student_optim(model))


def test_an_offline_synthesis_continues_after_a_kill(tmp_path):
    """DeepInversion's warm-up rounds depend on their index only: a rerun keeps
    the whole shards of a killed one and redoes only the others, with the same
    images as one uninterrupted run."""
    folder = str(tmp_path / 'pool')

    def build(cls=DeepInversion):
        settings = dict(batch_size=6, steps=3)
        if cls is DeepInversion:
            settings['losses'] = TERMS
        torch.manual_seed(0)  # the same networks for every build
        return cls(**tiny_inversion_cfg(
            round_interval=None, warmup_rounds=4, synthesizer=settings))

    calls = []
    _warmup_run(build(), folder, calls)
    assert calls == [0, 1, 2, 3]
    reference = ImagePool(folder).load(before_round=4)
    # killed after round 2 with round 1 damaged: rounds 1 and 3 are redone
    pool = ImagePool(folder)
    os.remove(pool.shard_path(3, 0))
    _damage(pool.shard_path(1, 0))
    calls = []
    _warmup_run(build(), folder, calls)
    assert calls == [1, 3]
    assert torch.equal(ImagePool(folder).load(before_round=4), reference)
    # ADI's rounds read the student: always made afresh
    calls = []
    _warmup_run(build(ADI), str(tmp_path / 'adi'), calls)
    _warmup_run(build(ADI), str(tmp_path / 'adi'), calls)
    assert calls == [0, 1, 2, 3] * 2


def test_host_storage_steps_the_student_as_device_storage(tmp_path):
    results = []
    for storage in ('device', 'host'):
        model = _di()
        model.pool_storage = storage
        model.attach_pool(str(tmp_path / storage))
        optim = _student_optim(model)
        for _ in range(4):
            model.train_step(None, optim)
        results.append(model.student.state_dict())
    for name, value in results[0].items():
        assert torch.equal(value, results[1][name]), name


def test_resized_crop_flip_augments_the_student_batches():
    model = DeepInversion(**tiny_inversion_cfg(
        synthesizer=dict(batch_size=6, steps=3, losses=TERMS),
        pool_augment=dict(
            type='resized_crop_flip', scale=(1.0, 1.0), ratio=(1.0, 1.0))))
    pixels = torch.rand(8, 1, 32, 32)
    out = model.augment_pool_batch(pixels, keyed_generator((0, )))
    # a full-area square crop is the image: each is itself or its mirror
    for image, original in zip(out, pixels):
        assert torch.allclose(
            image, original, atol=1e-5) or torch.allclose(
                image, original.flip(-1), atol=1e-5)
    assert not torch.allclose(out, pixels, atol=1e-5)  # some flipped
    with pytest.raises(ValueError, match='`pool_augment.type`'):
        DeepInversion(**tiny_inversion_cfg(pool_augment=dict(type='mixup')))
    with pytest.raises(ValueError, match='`pool_storage`'):
        DeepInversion(**tiny_inversion_cfg(pool_storage='gpu'))


def test_best_after_step_keeps_what_the_step_on_the_lowest_loss_made(
        monkeypatch):
    """NVlabs' ImageNet code compares the loss computed before a step and
    clones the batch after it (and the clip)."""
    from mmrazor_zs.models.synthesizers import inversion_synthesizer
    model = _di(steps=4, keep='best_after_step', lr=0.5)
    synthesizer = model.synthesizer
    losses, after_step = [], []
    keep_lower = inversion_synthesizer.keep_lower

    def recorded(loss, best_loss, current, kept):
        losses.append(loss.detach().clone())
        return keep_lower(loss, best_loss, current, kept)

    monkeypatch.setattr(inversion_synthesizer, 'keep_lower', recorded)
    step = type(synthesizer).step

    def recorded_step(self, index):
        step(self, index)
        after_step.append(self.render().detach().clone())

    monkeypatch.setattr(type(synthesizer), 'step', recorded_step)
    pixels = _round(model).pixels
    best = int(torch.stack(losses).argmin())
    assert torch.equal(pixels, after_step[best])
    # not the batch the loss was computed on: Adam at lr 0.5 moved it
    before = after_step[best - 1] if best else None
    assert before is None or not torch.equal(pixels, before)
