"""Finding the station's resources (icons, sounds) from source and from a frozen build.

The one place that knows where ``resources/`` is: next to the package in a checkout or
editable install, or under ``sys._MEIPASS`` in a PyInstaller build.
"""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Path:
    """Path of a resource, e.g. ``resource_path("sounds", "found.wav")``; raises
    FileNotFoundError with the full path when it is missing."""
    path = resources_dir().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"resource missing: {path}")
    return path
