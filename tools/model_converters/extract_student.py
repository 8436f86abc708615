# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Turn a distillation checkpoint into a plain mmpretrain checkpoint of the
student.

    python tools/model_converters/extract_student.py IN.pth OUT.pth

Keeps the ``student.`` weights without the prefix, under ``state_dict``
with a small ``meta``, so that mmpretrain's ``ImageClassifier`` built from
the student's config loads them strictly (``load_from=OUT.pth``,
``tools/test.py STUDENT_CONFIG OUT.pth`` or ``mmpretrain.apis``). The output
is written to a temporary file and renamed into place.
"""
import argparse
import os
import os.path as osp
import sys

from mmrazor_zs.models.utils import STUDENT_PREFIX, student_weights
from mmrazor_zs.utils import (CheckpointError, atomic_torch_save,
                              load_checkpoint_file)


def extract_student(checkpoint: dict) -> dict:
    """The student's checkpoint from a distillation checkpoint.

    Raises:
        KeyError: If the checkpoint holds no ``student.`` weights.
    """
    state_dict = checkpoint.get('state_dict', checkpoint)
    student = student_weights(state_dict)
    if not student:
        prefixes = sorted({key.split('.')[0] for key in state_dict})
        raise KeyError('The checkpoint holds no student weights (no key '
                       f'starts with {STUDENT_PREFIX!r}; top-level names: '
                       f'{prefixes}). Is it a distillation checkpoint?')
    meta = checkpoint.get('meta', {})
    kept_meta = {
        k: meta[k]
        for k in ('mmengine_version', 'dataset_meta', 'seed', 'iter')
        if k in meta
    }
    return {'state_dict': student, 'meta': kept_meta}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('in_file', help='distillation checkpoint')
    parser.add_argument('out_file', help='where to write the student')
    args = parser.parse_args()
    try:
        student = extract_student(load_checkpoint_file(args.in_file))
    except (CheckpointError, KeyError) as err:
        sys.exit(f'Cannot extract the student: {err.args[0]}')
    out_dir = osp.dirname(osp.abspath(args.out_file))
    os.makedirs(out_dir, exist_ok=True)
    atomic_torch_save(student, args.out_file)
    print(f'Saved {len(student["state_dict"])} student tensors to '
          f'{args.out_file}')


if __name__ == '__main__':
    main()
