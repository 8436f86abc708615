# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Tiny models for tests and benchmarks: every algorithm runs on the CPU in
milliseconds with them."""
from typing import Sequence

from mmrazor_zs.utils import check_choice

#: the generator preset of each generator-family algorithm
FAMILY_GENERATORS = dict(
    DAFL='DAFLGenerator', DFAD='DAFLGenerator', DFQ='DFQGenerator')


def tiny_classifier_cfg(widths: Sequence[int] = (4, 8, 16),
                        num_classes: int = 10,
                        out_indices: Sequence[int] = (2, ),
                        in_channels: int = 1,
                        batch_norm: bool = False) -> dict:
    """An mmpretrain ImageClassifier on a narrow LeNet-5 (``in_channels`` x 32
    x 32), with a BatchNorm2d after each convolution if ``batch_norm``."""
    return dict(
        _scope_='mmpretrain',
        type='ImageClassifier',
        backbone=dict(
            type='mmrazor_zs.LeNet5Backbone',
            widths=tuple(widths),
            in_channels=in_channels,
            out_indices=tuple(out_indices),
            batch_norm=batch_norm),
        neck=dict(type='GlobalAveragePooling'),
        head=dict(
            type='LinearClsHead',
            num_classes=num_classes,
            in_channels=widths[-1],
            loss=dict(type='CrossEntropyLoss')))


def tiny_zskt_cfg(**overrides) -> dict:
    """A ZSKT config with tiny teacher, student and generator."""
    cfg = dict(
        type='ZSKT',
        teacher=tiny_classifier_cfg((6, 12, 24)),
        student=tiny_classifier_cfg((3, 6, 24)),
        generator=dict(
            type='ZSKTGenerator',
            latent_dim=16,
            seed_channels=8,
            hidden_channels=(8, 8)),
        input_shape=(1, 32, 32),
        batch_size=8,
        generator_steps=1,
        student_steps=3,
        seed=0,
    )
    cfg.update(overrides)
    return cfg


def tiny_generator_family_cfg(algorithm: str, **overrides) -> dict:
    """A tiny config of ``algorithm`` ('DAFL', 'DFAD' or 'DFQ'): a teacher with
    batch norm (DFQ reads its statistics), a student without, and a narrow
    generator of the algorithm's preset; two student steps for DFAD and DFQ
    (DAFL keeps its one joint step).

    DFQ gets the normalisation ``mean=std=127.5`` (its sigmoid generator's
    ``pixel_space``) through its ``data_preprocessor``.
    """
    check_choice('algorithm', algorithm, FAMILY_GENERATORS)
    generator = dict(
        type=FAMILY_GENERATORS[algorithm],
        latent_dim=16,
        seed_channels=8,
        hidden_channels=(8, 8))
    cfg = dict(
        type=algorithm,
        teacher=tiny_classifier_cfg((6, 12, 24), batch_norm=True),
        student=tiny_classifier_cfg((3, 6, 24)),
        generator=generator,
        input_shape=(1, 32, 32),
        batch_size=8,
        seed=0,
    )
    if algorithm != 'DAFL':
        cfg['student_steps'] = 2
    if algorithm == 'DFQ':
        cfg['data_preprocessor'] = dict(
            type='mmpretrain.ClsDataPreprocessor', mean=[127.5], std=[127.5])
    cfg.update(overrides)
    return cfg


def tiny_inversion_cfg(**overrides) -> dict:
    """A tiny config (no ``type``) of an inversion algorithm: a teacher and a
    student with batch norm, 4-image student batches, a round every 3 student
    steps, 6-image rounds of 3 steps, normalisation ``mean=std=127.5``."""
    cfg = dict(
        teacher=tiny_classifier_cfg((6, 12, 24), batch_norm=True),
        student=tiny_classifier_cfg((3, 6, 24), batch_norm=True),
        input_shape=(1, 32, 32),
        batch_size=4,
        round_interval=3,
        seed=0,
        data_preprocessor=dict(
            type='mmpretrain.ClsDataPreprocessor', mean=[127.5], std=[127.5]),
        synthesizer=dict(batch_size=6, steps=3),
        pool_augment=dict(padding=2, flip=True))
    cfg.update(overrides)
    return cfg
