# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""The teacher's input shape and normalisation, inferred from the teacher and
its ``cfg_path`` config when a distillation config leaves them unset."""
import pytest
from mmengine.config import Config

from mmrazor_zs.models.synthesizers import impression_synthesis as impressions
from mmrazor_zs.models.utils.teacher_inputs import (input_size_from_config,
                                                    teacher_normalization)
from mmrazor_zs.registry import MODELS
from mmrazor_zs.testing import (tiny_classifier_cfg, tiny_generator_family_cfg,
                                tiny_inversion_cfg, tiny_zskt_cfg)

RESIZE_32 = [dict(type='mmpretrain.Resize', scale=32)]
NORM = dict(
    type='mmpretrain.ClsDataPreprocessor',
    mean=[1.0, 2.0, 3.0],
    std=[4.0, 5.0, 6.0])


def teacher_file(tmp_path, pipeline=RESIZE_32, **extra) -> str:
    """A teacher config file: a 3-channel tiny classifier, ``pipeline`` as its
    test pipeline."""
    path = tmp_path / 'teacher.py'
    model = tiny_classifier_cfg((6, 12, 24), in_channels=3)
    Config(dict(model=model, test_pipeline=pipeline, **extra)).dump(path)
    return str(path)


def zskt_of(teacher_path: str, input_shape=None) -> dict:
    return tiny_zskt_cfg(
        teacher=dict(cfg_path=teacher_path),
        student=tiny_classifier_cfg((3, 6, 24), in_channels=3),
        input_shape=input_shape)


@pytest.mark.parametrize('pipeline,size', [
    (RESIZE_32, (32, 32)),
    ([dict(type='Resize', scale=(40, 30))], (30, 40)),
    ([dict(type='Resize', scale=48),
      dict(type='CenterCrop', crop_size=32)], (32, 32)),
    ([dict(type='ResizeEdge', scale=32),
      dict(type='PackInputs')], None),
    ([], None),
])
def test_size_is_the_last_resize_or_crop(pipeline, size):
    assert input_size_from_config(Config(dict(test_pipeline=pipeline))) == \
        size


def test_test_dataloader_pipeline_wins_over_test_pipeline():
    cfg = Config(
        dict(
            test_pipeline=RESIZE_32,
            test_dataloader=dict(
                dataset=dict(
                    pipeline=[dict(type='CenterCrop', crop_size=24)]))))
    assert input_size_from_config(cfg) == (24, 24)


def test_zskt_infers_the_input_shape_from_the_teacher(tmp_path):
    model = MODELS.build(zskt_of(teacher_file(tmp_path)))
    assert model.input_shape == (3, 32, 32)
    assert model.generator.img_size == 32


def test_explicit_input_shape_wins(tmp_path):
    path = teacher_file(tmp_path, pipeline=[])
    model = MODELS.build(zskt_of(path, input_shape=(3, 36, 36)))
    assert model.input_shape == (3, 36, 36)


@pytest.mark.parametrize('cfg_path,why', [
    (False, 'the teacher is not given by `cfg_path`'),
    (True, 'the test pipeline of the teacher config has no resize or crop'),
])
def test_uninferable_input_shape_names_the_setting(tmp_path, cfg_path, why):
    cfg = zskt_of(teacher_file(tmp_path, pipeline=[]))
    if not cfg_path:
        cfg['teacher'] = tiny_classifier_cfg((6, 12, 24), in_channels=3)
    with pytest.raises(ValueError) as info:
        MODELS.build(cfg)
    message = str(info.value)
    assert message.startswith("Cannot infer the teacher's input shape: " + why)
    assert message.endswith('set `model.input_shape=(C, H, W)` to the images '
                            'it was trained on.')


def test_teacher_normalization_reads_its_data_preprocessor(tmp_path):
    top = teacher_file(tmp_path, data_preprocessor=NORM)
    assert teacher_normalization(dict(cfg_path=top)) == dict(
        mean=[1.0, 2.0, 3.0], std=[4.0, 5.0, 6.0])
    assert teacher_normalization(dict(cfg_path=teacher_file(tmp_path))) is None
    no_std = teacher_file(tmp_path, data_preprocessor=dict(mean=[1.0]))
    assert teacher_normalization(dict(cfg_path=no_std)) is None
    assert teacher_normalization(tiny_classifier_cfg()) is None


def zskd_cfg(teacher_path: str, **extra) -> Config:
    return Config(
        dict(
            model=dict(type='ZSKD', teacher=dict(cfg_path=teacher_path)),
            synthesis=dict(per_class=1, shard_size=1, iterations=1),
            **extra))


def test_teacher_normalization_in_its_model(tmp_path):
    path = tmp_path / 'teacher.py'
    model = dict(tiny_classifier_cfg(), data_preprocessor=NORM)
    Config(dict(model=model)).dump(path)
    assert teacher_normalization(
        dict(cfg_path=str(path)))['std'] == [4.0, 5.0, 6.0]


def test_zskd_normalisation_prefers_the_config(tmp_path):
    path = teacher_file(tmp_path, data_preprocessor=NORM)
    own = dict(mean=[9.0], std=[8.0])
    own_space = impressions.synthesis_pixel_space(
        zskd_cfg(path, data_preprocessor=own))
    assert (own_space.mean_255, own_space.std_255) == ([9.0], [8.0])
    space = impressions.synthesis_pixel_space(zskd_cfg(path))
    assert (space.mean_255, space.std_255) == ([1.0, 2.0,
                                                3.0], [4.0, 5.0, 6.0])


def test_zskd_without_any_normalisation_says_what_to_set(tmp_path):
    with pytest.raises(
            ValueError,
            match=r'set `data_preprocessor=dict\('
            r'mean=\[\.\.\.\], std=\[\.\.\.\]\)`'):
        impressions.synthesis_pixel_space(zskd_cfg(teacher_file(tmp_path)))


def test_zskd_synthesis_infers_shape_and_normalisation(tmp_path, monkeypatch):
    seen = {}

    def fake_synthesize(teacher, settings, pixel_space, *args):
        seen.update(
            settings=settings,
            mean=pixel_space.mean_255,
            std=pixel_space.std_255)

    monkeypatch.setattr(impressions, 'synthesize_impressions', fake_synthesize)
    path = teacher_file(tmp_path, data_preprocessor=NORM)
    impressions.synthesize_from_config(zskd_cfg(path), str(tmp_path))
    assert seen['settings']['input_shape'] == [3, 32, 32]
    assert (seen['mean'], seen['std']) == ([1.0, 2.0, 3.0], [4.0, 5.0, 6.0])


def test_teacher_normalization_of_a_built_preprocessor():
    built = MODELS.build(NORM)
    assert teacher_normalization(tiny_classifier_cfg(), built) == dict(
        mean=[1.0, 2.0, 3.0], std=[4.0, 5.0, 6.0])
    plain = MODELS.build(dict(type='mmpretrain.ClsDataPreprocessor'))
    assert teacher_normalization(tiny_classifier_cfg(), plain) is None


def test_the_algorithm_owns_one_pixel_space_that_its_parts_share(tmp_path):
    dfq = MODELS.build(tiny_generator_family_cfg('DFQ'))
    assert (dfq.pixel_space.mean_255, dfq.pixel_space.std_255) == ([127.5],
                                                                   [127.5])
    assert dfq.generator.pixel_space is dfq.pixel_space
    # a function of the config: never saved
    assert not any('pixel_space' in key for key in dfq.state_dict())
    adi = MODELS.build(dict(type='ADI', **tiny_inversion_cfg()))
    assert adi.synthesizer.pixel_space is adi.pixel_space
    # from the teacher's config file when the algorithm's sets none
    zskt = MODELS.build(
        zskt_of(teacher_file(tmp_path, data_preprocessor=NORM), (3, 32, 32)))
    assert zskt.pixel_space.std_255 == [4.0, 5.0, 6.0]
    assert MODELS.build(tiny_zskt_cfg()).pixel_space is None


def test_a_sigmoid_generator_without_normalisation_says_what_to_set():
    cfg = tiny_generator_family_cfg('DFQ')
    del cfg['data_preprocessor']
    with pytest.raises(ValueError, match='data_preprocessor'):
        MODELS.build(cfg)
