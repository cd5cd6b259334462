"""Logging: a rotating file in the home's log folder, and WARNING and above on stderr.

Levels for support: the file logs INFO by default; ``[logging] level`` in config.toml or
``SCANNER_APP_LOG_LEVEL`` set it (e.g. ``DEBUG``: every HTTP call, every wait). ``--debug``
sends DEBUG to the file and to stderr, tracebacks included. Without ``--debug`` stderr never
shows a traceback (the log file keeps it). Every line passes the backends' secret
redaction (:mod:`scanner_app.backends.log_redaction`) as the last step of formatting, so
no token or secret reaches a log at any level, not even inside a traceback.

Logging must not stop the station: a log file that cannot be written (a full disk, a
denied folder) is said once on stderr and then left alone.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
from pathlib import Path

from scanner_app.paths import StationPaths

_FORMAT = "%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"
# The attribute that marks the handlers this module installed (and may replace or close).
_OURS = "_scanner_app"
LEVEL_ENV = "SCANNER_APP_LOG_LEVEL"
LEVELS = {"DEBUG": logging.DEBUG, "INFO": logging.INFO, "WARNING": logging.WARNING, "ERROR": logging.ERROR}


class _RedactingFormatter(logging.Formatter):
    """Formats as usual, then removes secrets from the whole text (message and traceback);
    ``tracebacks=False`` leaves tracebacks out (stderr without --debug)."""

    def __init__(self, fmt: str, *, tracebacks: bool = True) -> None:
        super().__init__(fmt)
        self._tracebacks = tracebacks

    def format(self, record: logging.LogRecord) -> str:
        from scanner_app.backends.log_redaction import REDACTOR

        if not self._tracebacks and (record.exc_info or record.exc_text or record.stack_info):
            record = logging.makeLogRecord({**record.__dict__, "exc_info": None, "exc_text": None,
                                            "stack_info": None})
        return REDACTOR.redact(super().format(record))


def _not_for_stderr(record: logging.LogRecord) -> bool:
    """Records logged with ``extra={"stderr": False}`` (an entry point already said them in
    words) go to the file only."""
    return getattr(record, "stderr", True) is not False


class _QuietFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log file that, when it cannot be written, says so once on stderr
    (instead of logging's traceback per record) and stays quiet after that."""

    failed = False

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging.Handler's name
        if not self.failed:
            self.failed = True
            error = sys.exc_info()[1]
            print(f"scanner-app: the log file {self.baseFilename} cannot be written ({error}); "
                  f"going on without it", file=sys.stderr)


def file_level_from(*, debug: bool = False, configured: str | None = None) -> int:
    """The log file's level: DEBUG with --debug, else SCANNER_APP_LOG_LEVEL, else
    ``[logging] level``, else INFO. An unknown name in the environment is ignored."""
    if debug:
        return logging.DEBUG
    for name in (os.environ.get(LEVEL_ENV), configured):
        if name and name.strip().upper() in LEVELS:
            return LEVELS[name.strip().upper()]
    return logging.INFO


def configure_logging(paths: StationPaths, *, file_level: int = logging.INFO, debug: bool = False) -> None:
    """Send log records to ``paths.log_file`` (rotated at 2 MB, 5 kept) and stderr
    (WARNING and above; everything, tracebacks included, with ``debug``)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, _OURS, False):
            root.removeHandler(handler)
            handler.close()
    stderr_handler = logging.StreamHandler(sys.stderr)
    stderr_handler.setLevel(logging.DEBUG if debug else logging.WARNING)
    stderr_handler.setFormatter(_RedactingFormatter("%(levelname)s: %(message)s", tracebacks=debug))
    stderr_handler.addFilter(_not_for_stderr)
    handlers: list[logging.Handler] = [stderr_handler]
    try:
        paths.log_dir.mkdir(parents=True, exist_ok=True)
        file_handler = _QuietFileHandler(paths.log_file, maxBytes=2_000_000, backupCount=5, encoding="utf-8")
    except OSError as exc:
        print(f"scanner-app: the log file {paths.log_file} cannot be written ({exc.strerror or exc}); "
              f"going on without it", file=sys.stderr)
    else:
        file_handler.setLevel(file_level)
        file_handler.setFormatter(_RedactingFormatter(_FORMAT))
        handlers.append(file_handler)
    for handler in handlers:
        setattr(handler, _OURS, True)  # marks our handlers for reconfiguration
        root.addHandler(handler)
    root.setLevel(min(file_level, stderr_handler.level))


def set_file_level(level: int) -> None:
    """Change the log file's level (once config.toml's ``[logging] level`` is known)."""
    root = logging.getLogger()
    for handler in root.handlers:
        if getattr(handler, _OURS, False) and isinstance(handler, logging.FileHandler):
            handler.setLevel(level)
    levels = [h.level for h in root.handlers if getattr(h, _OURS, False)]
    root.setLevel(min([level, *levels]))


def logging_ready() -> bool:
    """:func:`configure_logging` has run in this process (else a record with a traceback
    would reach stderr through logging's last-resort handler)."""
    return any(getattr(h, _OURS, False) for h in logging.getLogger().handlers)


def log_file_in_use() -> Path | None:
    """The log file this process writes, or None (logging not set up, or the file failed)."""
    for handler in logging.getLogger().handlers:
        if getattr(handler, _OURS, False) and isinstance(handler, _QuietFileHandler) and not handler.failed:
            return Path(handler.baseFilename)
    return None
