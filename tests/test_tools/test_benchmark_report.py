# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""tools/analysis_tools/benchmark_report.py on fake ``summary.json`` trees."""
import json
import os.path as osp

import pytest

from ..conftest import REPO_ROOT, load_module_from_file, run_tool

TOOL = 'tools/analysis_tools/benchmark_report.py'
PAPERS = 'docs/en/benchmark_paper_rows.yml'
PNG_HEADER = b'\x89PNG\r\n\x1a\n'
ZSKT = 'configs/zskt/zskt_logits_lenet5_lenet5-half_1xb128_mnist.py'
DFQ = 'configs/dfq/dfq_lenet5-bn_lenet5-half_1xb256_mnist.py'
ZSKD = 'configs/zskd/zskd_lenet5_lenet5-half_1xb64_fashion-mnist.py'
TEACHER = 'checkpoints/lenet5_1xb64_mnist.pth'


@pytest.fixture(scope='module')
def tool():
    return load_module_from_file('benchmark_report', osp.join(REPO_ROOT, TOOL))


def summary(config, seed, student, **fields):
    """A summary of format 2 as the DistillSummaryHook writes it."""
    command = [
        'tools/train.py', config, '--work-dir', f'work_dirs/x/seed_{seed}',
        '--cfg-options', f'randomness.seed={seed}', 'train_cfg.max_iters=10'
    ]
    content = dict(
        summary_format=2,
        teacher_top1=99.3,
        student_top1=student,
        student_best_top1=student + 0.1,
        iterations=10,
        train_wall_time_s=90.,
        run_wall_time_s=100. + seed,
        metrics={},
        config=config,
        command=command,
        world_size=1,
        algorithm=osp.basename(config).split('_')[0].upper(),
        dataset='OfflineMNIST',
        teacher_ckpt=TEACHER,
        seed=seed,
        model_seed=seed,
        synthesis_seed=None,
        git=None)
    content.update(fields)
    return content


def write(folder, content, timestamp='20260101_000000'):
    path = folder / timestamp / 'summary.json'
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(content))
    return path


@pytest.fixture
def runs(tmp_path):
    """A ZSKT sweep of three seeds and a DFQ run on MNIST, a ZSKD run on
    Fashion-MNIST."""
    root = tmp_path / 'runs'
    for seed, student in ((0, 98.0), (1, 98.5), (2, 99.0)):
        write(
            root / 'zskt' / f'seed_{seed}',
            summary(
                ZSKT,
                seed,
                student,
                synthesized_images=3840,
                generator_step_time_s=20. + seed))
    write(root / 'dfq', summary(DFQ, 0, 97.0, synthesized_images=5120))
    write(
        root / 'zskd',
        summary(
            ZSKD,
            0,
            80.0,
            dataset='OfflineFashionMNIST',
            teacher_top1=90.5,
            synthesized_images=48000,
            synthesis_time_s=300.))
    return root


def section(text, name):
    """The Markdown of one dataset's section."""
    return text.split(f'## {name}\n')[1].split('\n## ')[0]


def row(text, method):
    """The cells of the table row of ``method``."""
    line = next(line for line in text.splitlines()
                if line.startswith(f'| {method} '))
    return [cell.strip() for cell in line.strip('|').split(' | ')]


def test_tables_group_by_dataset_and_config_with_mean_std_and_gap(
        tool, runs, tmp_path):
    text = tool.report([str(runs)], str(tmp_path / 'out'))
    assert text == (tmp_path / 'out' / 'benchmark.md').read_text()
    mnist, fashion = section(text, 'MNIST'), section(text, 'Fashion-MNIST')
    zskt = row(mnist, 'ZSKT')
    assert zskt[1:8] == [
        '99.30', '98.50 ± 0.50 (n=3)', '98.60 ± 0.50', '0.80', '101.0 ± 1.0',
        '21.0 ± 1.0\u2020', '3,840'
    ]
    # several seeds: the sweep that makes them, without the seeds' options
    assert zskt[8] == (f'`python tools/analysis_tools/multi_seed.py {ZSKT} '
                       '--seeds 0 1 2 --cfg-options train_cfg.max_iters=10`')
    dfq = row(mnist, 'DFQ')
    assert dfq[1:8] == [
        '99.30', '97.00', '97.10', '2.30', '100.0', '-', '5,120'
    ]
    assert dfq[8] == (f'`python tools/train.py {DFQ} --cfg-options '
                      'randomness.seed=0 train_cfg.max_iters=10`')
    assert '\u2020 the generator\'s own steps' in mnist
    assert row(fashion, 'ZSKD')[1:8] == [
        '90.50', '80.00', '80.10', '10.50', '100.0', '300.0', '48,000'
    ]
    assert 'ZSKT' not in fashion and 'ZSKD' not in mnist


def test_paper_rows_are_marked_and_shown_with_their_dataset(
        tool, runs, tmp_path):
    text = tool.report([str(runs)], str(tmp_path / 'out'),
                       osp.join(REPO_ROOT, PAPERS))
    mnist, fashion = section(text, 'MNIST'), section(text, 'Fashion-MNIST')
    paper = row(mnist, 'ZSKD (paper)')
    assert paper[1:3] == ['99.34', '98.77'] and paper[7] == '24,000'
    assert paper[8].startswith('paper: Nayak et al.')
    assert row(fashion, 'ZSKD (paper)')[1:3] == ['90.84', '79.62']
    assert 'not measured here' in mnist


