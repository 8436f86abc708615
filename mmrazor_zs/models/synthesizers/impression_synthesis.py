# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""ZSKD stage 1: synthesise data impressions into shards, resumably and split
over the processes of a distributed run.

It lives beside the pieces it drives (:class:`ImpressionOptimizer`, the class
similarity and Dirichlet targets, the shard plan), where a reader of ZSKD's
synthesis looks for them; the engine reaches it through the registry
(:class:`ImpressionSynthesis`, named by the ZSKD configs'
``train_cfg=dict(type='SynthesizedDataTrainLoop', ...)``) and
``tools/synthesize_impressions.py`` through :func:`synthesize_from_config`.
"""
import glob
import os
import os.path as osp
import time
from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
from mmengine.dist import barrier, get_rank, get_world_size
from mmengine.utils import ProgressBar

from mmrazor_zs.registry import MODELS
from mmrazor_zs.storage import (claim_folder, read_optimizer_state, read_shard,
                                remove_unfinished, shard_path,
                                write_optimizer_state, write_shard)
from mmrazor_zs.storage.impression_store import (FORMAT_VERSION, MANIFEST,
                                                 STATE_PATTERN)
from mmrazor_zs.utils import (PixelSpace, atomic_json_dump, dequantize_pixels,
                              quantize_pixels, resolve_checkpoint, sha256_file)
from mmrazor_zs.visualization import ClassSample
from ..utils import build_submodel, load_teacher_checkpoint
from ..utils.teacher_inputs import infer_input_shape, teacher_normalization
from .class_similarity import (class_similarity, concentration_matrix,
                               dirichlet_concentration, find_linear_layer,
                               sample_dirichlet)
from .impression_optimizer import ImpressionOptimizer
from .impression_plan import ShardSpec, plan_shards

# The settings of a synthesis and their defaults. ``range_mode``: 'clamp',
# 'minmax' (per image, ours) or 'batch_minmax' (the released code's rescale
# of the whole batch, see ImpressionOptimizer); ``warm_start``: each shard
# of a class starts from the previous shard's images (released code);
# ``carry_optimizer_state``: one optimiser state (Adam's moments and step
# count) carried from each shard to the next one the same process makes,
# as the released code's single Adam for the whole run (needs shards of
# one size; the result then depends on the number of processes).
DEFAULTS = dict(
    input_shape=None,
    per_class=100,
    betas=(1.0, 0.1),
    beta_fractions=(0.5, 0.5),
    shard_size=100,
    iterations=1500,
    lr=1e-3,
    optimizer=dict(type='Adam'),
    warm_start=False,
    carry_optimizer_state=False,
    tau=20.0,
    range_mode='clamp',
    released_code=False,
    linear_layer=None,
    seed=0,
)


def synthesis_settings(cfg: Optional[dict]) -> dict:
    """The config's ``synthesis`` dict over the defaults; unknown keys are an
    error.

    ``out_dir`` (where the impressions go, see
    :func:`impressions_dir`) is not a setting of the impressions and is
    left out.
    """
    cfg = dict(cfg or {})
    cfg.pop('out_dir', None)
    unknown = sorted(set(cfg) - set(DEFAULTS))
    if unknown:
        raise ValueError(f'Unknown `synthesis` settings {unknown}; valid: '
                         f"{sorted(DEFAULTS) + ['out_dir']}.")
    settings = dict(DEFAULTS, **cfg)
    shape = settings['input_shape']
    if shape is None or len(shape) != 3:
        raise ValueError('`synthesis.input_shape` must be the teacher\'s '
                         f'input (C, H, W), but got {shape}.')
    settings['input_shape'] = [int(v) for v in settings['input_shape']]
    settings['betas'] = [float(b) for b in settings['betas']]
    settings['beta_fractions'] = [float(f) for f in settings['beta_fractions']]
    settings['optimizer'] = dict(settings['optimizer'])
    return settings


def _is_complete(spec: ShardSpec, folder: str) -> bool:
    """Whether the shard is on disk (verified: a damaged one raises)."""
    path = shard_path(folder, spec.index)
    if not osp.exists(path):
        return False
    read_shard(path, spec.to_dict())  # raises on a corrupt shard
    return True


def _assigned_shards(shards: List[ShardSpec], warm_start: bool, rank: int,
                     world_size: int) -> List[ShardSpec]:
    """Rank r makes shards r, r + w, ...; with warm start it makes every shard
    of classes r, r + w, ...

    in order, since each shard of a class starts from the one before.
    """
    if warm_start:
        return [s for s in shards if s.label % world_size == rank]
    return shards[rank::world_size]


def _check_carried_plan(shards: List[ShardSpec], settings: dict) -> None:
    """A carried optimiser state has the shape of a batch: every shard must
    hold the same number of impressions."""
    sizes = sorted({s.count for s in shards})
    if len(sizes) > 1:
        raise ValueError(
            '`carry_optimizer_state=True` needs shards of one size (the '
            'optimiser state has the shape of a batch), but per_class='
            f"{settings['per_class']}, beta_fractions="
            f"{settings['beta_fractions']} and shard_size="
            f"{settings['shard_size']} give shards of {sizes} impressions. "
            'Choose a shard_size that divides the impressions of every '
            'class and beta, or carry_optimizer_state=False.')


def _state_before(before: Optional[ShardSpec],
                  last_made: Optional[Tuple[ShardSpec, dict]], folder: str,
                  rank: int) -> Optional[dict]:
    """The optimiser state a carried-state run continues from: none before the
    rank's first shard, the state in memory after the shard this process has
    just made, else the state saved after ``before``."""
    if before is None:
        return None
    if last_made is not None and last_made[0] == before:
        return last_made[1]
    return read_optimizer_state(folder, dict(before.to_dict(), rank=rank))


def _warm_start(spec: ShardSpec, shards: List[ShardSpec], folder: str,
                input_shape: Sequence[int],
                device: torch.device) -> Optional[torch.Tensor]:
    """The released code's warm start: a shard starts from the saved images of
    the class's previous shard (noise for the first shard of a class, and for
    any impressions beyond the previous shard's count).

    Reading the saved images makes a resumed run start where an uninterrupted
    one would.
    """
    previous = shards[spec.index - 1] if spec.index > 0 else None
    if previous is None or previous.label != spec.label:
        return None
    images = read_shard(
        shard_path(folder, previous.index), previous.to_dict())['images']
    init = dequantize_pixels(images[:spec.count].permute(0, 3, 1, 2))
    missing = spec.count - init.shape[0]
    if missing:
        rng = torch.Generator().manual_seed(spec.seed)
        init = torch.cat(
            [init, torch.rand((missing, *input_shape), generator=rng)])
    return init.to(device)


def _verify_and_save_grid(folder: str, shards: List[ShardSpec],
                          num_classes: int, per_row: int) -> None:
    """Read every shard once: check it is whole and as planned, and keep up to
    ``per_row`` impressions of every class for a PNG grid (one row per class)
    for a person to look at."""
    sample = ClassSample(per_row)
    for spec in shards:
        shard = read_shard(shard_path(folder, spec.index), spec.to_dict())
        sample.add(spec.label, shard['images'].permute(0, 3, 1, 2))
    sample.save_png(num_classes, osp.join(folder, 'impressions_grid.png'))


def synthesize_impressions(teacher: nn.Module,
                           settings: dict,
                           pixel_space: PixelSpace,
                           out_dir: str,
                           teacher_sha256: str,
                           show_progress: bool = True) -> Dict:
    """Synthesise the data impressions of ``settings`` into ``out_dir``.

    Rank r of a run with w processes makes shards r, r + w, r + 2w, ...
    (with ``warm_start``, the shards of classes r, r + w, ...) in plan
    order. Shards already on disk and verified are skipped, so an
    interrupted run continues where it stopped; a corrupt shard is an error
    that names the file. With ``carry_optimizer_state`` each rank carries
    one optimiser state across its shards; the state after every shard is
    written before the shard, and a rerun continues from the state after
    the shard before the first missing one, so it ends with the same bits
    as an uninterrupted run. Rank 0 writes the manifest and a PNG grid once
    all shards exist, then removes the state files.

    Args:
        teacher (nn.Module): The loaded teacher, in eval mode on its
            device.
        settings (dict): The settings of :func:`synthesis_settings`.
        pixel_space (PixelSpace): The teacher's normalisation.
        out_dir (str): The impressions folder.
        teacher_sha256 (str): The teacher's fingerprint
            (:func:`teacher_fingerprint`), recorded and checked by the
            student's dataset.
        show_progress (bool): Draw a progress bar. Defaults to True.

    Returns:
        dict: The manifest.

    Raises:
        ShardStoreError: If the folder was started with other settings or
            a shard on disk is damaged, naming it.
    """
    rank, world_size = get_rank(), get_world_size()
    device = next(teacher.parameters()).device
    input_shape = settings['input_shape']
    carry = settings['carry_optimizer_state']
    weight = find_linear_layer(teacher, settings['linear_layer']).weight
    concentration = concentration_matrix(
        class_similarity(weight), settings['released_code'])
    shards = plan_shards(weight.shape[0], settings['per_class'],
                         settings['betas'], settings['beta_fractions'],
                         settings['shard_size'], settings['seed'])
    if carry:
        _check_carried_plan(shards, settings)
    os.makedirs(out_dir, exist_ok=True)
    if rank == 0:
        run = dict(
            settings,
            teacher_sha256=teacher_sha256,
            format_version=FORMAT_VERSION)
        if carry:  # each rank's chain of states depends on the split
            run['world_size'] = world_size
        claim_folder(out_dir, run, 'impressions',
                     '--work-dir (or synthesis.out_dir)')
        remove_unfinished(out_dir)  # files of a killed run, never complete
    barrier()

    optimizer = ImpressionOptimizer(
        teacher,
        input_shape,
        pixel_space,
        iterations=settings['iterations'],
        lr=settings['lr'],
        tau=settings['tau'],
        range_mode=settings['range_mode'],
        optimizer=settings['optimizer'])

    sequence = _assigned_shards(shards, settings['warm_start'], rank,
                                world_size)
    # each shard with the one before it in this rank's sequence
    previous: List[Optional[ShardSpec]] = [None, *sequence[:-1]]
    todo = [(spec, before) for before, spec in zip(previous, sequence)
            if not _is_complete(spec, out_dir)]
    progress = ProgressBar(sum(
        s.count for s, _ in todo)) if (show_progress and todo) else None
    start = time.perf_counter()
    last_made = None  # the last shard made here, and the state after it
    for spec, before in todo:
        alpha = dirichlet_concentration(concentration[spec.label], spec.beta,
                                        settings['released_code'])
        targets = sample_dirichlet(alpha, spec.count, spec.seed).to(device)
        init = _warm_start(spec, shards, out_dir, input_shape,
                           device) if settings['warm_start'] else None
        state = _state_before(before, last_made, out_dir,
                              rank) if carry else None
        result = optimizer(
            targets, init=init, seed=spec.seed, optimizer_state=state)
        images = quantize_pixels(result['images'])
        saved_spec = dict(spec.to_dict(), rank=rank)
        if carry:  # before the shard: a finished shard has its state
            write_optimizer_state(out_dir, saved_spec,
                                  result['optimizer_state'])
        write_shard(out_dir, saved_spec, images.permute(0, 2, 3, 1),
                    result['labels'], targets)
        last_made = spec, result['optimizer_state']
        if progress is not None:
            progress.update(spec.count)
    seconds = time.perf_counter() - start
    made = sum(s.count for s, _ in todo)
    barrier()

    manifest = dict(
        format_version=FORMAT_VERSION,
        teacher_sha256=teacher_sha256,
        num_classes=int(weight.shape[0]),
        input_shape=list(input_shape),
        total=sum(s.count for s in shards),
        counts={},
        settings=settings,
        shards=[s.to_dict() for s in shards],
        world_size=world_size,
        impressions_made_by_rank0_this_run=made,
        synthesis_wall_time_s=round(seconds, 2),
        impressions_per_s=round(made * world_size /
                                seconds, 2) if made else None,
    )
    for spec in shards:
        per_beta = manifest['counts'].setdefault(str(spec.label), {})
        per_beta[str(spec.beta)] = per_beta.get(str(spec.beta), 0) + spec.count
    if rank == 0:
        _verify_and_save_grid(out_dir, shards, int(weight.shape[0]), per_row=8)
        atomic_json_dump(manifest, osp.join(out_dir, MANIFEST))
        for path in glob.glob(osp.join(out_dir, STATE_PATTERN)):
            os.remove(path)  # needed only to continue an unfinished run
    barrier()
    return manifest


def teacher_fingerprint(teacher_ckpt: Optional[str]) -> str:
    """sha256 of the teacher checkpoint file ('none' without one); for a URL,
    of its downloaded copy."""
    return sha256_file(
        resolve_checkpoint(teacher_ckpt)) if teacher_ckpt else 'none'


def impressions_dir(cfg, work_dir: str) -> str:
    """Where a config's impressions live: ``synthesis.out_dir``, else
    WORK_DIR/impressions."""
    return (cfg.get('synthesis') or {}).get('out_dir') or osp.join(
        work_dir, 'impressions')


def synthesis_pixel_space(cfg) -> PixelSpace:
    """The pixel space the impressions are optimised in: the teacher's mean and
    std as :func:`teacher_normalization` finds them (the config's
    ``data_preprocessor``, where the Runner would take it from, else the one of
    the teacher's ``cfg_path`` config).

    Raises:
        ValueError: When neither gives both, naming the setting.
    """
    found = teacher_normalization(
        cfg.model.teacher,
        cfg.model.get('data_preprocessor', cfg.get('data_preprocessor')))
    if found is None:
        raise ValueError(
            'ZSKD needs the mean and std the teacher was trained with, but '
            'neither the config nor the teacher\'s `cfg_path` config has a '
            '`data_preprocessor` with them; set `data_preprocessor=dict('
            'mean=[...], std=[...])`.')
    return PixelSpace(found['mean'], found['std'])


def synthesize_from_config(cfg, work_dir: str) -> Dict:
    """Stage 1 for a config: build and load its teacher, synthesise into
    :func:`impressions_dir` (resuming), return the manifest.

    An unset ``synthesis.input_shape`` is inferred from the teacher (see
    :func:`infer_input_shape`), and the pixel space is that of
    :func:`synthesis_pixel_space`.
    """
    synthesis = dict(cfg.get('synthesis') or {})
    teacher = build_submodel(cfg.model.teacher, 'teacher')
    if synthesis.get('input_shape') is None:
        synthesis['input_shape'] = infer_input_shape(teacher,
                                                     cfg.model.teacher,
                                                     'synthesis.input_shape')
    settings = synthesis_settings(synthesis)
    pixel_space = synthesis_pixel_space(cfg)
    teacher_ckpt = cfg.model.get('teacher_ckpt')
    if teacher_ckpt:
        load_teacher_checkpoint(teacher, teacher_ckpt)
    device = torch.device('cuda', int(os.environ.get('LOCAL_RANK', 0))) \
        if torch.cuda.is_available() else torch.device('cpu')
    teacher = teacher.to(device).eval()
    return synthesize_impressions(teacher, settings, pixel_space,
                                  impressions_dir(cfg, work_dir),
                                  teacher_fingerprint(teacher_ckpt))


@MODELS.register_module()
class ImpressionSynthesis:
    """ZSKD stage 1 as the engine runs it: the data impressions of a config,
    made when its folder holds no finished set.

    :class:`~mmrazor_zs.engine.runner.SynthesizedDataTrainLoop` calls
    :meth:`prepare` before it builds the training dataloader; the settings
    are the config's top-level ``synthesis`` (see
    :func:`synthesis_settings`), the teacher its ``model.teacher`` and
    ``model.teacher_ckpt``. An unfinished folder (no manifest) continues
    where it stopped, as ``tools/synthesize_impressions.py`` does.
    """

    def prepare(self, cfg, work_dir: str) -> str:
        """Synthesise the impressions unless finished; return their folder
        (:func:`impressions_dir`)."""
        folder = impressions_dir(cfg, work_dir)
        if not osp.isfile(osp.join(folder, MANIFEST)):
            synthesize_from_config(cfg, work_dir)
        return folder
