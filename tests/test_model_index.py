# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""The model zoo, the stored checkpoints and the README commands agree with the
repository."""
import hashlib
import os.path as osp
import re

import yaml
from mmengine.config import Config

from mmrazor_zs.registry import MODELS
from .conftest import REPO_ROOT
from .test_inversion_configs import without_unshipped_files


def load_yaml(path):
    with open(osp.join(REPO_ROOT, path)) as file:
        return yaml.safe_load(file)


def all_models():
    index = load_yaml('model-index.yml')
    for metafile in index['Import']:
        for model in load_yaml(metafile)['Models']:
            yield metafile, model


def test_every_metafile_entry_points_at_an_existing_config_that_builds():
    names = []
    for metafile, model in all_models():
        names.append(model['Name'])
        config = osp.join(REPO_ROOT, model['Config'])
        assert osp.isfile(config), (metafile, model['Name'])
        assert osp.splitext(osp.basename(config))[0] == model['Name']
        cfg = Config.fromfile(config)
        without_unshipped_files(cfg.model)
        assert MODELS.build(cfg.model) is not None
        assert model['Command'].strip(), model['Name']
    assert len(names) == len(set(names)) >= 2


def test_stored_checkpoints_match_their_sha256():
    for _, model in all_models():
        weights = model.get('Weights', '')
        if weights.startswith(('http://', 'https://')) or not weights:
            continue
        with open(osp.join(REPO_ROOT, weights), 'rb') as file:
            digest = hashlib.sha256(file.read()).hexdigest()
        assert digest == model['Sha256'], weights
        assert digest.startswith(
            re.search(r'-([0-9a-f]{8})\.pth$', weights).group(1))


def test_ci_runs_the_readme_test_command_verbatim():
    readme = open(osp.join(REPO_ROOT, 'README.md')).read()
    block = readme.split('## Quick start', 1)[1].split('```shell', 1)[1]
    commands = [c for c in block.split('```', 1)[0].splitlines() if c]
    assert len(commands) == 2
    ci_lines = open(osp.join(REPO_ROOT, '.ci', 'run')).read().splitlines()
    assert commands[1] in ci_lines
    assert 'tools/train.py configs/zskt/' in commands[0]
