# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Belief matching of a student and its teacher (ZSKT, section 4.4).

    python tools/analysis_tools/belief_match.py CONFIG STUDENT_CKPT
        [--num-images 1000] [--steps 100] [--step-size 1.0] [--out DIR]
        [--batch-size 100] [--partial-load] [--cfg-options K=V ...]

CONFIG is the distillation config (its teacher, teacher checkpoint, data
preprocessor and test set are used); STUDENT_CKPT a distillation
checkpoint or the student alone (tools/model_converters/extract_student.py),
as a path or an http(s) URL.
On the first ``--num-images`` test images where both agree, the student is
pushed by plain gradient steps towards every other class; the teacher's
and the student's probability of that class are recorded at every step.
Prints the mean transition error (MTE) with K and xi, and writes to
``--out`` (default: next to the checkpoint; for a URL,
``work_dirs/CONFIG_NAME``) ``belief_match.png`` (mean
p_j against the step, +- 2 standard errors, both networks),
``belief_match.npz`` (every curve) and ``belief_match.json``.
"""
import argparse
import json
import os
import os.path as osp
import sys

import numpy as np
import torch
from mmengine.config import DictAction
from mmengine.registry import init_default_scope
from mmengine.runner import Runner

from mmrazor_zs.evaluation.functional import (agreeing_inputs,
                                              mean_transition_error,
                                              transition_curves)
from mmrazor_zs.models.utils import student_weights
from mmrazor_zs.registry import MODELS
from mmrazor_zs.utils import (is_url, keep_freed_memory_in_heap,
                              load_checkpoint_file, load_config,
                              register_all_modules, resolve_checkpoint,
                              state_dict_problems)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('student_ckpt')
    parser.add_argument('--num-images', type=int, default=1000)
    parser.add_argument('--steps', type=int, default=100, help='K')
    parser.add_argument('--step-size', type=float, default=1.0, help='xi')
    parser.add_argument(
        '--batch-size',
        type=int,
        default=100,
        help='images stepped together (x classes - 1)')
    parser.add_argument('--out', help='output folder')
    parser.add_argument(
        '--partial-load',
        action='store_true',
        help='load only the checkpoint keys that fit the student; without '
        'it missing, unexpected or mis-shaped keys are an error')
    parser.add_argument(
        '--cfg-options', nargs='+', action=DictAction, default={})
    return parser.parse_args()


def student_state_dict(path: str) -> dict:
    """The student's weights from a distillation checkpoint, or the
    checkpoint's own weights when it holds the student alone."""
    state = load_checkpoint_file(resolve_checkpoint(path))
    state = state.get('state_dict', state)
    return student_weights(state) or state


def load_student(student: torch.nn.Module, path: str,
                 partial_load: bool) -> None:
    """Load the student's weights of ``path``, or exit listing the keys that do
    not fit (all keys that fit with ``partial_load``)."""
    state = student_state_dict(path)
    expected = student.state_dict()
    problems = state_dict_problems(expected, state)
    if problems and not partial_load:
        sys.exit(f'Cannot measure: {path} does not fit the student built '
                 'from the config: ' + '; '.join(problems) + '. Give a '
                 'checkpoint of this config\'s student, or pass '
                 '--partial-load to load only the keys that fit.')
    fitting = {
        k: v
        for k, v in state.items()
        if k in expected and v.shape == expected[k].shape
    }
    student.load_state_dict(fitting, strict=False)


def default_out_dir(config: str, student_ckpt: str) -> str:
    """Next to a local checkpoint; ``work_dirs/CONFIG_NAME`` for a URL."""
    if is_url(student_ckpt):
        return osp.join('work_dirs', osp.splitext(osp.basename(config))[0])
    return osp.dirname(osp.abspath(student_ckpt))


def plot(curves: dict, mte: float, steps: int, step_size: float,
         path: str) -> None:
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(5, 3.5), dpi=120)
    x = np.arange(steps)
    for name, colour in (('teacher', 'tab:blue'), ('student', 'tab:orange')):
        values = curves[name].reshape(-1, steps).numpy()
        mean = values.mean(0)
        sem = values.std(
            0, ddof=1) / np.sqrt(
                len(values)) if len(values) > 1 else np.zeros_like(mean)
        ax.plot(x, mean, color=colour, label=name)
        ax.fill_between(
            x, mean - 2 * sem, mean + 2 * sem, color=colour, alpha=0.25)
    ax.set_xlabel('step k (gradient steps on the student)')
    ax.set_ylabel('p_j (target class)')
    ax.set_ylim(0, 1)
    ax.set_title(f'MTE {mte:.3f} (K={steps}, xi={step_size})')
    ax.legend(loc='lower right')
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def main() -> None:
    args = parse_args()
    keep_freed_memory_in_heap()
    register_all_modules()
    cfg = load_config(args.config)
    cfg.merge_from_dict(args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmrazor_zs'))
    model_cfg = cfg.model
    if 'data_preprocessor' not in model_cfg and cfg.get('data_preprocessor'):
        model_cfg.data_preprocessor = cfg.data_preprocessor
    model = MODELS.build(model_cfg)
    load_student(model.student, args.student_ckpt, args.partial_load)
    device = 'cuda' if torch.cuda.is_available() else 'cpu'
    model = model.to(device).eval()
    for param in model.parameters():
        param.requires_grad_(False)

    loader = Runner.build_dataloader(cfg.test_dataloader)
    chosen = agreeing_inputs(model, loader, args.num_images)
    curves = transition_curves(model.student, model.teacher, chosen['inputs'],
                               chosen['labels'], args.steps, args.step_size,
                               args.batch_size)
    mte = mean_transition_error(curves)

    out = args.out or default_out_dir(args.config, args.student_ckpt)
    os.makedirs(out, exist_ok=True)
    result = dict(
        mte=round(mte, 4),
        steps=args.steps,
        step_size=args.step_size,
        num_images=int(len(chosen['labels'])),
        config=args.config,
        student_ckpt=args.student_ckpt)
    with open(osp.join(out, 'belief_match.json'), 'w') as file:
        json.dump(result, file, indent=2)
    np.savez_compressed(
        osp.join(out, 'belief_match.npz'),
        labels=chosen['labels'].cpu().numpy(),
        **{k: v.numpy()
           for k, v in curves.items()})
    plot(curves, mte, args.steps, args.step_size,
         osp.join(out, 'belief_match.png'))
    print(f"MTE {mte:.4f} over {result['num_images']} images, "
          f'K={args.steps}, xi={args.step_size}; curves in {out}')


if __name__ == '__main__':
    main()
