# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""SynthesizedDataTrainLoop: the synthesis stage runs before the dataloader
is built, points the dataset at its folder, and draws nothing from the run's
random streams."""
import random
from types import SimpleNamespace

import numpy as np
import torch

from mmrazor_zs.registry import LOOPS, MODELS


@MODELS.register_module(force=True)
class RecordingSynthesis:
    """A synthesis stage that draws random numbers and records its call."""

    calls: list = []

    def prepare(self, cfg, work_dir: str) -> str:
        self.calls.append((cfg, work_dir))
        torch.rand(5), np.random.rand(5), random.random()
        return f'{work_dir}/made'


class FourBatches(list):
    """A dataloader of four batches."""

    dataset = SimpleNamespace(metainfo={})


def stub_runner(built: list) -> SimpleNamespace:
    """What the loop reads from mmengine's Runner; ``built`` receives the
    dataloader configs it is asked to build."""

    def build_dataloader(cfg, seed, diff_rank_seed):
        built.append(cfg)
        return FourBatches([0] * 4)

    return SimpleNamespace(
        cfg=dict(synthesis=dict(per_class=2)),
        work_dir='/work',
        _randomness_cfg={},
        seed=0,
        build_dataloader=build_dataloader,
        visualizer=SimpleNamespace())


def build_loop(dataloader: dict, built: list):
    return LOOPS.build(
        dict(
            type='SynthesizedDataTrainLoop',
            synthesizer=dict(type='RecordingSynthesis'),
            max_epochs=3),
        default_args=dict(runner=stub_runner(built), dataloader=dataloader))


def test_synthesis_runs_first_and_sets_the_data_root():
    RecordingSynthesis.calls.clear()
    built = []
    dataloader = dict(batch_size=2, dataset=dict(type='D', data_root=None))
    loop = build_loop(dataloader, built)
    assert RecordingSynthesis.calls == [(dict(synthesis=dict(per_class=2)),
                                         '/work')]
    assert built[0]['dataset']['data_root'] == '/work/made'
    assert dataloader['dataset']['data_root'] is None  # the config is kept
    assert loop.max_epochs == 3 and loop.max_iters == 12


def test_a_data_root_set_in_the_config_is_kept():
    built = []
    build_loop(dict(dataset=dict(type='D', data_root='/mine')), built)
    assert built[0]['dataset']['data_root'] == '/mine'


def test_the_synthesis_draws_nothing_from_the_runs_streams():
    torch.manual_seed(1), np.random.seed(1), random.seed(1)
    expected = torch.rand(2), np.random.rand(2), random.random()
    torch.manual_seed(1), np.random.seed(1), random.seed(1)
    build_loop(dict(dataset=dict(type='D', data_root=None)), [])
    after = torch.rand(2), np.random.rand(2), random.random()
    assert torch.equal(after[0], expected[0])
    assert np.array_equal(after[1], expected[1]) and after[2] == expected[2]


def test_synthesis_summary_reads_the_sets_manifest(tmp_path):
    """What the DistillSummaryHook writes for ZSKD: the set's size, the time
    that made it and its seed, from the manifest (empty without one)."""
    loop = build_loop(dict(dataset=dict(type='D', data_root=None)), [])
    loop.synthesis_folder = str(tmp_path)
    assert loop.synthesis_summary() == {}
    (tmp_path / 'manifest.json').write_text(
        '{"total": 100, "synthesis_wall_time_s": 6.5, '
        '"settings": {"seed": 3}}')
    assert loop.synthesis_summary() == dict(
        synthesized_images=100, synthesis_time_s=6.5, synthesis_seed=3)
