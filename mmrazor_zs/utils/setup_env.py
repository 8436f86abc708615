# Copyright (c) mmrazor_zs contributors. All rights reserved.
import datetime
import warnings

from mmengine import DefaultScope


def register_all_modules(init_default_scope: bool = True) -> None:
    """Import every module of mmrazor_zs so that its registries are filled.

    Args:
        init_default_scope (bool): Whether to make ``mmrazor_zs`` the default
            scope of mmengine's registries. Defaults to True.
    """
    import mmrazor_zs.datasets  # noqa: F401,F403
    import mmrazor_zs.engine  # noqa: F401,F403
    import mmrazor_zs.evaluation  # noqa: F401,F403
    import mmrazor_zs.models  # noqa: F401,F403

    if not init_default_scope:
        return
    current = DefaultScope.get_current_instance()
    if current is None:
        DefaultScope.get_instance('mmrazor_zs', scope_name='mmrazor_zs')
    elif current.scope_name != 'mmrazor_zs':
        warnings.warn(f'The current default scope "{current.scope_name}" is '
                      'not "mmrazor_zs"; `register_all_modules` makes a new '
                      'default scope "mmrazor_zs".')
        # A DefaultScope instance name must be unique.
        name = f'mmrazor_zs-{datetime.datetime.now()}'
        DefaultScope.get_instance(name, scope_name='mmrazor_zs')
