# Copyright (c) mmrazor_zs contributors. All rights reserved.
"""Sphinx configuration of the English documentation.

Build (warnings are errors, as in ``.ci/run``)::

    pip install -e ".[docs]"
    sphinx-build -W --keep-going -b html docs/en docs/en/_build/html
"""
import sys
from pathlib import Path
from typing import Optional, Set, Tuple

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))  # mmrazor_zs from this checkout
sys.path.insert(0, str(HERE / '_ext'))

from mmrazor_zs import __version__  # noqa: E402

project = 'mmrazor_zs'
copyright = 'mmrazor_zs contributors'
author = 'mmrazor_zs contributors'
version = __version__
release = __version__

extensions = [
    'myst_parser',
    'sphinx.ext.autodoc',
    'sphinx.ext.napoleon',
    'sphinx.ext.viewcode',
    'registry_docstrings',
    'registry_table',
]
source_suffix = {'.rst': 'restructuredtext', '.md': 'markdown'}
root_doc = 'index'
exclude_patterns = ['_build', '_ext', 'Thumbs.db', '.DS_Store']

# Markdown pages link to each other's sections as GitHub renders them
# (`page.md#a-heading`): give headings down to level 4 such anchors.
myst_heading_anchors = 4

# The API reference: Google-style docstrings (their Args carry the types),
# members in source order.
autodoc_member_order = 'bysource'
autodoc_typehints = 'none'
autodoc_class_signature = 'separated'
napoleon_google_docstring = True
napoleon_numpy_docstring = False
napoleon_use_rtype = False

# A reference to an object of mmrazor_zs that does not resolve (moved,
# renamed, not in the API reference) is an error. Other targets are not
# checked: torch's and mmengine's inventories cannot be fetched offline, and
# short names (:class:`ImagePool`) are left to resolve where they can.
nitpicky = True
nitpick_ignore_regex = [(r'py:.*', r'(?!mmrazor_zs\.).*')]

html_theme = 'furo'
html_title = f'mmrazor_zs {release}'
html_static_path = ['_static']

# (document, id of the object) pairs the API reference has documented
DOCUMENTED: Set[Tuple[str, int]] = set()


def document_once(app, what: str, name: str, obj: object, skip: bool,
                  options: dict) -> Optional[bool]:
    """Document a name that several packages export (a package re-exporting
    another's class) only in the first section of ``api.rst`` that lists it."""
    if what != 'module' or skip:
        return None
    key = (app.env.docname, id(obj))
    if key in DOCUMENTED:
        return True
    DOCUMENTED.add(key)
    return None


def forget_documented(app, env, docname: str) -> None:
    """Forget what ``docname`` documented when it is read again."""
    DOCUMENTED.difference_update(
        {key
         for key in DOCUMENTED if key[0] == docname})


def setup(app) -> None:
    """Register this configuration's event handlers."""
    app.connect('autodoc-skip-member', document_once)
    app.connect('env-purge-doc', forget_documented)
