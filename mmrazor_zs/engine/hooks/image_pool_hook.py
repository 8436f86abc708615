# Copyright (c) mmrazor_zs contributors. All rights reserved.
import os.path as osp
from typing import Any, Dict

from mmengine.dist import get_world_size
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper

from mmrazor_zs.registry import HOOKS


def pool_settings(runner, model) -> Dict[str, Any]:
    """What makes a run's pool: the config's ``model`` (without ``runtime``,
    which changes speed only), the algorithm's synthesis seed and the number of
    ranks."""
    settings = (runner.cfg.get('model') or {}).copy()
    settings.pop('runtime', None)
    return dict(
        model=settings,
        model_seed=getattr(model, 'seed', None),
        world_size=get_world_size())


@HOOKS.register_module()
class ImagePoolHook(Hook):
    """Give an inversion algorithm its :class:`~mmrazor_zs.storage.ImagePool`
    folder.

    The synthesised images of a run are kept in ``folder`` (relative to the
    work dir unless absolute), one shard per (round, rank); a resumed run
    reads the shards of the rounds its checkpoint has done and rewrites the
    later ones (keeping those that depend on nothing but their round, see
    :class:`~mmrazor_zs.models.algorithms.InversionDistiller`). The folder
    is claimed with :func:`pool_settings`: a run with other settings is
    refused rather than mixed with its images.

    Args:
        folder (str): The pool folder. Defaults to 'image_pool'.
    """

    priority = 'VERY_HIGH'

    def __init__(self, folder: str = 'image_pool') -> None:
        self.folder = folder

    def before_train(self, runner) -> None:
        """Attach the pool folder under the work dir to the model."""
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        if not hasattr(model, 'attach_pool'):
            raise TypeError(
                f'ImagePoolHook serves the inversion algorithms, but the '
                f'model is a {type(model).__name__}; remove the hook.')
        model.attach_pool(osp.join(runner.work_dir, self.folder))
        model.pool.claim(pool_settings(runner, model))
