# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Sphinx extension: every class registered by mmrazor_zs has a docstring.

Configs name registered classes, so their docstrings are what a user reads to
learn a setting. When the builder starts, each registered object defined in the
``mmrazor_zs`` package without a docstring of its own is reported as a Sphinx
warning, which ``sphinx-build -W`` turns into a failed build.
``tests/test_docs.py`` runs the same check without Sphinx.
"""
import inspect
from typing import TYPE_CHECKING, Any, Dict, List

if TYPE_CHECKING:  # the check itself runs without Sphinx (tests/test_docs.py)
    from sphinx.application import Sphinx

PACKAGE = 'mmrazor_zs'


def registered_objects() -> Dict[str, List[Any]]:
    """The objects each registry of mmrazor_zs holds from the package.

    Every module of mmrazor_zs is imported first (``register_all_modules``)
    so that the registries are full; mmengine's and mmpretrain's objects,
    reachable through the parent registries, are left out.

    Returns:
        dict[str, list]: Registry name (``'MODELS'``) to its objects, sorted
        by name.
    """
    from mmrazor_zs import registry
    from mmrazor_zs.utils import register_all_modules

    register_all_modules(init_default_scope=False)
    objects = {}
    for registry_name in registry.__all__:
        module_dict = getattr(registry, registry_name).module_dict
        objects[registry_name] = [
            module_dict[name] for name in sorted(module_dict)
            if (getattr(module_dict[name], '__module__', '') or ''
                ).split('.')[0] == PACKAGE
        ]
    return objects


def undocumented_registered_objects() -> List[str]:
    """Registered objects of mmrazor_zs that lack a docstring of their own.

    A class that only inherits its parent's docstring counts as undocumented.

    Returns:
        list[str]: ``'REGISTRY: module.Name'`` for each such object, sorted.
    """
    missing = set()
    for registry_name, objs in registered_objects().items():
        for obj in objs:
            own_doc = vars(obj).get('__doc__') if inspect.isclass(obj) \
                else obj.__doc__
            if not (own_doc or '').strip():
                missing.add(f'{registry_name}: {obj.__module__}.'
                            f'{obj.__qualname__}')
    return sorted(missing)


def warn_undocumented(app: 'Sphinx') -> None:
    """Warn about each registered object of mmrazor_zs without a docstring.

    Args:
        app (Sphinx): The application whose builder has started.
    """
    from sphinx.util import logging

    logger = logging.getLogger(__name__)
    for name in undocumented_registered_objects():
        logger.warning(
            f'registered without a docstring: {name}; configs build it by '
            'name, so write its Google-style docstring (what it does, Args).')


def setup(app: 'Sphinx') -> Dict[str, Any]:
    """Connect the check to the start of the build.

    Args:
        app (Sphinx): The application loading this extension.

    Returns:
        dict: The extension's metadata.
    """
    app.connect('builder-inited', warn_undocumented)
    return {'parallel_read_safe': True, 'parallel_write_safe': True}
