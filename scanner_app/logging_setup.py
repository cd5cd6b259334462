"""Logging: a rotating file in the home's log folder, and WARNING and above on stderr."""

from __future__ import annotations

import logging
import logging.handlers
import sys

from scanner_app.paths import StationPaths

_FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"


def configure_logging(paths: StationPaths, *, file_level: int = logging.INFO) -> None:
    """Send log records to ``paths.log_file`` (rotated at 2 MB, 5 kept) and stderr."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_scanner_app", False):
            root.removeHandler(handler)
            handler.close()
    paths.log_dir.mkdir(parents=True, exist_ok=True)
    file_handler = logging.handlers.RotatingFileHandler(
        paths.log_file, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    file_handler.setLevel(file_level)
    file_handler.setFormatter(logging.Formatter(_FORMAT))
    stderr_handler = logging.StreamHandler(sys.stderr)
    stderr_handler.setLevel(logging.WARNING)
    stderr_handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    for handler in (file_handler, stderr_handler):
        setattr(handler, "_scanner_app", True)  # marks our handlers for reconfiguration
        root.addHandler(handler)
    root.setLevel(min(file_level, logging.WARNING))