def test_the_overview_puts_each_method_s_datasets_side_by_side(
        tool, runs, tmp_path):
    tool.report([str(runs)], str(tmp_path / 'out'),
                osp.join(REPO_ROOT, PAPERS))
    text = (tmp_path / 'out' / 'overview.md').read_text()
    assert text.splitlines()[0] == (
        '| method | MNIST teacher | MNIST student | MNIST run (s) | '
        'Fashion-MNIST teacher | Fashion-MNIST student | '
        'Fashion-MNIST run (s) |')
    assert row(text, 'ZSKT')[1:] == [
        '99.30', '98.50 ± 0.50 (n=3)', '101 ± 1', '-', '-', '-'
    ]
    assert row(text, 'ZSKD')[1:] == ['-', '-', '-', '90.50', '80.00', '100']
    # the ZSKD paper's two datasets share one row, after the measured ones
    assert row(text, 'ZSKD (paper)')[1:] == [
        '99.34', '98.77', '-', '90.84', '79.62', '-'
    ]
    lines = text.splitlines()
    assert lines.index(next(line for line in lines if '(paper)' in line)) > \
        max(lines.index(next(line for line in lines
                             if line.startswith(f'| {m} ')))
            for m in ('DFQ', 'ZSKD', 'ZSKT'))


def test_a_plot_per_dataset(tool, runs, tmp_path):
    out = tmp_path / 'out'
    text = tool.report([str(runs)], str(out), title='LeNet-5 benchmark')
    assert text.startswith('# LeNet-5 benchmark\n')
    for name in ('mnist', 'fashion-mnist'):
        data = (out / f'benchmark_{name}.png').read_bytes()
        assert data.startswith(PNG_HEADER) and len(data) > 1000
        assert f'(benchmark_{name}.png)' in text


def test_the_newest_summary_of_a_work_dir_counts(tool, runs, tmp_path, capsys):
    write(
        runs / 'dfq',
        summary(DFQ, 0, 50.0, synthesized_images=5120),
        timestamp='20260102_000000')
    text = tool.report([str(runs / '*')], str(tmp_path / 'out'))
    assert row(section(text, 'MNIST'), 'DFQ')[2] == '50.00'
    assert capsys.readouterr().err == ''  # not a repeated seed


def test_a_seed_in_two_work_dirs_counts_once_with_a_warning(
        tool, runs, tmp_path, capsys):
    write(
        runs / 'zskt_before' / 'seed_2',
        summary(ZSKT, 2, 90.0),
        timestamp='20251231_000000')
    text = tool.report([str(runs)], str(tmp_path / 'out'))
    assert row(section(text, 'MNIST'), 'ZSKT')[2] == '98.50 ± 0.50 (n=3)'
    assert 'seed 2 of' in capsys.readouterr().err


def test_mixed_teachers_warn(tool, runs, tmp_path, capsys):
    path = next((runs / 'dfq').glob('*/summary.json'))
    content = json.loads(path.read_text())
    content.update(teacher_ckpt='checkpoints/lenet5-bn.pth', teacher_top1=99.)
    path.write_text(json.dumps(content))
    text = tool.report([str(runs)], str(tmp_path / 'out'))
    warning = capsys.readouterr().err
    assert 'Warning: MNIST: the runs distil 2 different teachers' in warning
    assert 'lenet5-bn.pth (top-1 99.00): DFQ' in warning
    assert 'The runs distil 2 teachers' in section(text, 'MNIST')
    assert 'teachers' not in section(text, 'Fashion-MNIST')


def test_no_summary_is_an_error(tool, tmp_path):
    with pytest.raises(
            SystemExit,
            match='No summary.json under .*Give the '
            'work dirs of finished runs'):
        tool.main([str(tmp_path), '--out-dir', str(tmp_path / 'out')])


@pytest.mark.parametrize('field,since', [('run_wall_time_s', 2),
                                         ('student_top1', 1)])
def test_a_missing_field_names_the_file_and_the_format(tool, runs, tmp_path,
                                                       field, since):
    path = next((runs / 'dfq').glob('*/summary.json'))
    content = json.loads(path.read_text())
    del content[field]
    path.write_text(json.dumps(content))
    with pytest.raises(SystemExit) as error:
        tool.main([str(runs), '--out-dir', str(tmp_path / 'out')])
    message = str(error.value)
    assert str(path) in message and f'no `{field}`' in message
    assert f'from summary format {since} on (this file is format 2' in message


def test_an_old_summary_says_its_format(tool, tmp_path):
    old = dict(
        teacher_top1=99.,
        student_top1=98.,
        student_best_top1=98.,
        iterations=1,
        train_wall_time_s=1.,
        metrics={})
    write(tmp_path / 'old', old)
    with pytest.raises(
            SystemExit,
            match='no `run_wall_time_s`.*format 2 on '
            r'\(this file is format 1'):
        tool.main([str(tmp_path), '--out-dir', str(tmp_path / 'out')])


def test_a_bad_paper_row_names_the_row(tool, runs, tmp_path):
    papers = tmp_path / 'papers.json'
    papers.write_text(
        json.dumps(dict(rows=[dict(dataset='MNIST', method='X')])))
    with pytest.raises(
            SystemExit,
            match=r'papers.json: row 0 has no '
            'teacher_top1, student_top1, source'):
        tool.main([
            str(runs), '--papers',
            str(papers), '--out-dir',
            str(tmp_path / 'out')
        ])


def test_command_line(runs, tmp_path):
    out = tmp_path / 'out'
    log = run_tool(TOOL, str(runs), '--out-dir', str(out), '--papers', PAPERS,
                   '--title', 'Smoke').stdout
    assert log.startswith('# Smoke') and 'ZSKD (paper)' in log
    assert sorted(p.name for p in out.iterdir()) == [
        'benchmark.md', 'benchmark_fashion-mnist.png', 'benchmark_mnist.png',
        'overview.md'
    ]
    assert log.index('## MNIST') < log.index('## Fashion-MNIST')
