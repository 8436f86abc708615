# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Sphinx extension: a list of each registry's names, linked to the API.

The ``registry-table`` directive lists each registry of mmrazor_zs with the
names a config gives as ``type``, linked to their API entries; with
``nitpicky`` a registered class missing from the API reference is a broken
reference.
"""
from typing import Any, Dict, List

from docutils import nodes  # type: ignore[import-untyped]
from docutils.statemachine import StringList  # type: ignore[import-untyped]
from registry_docstrings import registered_objects
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective


class RegistryTable(SphinxDirective):
    """The registries and their registered names, as a bullet list."""

    def run(self) -> List[nodes.Node]:
        """Parse the generated list into the document.

        Returns:
            list[nodes.Node]: The nodes of the list.
        """
        lines = []
        for registry_name, objs in registered_objects().items():
            if objs:
                refs = ', '.join(f':py:obj:`{obj.__qualname__} '
                                 f'<{obj.__module__}.{obj.__qualname__}>`'
                                 for obj in objs)
                lines.append(f'- ``{registry_name}``: {refs}')
        node = nodes.container()
        self.state.nested_parse(StringList(lines), self.content_offset, node)
        return node.children


def setup(app: Sphinx) -> Dict[str, Any]:
    """Register the directive.

    Args:
        app (Sphinx): The application loading this extension.

    Returns:
        dict: The extension's metadata.
    """
    app.add_directive('registry-table', RegistryTable)
    return {'parallel_read_safe': True, 'parallel_write_safe': True}
