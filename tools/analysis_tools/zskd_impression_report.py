# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Where a ZSKD student goes wrong: its answers on the real test split beside
the teacher's, and what its data impressions look like.

    python tools/analysis_tools/zskd_impression_report.py CONFIG STUDENT_CKPT
        IMPRESSIONS_DIR [--out report.json]

STUDENT_CKPT is a distillation checkpoint or a published student;
IMPRESSIONS_DIR a finished synthesis (``WORK_DIR/impressions``). Printed and
written as JSON: teacher and student top-1 on the config's test split, the
student's answers per class and its confusion matrix (rows: true class),
and for the impressions the mean pixel (0..255) beside the test images',
the shares of pixels at 0 and at 255, how often the teacher's top class is
the class an impression was made for, and how often the student agrees with
the teacher on them.
"""
import argparse
import json

import torch
from mmengine.registry import init_default_scope
from mmengine.runner import Runner

from mmrazor_zs.datasets import DataImpressions
from mmrazor_zs.models.utils import student_weights
from mmrazor_zs.registry import MODELS
from mmrazor_zs.utils import (load_checkpoint_file, load_config,
                              register_all_modules, resolve_checkpoint)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('config')
    parser.add_argument('student_ckpt')
    parser.add_argument('impressions')
    parser.add_argument('--out', help='write the report as JSON here')
    return parser.parse_args()


@torch.no_grad()
def test_split_answers(model, loader) -> dict:
    """Labels, teacher and student answers and mean pixel on the test split."""
    labels, teacher, student, pixel_sum, pixels = [], [], [], 0.0, 0
    for batch in loader:
        raw = torch.stack(batch['inputs']).float()
        pixel_sum, pixels = pixel_sum + raw.sum().item(), pixels + raw.numel()
        data = model.data_preprocessor(batch, False)
        labels.append(torch.cat([s.gt_label for s in data['data_samples']]))
        teacher.append(model.teacher(data['inputs'], mode='tensor').argmax(1))
        student.append(model.student(data['inputs'], mode='tensor').argmax(1))
    return dict(
        labels=torch.cat(labels),
        teacher=torch.cat(teacher),
        student=torch.cat(student),
        mean_pixel=pixel_sum / pixels)


@torch.no_grad()
def impression_stats(model, folder: str) -> dict:
    """Pixel statistics of the impressions and the networks' answers."""
    items = DataImpressions(data_root=folder, lazy_init=False)
    images = torch.stack([
        torch.as_tensor(items.get_data_info(i)['img'])
        for i in range(len(items))
    ]).permute(0, 3, 1, 2)
    made_for = torch.tensor(
        [items.get_data_info(i)['gt_label'] for i in range(len(items))])
    inputs = model.pixel_space.normalize(images.float() / 255)
    teacher = model.teacher(inputs, mode='tensor').argmax(1)
    student = model.student(inputs, mode='tensor').argmax(1)
    return dict(
        count=len(images),
        mean_pixel=images.float().mean().item(),
        share_at_0=(images == 0).float().mean().item(),
        share_at_255=(images == 255).float().mean().item(),
        teacher_top_class_is_made_for=(
            teacher == made_for).float().mean().item(),
        student_agrees_with_teacher=(student == teacher).float().mean().item())


def main() -> None:
    args = parse_args()
    register_all_modules()
    cfg = load_config(args.config)
    init_default_scope(cfg.get('default_scope', 'mmrazor_zs'))
    model_cfg = cfg.model
    if 'data_preprocessor' not in model_cfg and cfg.get('data_preprocessor'):
        model_cfg.data_preprocessor = cfg.data_preprocessor
    model = MODELS.build(model_cfg).eval()
    state = load_checkpoint_file(resolve_checkpoint(args.student_ckpt))
    state = state.get('state_dict', state)
    model.student.load_state_dict(student_weights(state) or state)
    answers = test_split_answers(model,
                                 Runner.build_dataloader(cfg.test_dataloader))
    classes = int(answers['labels'].max()) + 1
    confusion = torch.zeros(classes, classes, dtype=torch.long)
    confusion.index_put_((answers['labels'], answers['student']),
                         torch.ones_like(answers['labels']),
                         accumulate=True)
    report = dict(
        teacher_top1=(answers['teacher']
                      == answers['labels']).float().mean().item() * 100,
        student_top1=(answers['student']
                      == answers['labels']).float().mean().item() * 100,
        student_answers_per_class=torch.bincount(
            answers['student'], minlength=classes).tolist(),
        student_confusion=confusion.tolist(),
        test_mean_pixel=answers['mean_pixel'],
        impressions=impression_stats(model, args.impressions))
    text = json.dumps(report, indent=1)
    print(text)
    if args.out:
        with open(args.out, 'w') as file:
            file.write(text + '\n')


if __name__ == '__main__':
    main()
