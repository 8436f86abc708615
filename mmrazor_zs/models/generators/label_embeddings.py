# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Label-text embeddings (LTE): one vector per class, the input of NAYER's
generator.

NAYER (Tran et al., CVPR 2024) feeds its generator the CLIP ViT-B/32 text
features of ``"a image of {class name}"``, one 512-d row per class, raw
(not unit length), as the authors ship them for CIFAR-10/100, Tiny-ImageNet
and ImageNet (tmtuan1307/NAYER c6bedcd, ``label_embedding/*_le.pickle``,
made by ``label_embedding/label_embedding.py``). This module reads and writes
them in the project's format: a ``torch.save`` file holding

- ``embeddings``: float32 tensor (classes, dim), row ``k`` for class ``k``;
- ``classes``: the class names, in the same order;
- ``source``: where the rows come from (encoder and prompt, or a file).

``tools/model_converters/nayer_label_embeddings.py`` converts the authors'
pickles to it. Where no text embeddings exist (the digits demo, a user's own
classes), ``dict(type='random', dim=512, seed=0)`` gives seeded Gaussian
rows instead: the classes are then equally unlike one another (nearly
orthogonal rows), where CLIP's rows of related classes are close (cat and
dog 0.94 in the CIFAR-10 file); the noisy layers still make every sample
different.
"""
import io
import pickle
from collections import OrderedDict
from typing import List, Optional, Union

import torch
from torch._utils import _rebuild_tensor_v2

from mmrazor_zs.utils import atomic_torch_save

#: the keys of an embedding file
EMBEDDING_KEYS = ('embeddings', 'classes', 'source')


def random_label_embeddings(num_classes: int,
                            dim: int = 512,
                            seed: int = 0) -> torch.Tensor:
    """Seeded ``N(0, 1)`` rows, one per class: the substitute for text
    embeddings."""
    rng = torch.Generator().manual_seed(seed)
    return torch.randn(num_classes, dim, generator=rng)


def save_label_embeddings(path: str,
                          embeddings: torch.Tensor,
                          classes: Optional[List[str]] = None,
                          source: str = '') -> None:
    """Write ``embeddings`` (classes, dim) in the project's format (to a
    temporary file renamed into place)."""
    if embeddings.dim() != 2:
        raise ValueError('Label embeddings are one row per class, a 2-d '
                         f'tensor, but got shape {tuple(embeddings.shape)}.')
    classes = list(classes) if classes is not None else [
        str(k) for k in range(len(embeddings))
    ]
    if len(classes) != len(embeddings):
        raise ValueError(f'{len(classes)} class names for '
                         f'{len(embeddings)} embedding rows.')
    atomic_torch_save(
        dict(
            embeddings=embeddings.detach().float().cpu().contiguous(),
            classes=classes,
            source=source), path)


def load_label_embeddings(source: Union[str, dict],
                          num_classes: int) -> torch.Tensor:
    """The (num_classes, dim) float32 embeddings of ``source``.

    Args:
        source (str | dict): A file in the project's format, or
            ``dict(type='random', dim=512, seed=0)``.
        num_classes (int): The teacher's classes; the rows must match.

    Raises:
        FileNotFoundError: If the file is missing (the message says how to
            make it).
        ValueError: If the file is not in the format or its rows do not
            match ``num_classes``.
    """
    if isinstance(source, dict):
        options = dict(source)
        kind = options.pop('type', None)
        if kind != 'random':
            raise ValueError('Label embeddings are a file path or '
                             "dict(type='random', dim=..., seed=...), but "
                             f'got {source!r}.')
        return random_label_embeddings(num_classes, **options)
    try:
        record = torch.load(source, map_location='cpu', weights_only=True)
    except FileNotFoundError:
        raise FileNotFoundError(
            f'No label embeddings at {source}. Convert the NAYER authors\' '
            'file (label_embedding/<dataset>_le.pickle of tmtuan1307/NAYER) '
            'with `python tools/model_converters/nayer_label_embeddings.py '
            f'PICKLE LABELS_TXT {source}`, or set '
            "`label_embeddings=dict(type='random', dim=512, seed=0)` "
            '(docs/en/user_guides/inversion_family.md, NAYER).') from None
    if not isinstance(record, dict) or set(record) != set(EMBEDDING_KEYS):
        raise ValueError(
            f'{source} is not a label-embedding file: expected a dict with '
            f'keys {EMBEDDING_KEYS} (written by save_label_embeddings).')
    embeddings = record['embeddings']
    if embeddings.dim() != 2 or embeddings.shape[0] != num_classes:
        raise ValueError(
            f'{source} holds embeddings of shape {tuple(embeddings.shape)}, '
            f'but the teacher has {num_classes} classes: use the file of the '
            "teacher's dataset.")
    return embeddings.float()


def _storage_on_cpu(data: bytes):
    """A storage of a legacy ``torch.save`` stream, mapped to the CPU and read
    without arbitrary unpickling."""
    return torch.load(io.BytesIO(data), map_location='cpu', weights_only=True)


class _NAYERPickle(pickle.Unpickler):
    """Unpickles exactly what ``pickle.dump(tensor)`` writes, nothing else."""

    allowed = {
        ('torch._utils', '_rebuild_tensor_v2'): _rebuild_tensor_v2,
        ('torch.storage', '_load_from_bytes'): _storage_on_cpu,
        ('collections', 'OrderedDict'): OrderedDict,
    }

    def find_class(self, module: str, name: str):
        if (module, name) not in self.allowed:
            raise pickle.UnpicklingError(
                f'{module}.{name} is not part of a pickled tensor; this '
                'file is not one of the NAYER label-embedding pickles.')
        return self.allowed[module, name]


def read_nayer_pickle(path: str) -> torch.Tensor:
    """The float32 CPU tensor of one of the NAYER authors' label-embedding
    files (``label_embedding/<dataset>_le.pickle``: ``pickle.dump`` of a
    tensor; the CIFAR and Tiny-ImageNet ones float16 on ``cuda:0``, which plain
    ``pickle.load`` cannot open without a GPU)."""
    with open(path, 'rb') as file:
        tensor = _NAYERPickle(file).load()
    if not isinstance(tensor, torch.Tensor) or tensor.dim() != 2:
        raise ValueError(f'{path} does not hold a (classes, dim) tensor.')
    return tensor.detach().float()
