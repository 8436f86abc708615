# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""tools/train.py on the ZSKD digits config: stage 1 (run by the config's
``SynthesizedDataTrainLoop``) then stage 2; stage 1 is skipped when the
impressions are already there and finished when they are not."""
import json
import os

from mmengine.config import Config

from ..conftest import REPO_ROOT, run_tool

CONFIG = 'configs/zskd/zskd_lenet5_lenet5-half_1xb64_digits.py'
SHORT = [
    'synthesis.per_class=4', 'synthesis.shard_size=2',
    'synthesis.iterations=2', 'train_cfg.max_epochs=2',
    'train_cfg.val_interval=2', 'train_dataloader.batch_size=8'
]


def test_one_command_runs_both_stages_then_reuses_impressions(tmp_path):
    first = run_tool('tools/train.py', CONFIG, '--work-dir', str(tmp_path),
                     '--cfg-options', *SHORT)
    log = first.stdout + first.stderr
    assert '40/40' in log  # the synthesis progress bar
    assert 'Distillation summary' in log and 'teacher/top1' in log
    manifest = json.load(open(tmp_path / 'impressions' / 'manifest.json'))
    assert manifest['total'] == 40
    assert manifest['counts']['0'] == {'1.0': 2, '0.1': 2}
    assert len(manifest['teacher_sha256']) == 64
    stamp = os.path.getmtime(tmp_path / 'impressions' / 'manifest.json')
    second = run_tool('tools/train.py', CONFIG, '--work-dir', str(tmp_path),
                      '--cfg-options', *SHORT)
    assert '40/40' not in second.stdout + second.stderr
    assert os.path.getmtime(tmp_path / 'impressions' /
                            'manifest.json') == stamp
    # a set left unfinished (two shards and the manifest lost) is finished
    for name in ('manifest.json', 'shard_00007.pth', 'shard_00019.pth'):
        os.remove(tmp_path / 'impressions' / name)
    third = run_tool('tools/train.py', CONFIG, '--work-dir', str(tmp_path),
                     '--cfg-options', *SHORT)
    assert '4/4' in third.stdout + third.stderr
    assert json.load(open(tmp_path / 'impressions' /
                          'manifest.json'))['total'] == 40
    check_the_impression_report(tmp_path)


def check_the_impression_report(work_dir):
    """zskd_impression_report.py on the run's last checkpoint: its numbers
    agree with each other and with the run's own summary."""
    ckpt = sorted(work_dir.glob('*.pth'))[-1]
    out = work_dir / 'report.json'
    run_tool('tools/analysis_tools/zskd_impression_report.py', CONFIG,
             str(ckpt), str(work_dir / 'impressions'), '--out', str(out))
    report = json.load(open(out))
    summary = json.load(open(sorted(work_dir.glob('*/summary.json'))[-1]))
    assert abs(report['teacher_top1'] - summary['teacher_top1']) < 1e-6
    assert abs(report['student_top1'] - summary['student_top1']) < 1e-6
    confusion = report['student_confusion']
    answers = [sum(row[k] for row in confusion) for k in range(10)]
    assert answers == report['student_answers_per_class']
    correct = sum(confusion[k][k] for k in range(10))
    assert abs(100 * correct / sum(answers) - report['student_top1']) < 1e-6
    impressions = report['impressions']
    assert impressions['count'] == 40
    assert 0 <= impressions['share_at_255'] <= 1
    assert 0 < impressions['mean_pixel'] < 255
    assert 0 < report['test_mean_pixel'] < 255


def test_the_config_names_the_loop_that_runs_stage_1():
    cfg = Config.fromfile(os.path.join(REPO_ROOT, CONFIG))
    assert cfg.train_cfg.type == 'SynthesizedDataTrainLoop'
    assert cfg.train_cfg.synthesizer == dict(type='ImpressionSynthesis')
    assert cfg.train_dataloader.dataset.data_root is None
