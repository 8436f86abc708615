# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Plots and grids for people to look at: logs, impressions, generator
samples."""
import json
from types import SimpleNamespace

import mmcv
import torch
from mmengine.logging import MessageHub
from mmengine.visualization import Visualizer

from mmrazor_zs.engine.hooks import SyntheticSamplesHook
from mmrazor_zs.models.synthesizers.impression_synthesis import (
    synthesis_settings, synthesize_impressions, teacher_fingerprint)
from mmrazor_zs.registry import MODELS
from mmrazor_zs.testing import tiny_classifier_cfg, tiny_zskt_cfg
from mmrazor_zs.utils import PixelSpace
from mmrazor_zs.visualization import label_strip
from ..conftest import run_tool


def test_analyze_logs_plots_every_run(tmp_path):
    logs = []
    for run, scale in (('a', 1.0), ('b', 2.0)):
        folder = tmp_path / run / '20260101_000000' / 'vis_data'
        folder.mkdir(parents=True)
        lines = [
            dict(loss=scale / i, lr=0.1, iter=i, step=i) for i in range(1, 5)
        ]
        lines.append({'accuracy/top1': 50 * scale, 'step': 4})
        (folder / 'scalars.json').write_text('\n'.join(
            json.dumps(line) for line in lines))
        logs.append(str(tmp_path / run))
    out = tmp_path / 'curves.png'
    log = run_tool('tools/analysis_tools/analyze_logs.py', *logs, '--keys',
                   'loss', 'accuracy/top1', '--out', str(out)).stdout
    assert 'loss, accuracy/top1' in log
    assert mmcv.imread(str(out)).shape[1] > mmcv.imread(str(out)).shape[0]


def test_vis_impressions_draws_one_grid_per_beta(tmp_path):
    torch.manual_seed(0)
    teacher = MODELS.build(tiny_classifier_cfg((6, 12, 24))).eval()
    settings = synthesis_settings(
        dict(input_shape=(1, 32, 32), per_class=4, shard_size=2, iterations=1))
    synthesize_impressions(
        teacher,
        settings,
        PixelSpace([0.], [255.]),
        str(tmp_path / 'di'),
        teacher_fingerprint(None),
        show_progress=False)
    run_tool('tools/analysis_tools/vis_impressions.py', str(tmp_path / 'di'),
             '--per-row', '3', '--out', str(tmp_path / 'vis'))
    for beta in ('0.1', '1.0'):
        grid = mmcv.imread(
            str(tmp_path / 'vis' / f'impressions_beta_{beta}'
                '.png'))
        # 10 class rows of 3 impressions of 32 x 32, 1-pixel borders,
        # after the strip of class indices
        strip = label_strip([str(k) for k in range(10)], 32)
        assert grid.shape == (10 * 33 + 1, strip.shape[1] + 3 * 33 + 1, 3)
        assert (grid[:, :strip.shape[1]] == strip[..., ::-1]).all()


def test_synthetic_samples_hook_draws_and_logs_class_statistics(tmp_path):
    torch.manual_seed(0)
    model = MODELS.build(
        tiny_zskt_cfg(
            data_preprocessor=dict(
                type='mmpretrain.ClsDataPreprocessor', mean=[33.], std=[78.])))
    visualizer = Visualizer.get_instance(
        'synthetic-samples-test',
        save_dir=str(tmp_path),
        vis_backends=[dict(type='LocalVisBackend')])
    names = [f'class {k}' for k in range(10)]
    visualizer.dataset_meta = dict(classes=names)
    runner = SimpleNamespace(
        model=model,
        visualizer=visualizer,
        message_hub=MessageHub.get_instance('synthetic-samples-test'))
    before = {k: v.clone() for k, v in model.generator.state_dict().items()}
    hook = SyntheticSamplesHook(num_samples=64, per_row=4)
    stats = hook.record(runner, step=7)
    assert 0 <= stats['synth/class_entropy'] <= 1
    assert 0.1 <= stats['synth/top_class_share'] <= 1
    assert runner.message_hub.get_scalar(
        'train/synth/class_entropy').current() == stats['synth/class_entropy']
    grid = mmcv.imread(
        str(tmp_path / 'vis_data' / 'vis_image' / 'synthetic_samples_7.png'))
    strip = label_strip(names, 32)
    assert grid.shape == (10 * 33 + 1, strip.shape[1] + 4 * 33 + 1, 3)
    assert (grid[:, :strip.shape[1]] == strip[..., ::-1]).all()
    histogram = mmcv.imread(
        str(tmp_path / 'vis_data' / 'vis_image' /
            'synthetic_class_histogram_7.png'))
    assert histogram.shape == (260, 400, 3)
    # the generator of the run is untouched (BN statistics included)
    for key, value in model.generator.state_dict().items():
        assert torch.equal(value, before[key]), key
