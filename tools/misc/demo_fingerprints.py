# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Fingerprints of short seed-0 runs of every digits demo, to show that a
refactor changed no bit of what the demos train.

Each demo runs ``tools/train.py CONFIG`` for a few iterations (the same
short settings as the kill-and-resume tests) with seed 0; the sha256 of
every tensor of the last checkpoint's ``state_dict`` is written to a JSON
file. Run it before and after a change and compare::

    python tools/misc/demo_fingerprints.py --out before.json
    # ... refactor ...
    python tools/misc/demo_fingerprints.py --out after.json \
        --compare before.json
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Dict, List

import torch

REPO_ROOT = Path(__file__).resolve().parents[2]

GENERATOR_SHORT = [
    'model.batch_size=16', 'model.generator.seed_channels=16',
    'model.generator.hidden_channels=16,8', 'train_cfg.max_iters=6',
    'train_cfg.val_interval=6', 'default_hooks.checkpoint.interval=6'
]
INVERSION_SHORT = [
    'model.batch_size=16', 'model.synthesizer.batch_size=16',
    'model.synthesizer.steps=3', 'model.round_interval=2',
    'train_cfg.max_iters=6', 'train_cfg.val_interval=6',
    'default_hooks.checkpoint.interval=6'
]
# NAYER's and CPNet's epochs of synthesis only, their loops, a generator
# rebuilt every epoch
NAYER_SHORT = [
    'model.warmup_epochs=1', 'model.warmup_loops=2', 'model.generator_life=1'
]
ZSKD_SHORT = [
    'synthesis.per_class=10', 'synthesis.shard_size=10',
    'synthesis.iterations=3', 'train_dataloader.batch_size=16',
    'train_cfg.max_epochs=2', 'train_cfg.val_interval=2',
    'default_hooks.checkpoint.interval=2'
]
EPOCHS_SHORT = [
    'train_cfg.max_epochs=1', 'train_cfg.val_interval=1',
    'default_hooks.checkpoint.interval=1'
]
# (config, short options) of every digits demo
DEMOS = [
    ('configs/zskt/zskt_logits_lenet5_lenet5-half_1xb128_digits.py',
     GENERATOR_SHORT + ['model.student_steps=2']),
    ('configs/dafl/dafl_lenet5_lenet5-half_1xb256_digits.py', GENERATOR_SHORT),
    ('configs/dfad/dfad_lenet5_lenet5-half_1xb256_digits.py',
     GENERATOR_SHORT + ['model.student_steps=2']),
    ('configs/dfq/dfq_lenet5-bn_lenet5-half_1xb256_digits.py',
     GENERATOR_SHORT + ['model.student_steps=2']),
    ('configs/deepinversion/adi_lenet5-bn_lenet5-half_1xb256_digits.py',
     INVERSION_SHORT),
    ('configs/deepinversion/'
     'deepinversion_lenet5-bn_lenet5-half_1xb256_digits.py',
     [o for o in INVERSION_SHORT if not o.startswith('model.round_')] +
     ['model.warmup_rounds=2']),
    ('configs/cmi/cmi_lenet5-bn_lenet5-half_1xb128_digits.py',
     INVERSION_SHORT + ['model.synthesizer.bank_size=48']),
    ('configs/fast/fast-2_lenet5-bn_lenet5-half_1xb256_digits.py',
     INVERSION_SHORT + ['model.warmup_rounds=2']),
    ('configs/fast/fast-5_lenet5-bn_lenet5-half_1xb256_digits.py',
     INVERSION_SHORT + ['model.warmup_rounds=2']),
    ('configs/fast/fast-10_lenet5-bn_lenet5-half_1xb256_digits.py',
     INVERSION_SHORT + ['model.warmup_rounds=2']),
    ('configs/nayer/nayer_lenet5-bn_lenet5-half_1xb256_digits.py',
     INVERSION_SHORT + NAYER_SHORT),
    ('configs/cpnet/cpnet_lenet5-bn_lenet5-half_1xb256_digits.py',
     INVERSION_SHORT + NAYER_SHORT),
    ('configs/zskt/zskt-mad_logits_lenet5_lenet5-half_1xb128_digits.py',
     GENERATOR_SHORT + ['model.student_steps=2']),
    ('configs/dfad/dfad-mad_lenet5_lenet5-half_1xb256_digits.py',
     GENERATOR_SHORT + ['model.student_steps=2']),
    ('configs/zskd/zskd_lenet5_lenet5-half_1xb64_digits.py', ZSKD_SHORT),
    ('configs/zskd/zskd_lenet5_lenet5-half_1xb64-augfamily_digits.py',
     ZSKD_SHORT),
    ('configs/kd_at/kd-at_m10_lenet5_lenet5-half_1xb128_digits.py',
     ['train_cfg.base_epochs=1', 'train_cfg.val_interval=1']),
    ('configs/teachers/lenet5-bn_1xb64_digits.py', EPOCHS_SHORT),
]


def last_checkpoint(work_dir: Path) -> Path:
    """The checkpoint named in ``last_checkpoint``."""
    name = (work_dir / 'last_checkpoint').read_text().strip()
    return work_dir / os.path.basename(name)


def fingerprint(checkpoint: Path) -> Dict[str, str]:
    """sha256 of the bytes of every tensor of the checkpoint's state dict."""
    state = torch.load(checkpoint, map_location='cpu', weights_only=False)
    return {
        key: hashlib.sha256(value.detach().contiguous().view(-1).view(
            torch.uint8).numpy().tobytes()).hexdigest()[:16]
        for key, value in sorted(state['state_dict'].items())
        if isinstance(value, torch.Tensor) and value.numel()
    }


def run_demo(config: str, options: List[str], work_dir: Path) -> None:
    """``tools/train.py config`` with seed 0 and ``options``."""
    args = [
        sys.executable, 'tools/train.py', config, '--work-dir',
        str(work_dir), '--cfg-options', 'randomness.seed=0', *options
    ]
    result = subprocess.run(
        args, cwd=REPO_ROOT, capture_output=True, text=True)
    if result.returncode:
        raise RuntimeError(f'{config} failed:\n{result.stderr[-3000:]}')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--out', required=True, help='JSON file to write')
    parser.add_argument('--compare', help='an earlier JSON file')
    parser.add_argument(
        '--only', nargs='*', default=(), help='substrings of configs to run')
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for index, (config, options) in enumerate(DEMOS):
            if args.only and not any(s in config for s in args.only):
                continue
            work_dir = Path(tmp) / str(index)
            run_demo(config, options, work_dir)
            results[config] = fingerprint(last_checkpoint(work_dir))
            print(f'{config}: {len(results[config])} tensors', flush=True)
    Path(args.out).write_text(json.dumps(results, indent=1, sort_keys=True))
    if args.compare:
        earlier = json.loads(Path(args.compare).read_text())
        differ = [
            config for config in results
            if results[config] != earlier.get(config)
        ]
        for config in results:
            print(('DIFFERS ' if config in differ else 'same    ') + config)
        sys.exit(1 if differ else 0)


if __name__ == '__main__':
    main()
