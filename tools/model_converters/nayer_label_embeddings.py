# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Convert one of the NAYER authors' label-embedding files to the project's
format, for ``NoisyLayerGenerator(label_embeddings=OUT)``.

    python tools/model_converters/nayer_label_embeddings.py PICKLE LABELS OUT

PICKLE is ``label_embedding/<dataset>_le.pickle`` of tmtuan1307/NAYER
(c6bedcd; CIFAR-10, CIFAR-100, Tiny-ImageNet, ImageNet): CLIP ViT-B/32
``encode_text`` of ``"a image of {name}"``, one row per class; the CIFAR and
Tiny-ImageNet files are float16 tensors pickled on ``cuda:0``, read here on
the CPU (and with an unpickler that accepts nothing but a tensor). LABELS
is the matching ``label_embedding/<dataset>_label.txt`` (one class name per
line, in class order); the row count must match it. OUT is written to a
temporary file and renamed into place; the source file's sha256 goes into its
``source``.
"""
import argparse
import hashlib

from mmrazor_zs.models.generators.label_embeddings import (
    read_nayer_pickle, save_label_embeddings)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description='NAYER label embeddings (pickle) -> project format')
    parser.add_argument('pickle', help='label_embedding/<dataset>_le.pickle')
    parser.add_argument('labels', help='label_embedding/<dataset>_label.txt')
    parser.add_argument('out', help='output file (.pth)')
    return parser.parse_args()


def main() -> None:
    args = parse_args()
    embeddings = read_nayer_pickle(args.pickle)
    with open(args.labels, encoding='utf-8') as file:
        classes = [line.strip() for line in file if line.strip()]
    if len(classes) != len(embeddings):
        raise SystemExit(
            f'{args.labels} names {len(classes)} classes but {args.pickle} '
            f'holds {len(embeddings)} rows: give the label file of the same '
            'dataset.')
    with open(args.pickle, 'rb') as file:
        digest = hashlib.sha256(file.read()).hexdigest()
    save_label_embeddings(
        args.out,
        embeddings,
        classes,
        source=('CLIP ViT-B/32 encode_text("a image of {name}"), '
                f'tmtuan1307/NAYER {args.pickle} sha256 {digest}'))
    print(f'{len(classes)} x {embeddings.shape[1]} label embeddings -> '
          f'{args.out}')


if __name__ == '__main__':
    main()
