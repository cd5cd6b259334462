"""Registered units named as ``"module:attribute"``: backends (``backends/registry.py``),
job kinds (``jobs/__init__.py``), workflow pages (``ui/workflow_pages.py``). A registry
lists such strings and imports each when it is used, so a station imports only what it
runs (an embedded station never loads a vendor's HTTP stack) and a lower layer can name a
unit above it without an import the layer contracts forbid. No Qt."""

from __future__ import annotations

import importlib
from typing import Any


def attribute(path: str) -> Any:
    """The object named by ``"module:attribute"`` (the module imported now)."""
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)
