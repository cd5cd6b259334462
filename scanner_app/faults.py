"""Environmental faults in words: what happened to the station's files and disks, and what
a person can do about it. Every entry point (the CLI's ``main``, the window) reads a failure
through :func:`describe` and shows its words instead of a traceback.

The tree::

    StationFault              the environment failed; ``str()`` says what and what to do
     ├── DatabaseDamaged      a database file is not a database, or malformed (SQLITE_CORRUPT/NOTADB)
     ├── DatabaseTooNew       a database written by a newer scanner-app (future schema)
     ├── DatabaseLocked       another program held a database longer than the bound
     ├── DiskFull             ENOSPC / SQLITE_FULL: which folder, how much is free
     └── AccessDenied         permission denied, or a read-only disk: which path

The stores (``inventory/store.py``, ``history/store.py``) raise these with their file's
path; :func:`describe` also reads what escaped them raw (an ``OSError`` from a log or a
settings file, a ``sqlite3`` error from a read) and names the station's folder then.
No Qt here.
"""

from __future__ import annotations

import errno
import getpass
import os
import shutil
import sqlite3
from pathlib import Path

from scanner_app.settings import ConfigError

DAMAGED_CODES = frozenset({"SQLITE_CORRUPT", "SQLITE_NOTADB"})
LOCKED_CODES = frozenset({"SQLITE_BUSY", "SQLITE_LOCKED"})
FULL_CODES = frozenset({"SQLITE_FULL"})
DENIED_CODES = frozenset({"SQLITE_READONLY", "SQLITE_PERM", "SQLITE_CANTOPEN", "SQLITE_AUTH"})
_FULL_ERRNOS = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)})
_DENIED_ERRNOS = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})


class StationFault(Exception):
    """The station's environment failed (a file, a disk, another program); the message says
    what happened and what to do. ``path`` is the file or folder concerned."""

    def __init__(self, words: str, *, path: Path | None = None) -> None:
        super().__init__(words)
        self.words = words
        self.path = path


class DatabaseDamaged(StationFault):
    """A database file is damaged: not a database, or malformed."""

    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(
            f"{path} is damaged (SQLite: {detail}); nothing was written to it. What to do: close every "
            f"scanner-app, move the file aside (e.g. rename it to {path.name}.damaged) and restore it from a "
            f"backup; without one, scanner-app starts a new file there (the demo catalogue, or a Zoho sync)",
            path=path)


class DatabaseTooNew(StationFault):
    """A database from a newer scanner-app (its schema version is beyond this program's)."""

    def __init__(self, path: Path, found: int, known: int) -> None:
        from scanner_app import __version__

        super().__init__(
            f"{path} was written by a newer scanner-app (schema version {found}; this scanner-app "
            f"{__version__} knows up to {known}); nothing was changed. What to do: install the newer "
            f"scanner-app, or use another home folder (--home DIR)", path=path)
        self.found = found
        self.known = known


class DatabaseLocked(StationFault):
    """Another program held a database for longer than the station waits."""

    def __init__(self, path: Path, waited_seconds: float) -> None:
        super().__init__(
            f"{path} is held by another program: waited {waited_seconds:g} s for it and gave up; nothing was "
            f"changed. What to do: close the other program (another scanner-app, a database browser, a backup "
            f"tool) and try again, or allow a longer wait with [storage] lock_wait_seconds in config.toml",
            path=path)


class DiskFull(StationFault):
    """The disk holding ``folder`` has no room left."""

    def __init__(self, folder: Path) -> None:
        super().__init__(
            f"the disk holding {folder} is full ({free_space(folder)} free); nothing from this step was saved. "
            f"What to do: free some space on that disk, then try again", path=folder)


class AccessDenied(StationFault):
    """The station may not read or write ``path`` (permissions, or a read-only disk)."""

    def __init__(self, path: Path | None, detail: str) -> None:
        where = str(path) if path is not None else "a file of the station"
        super().__init__(
            f"permission denied: {where} ({detail}); nothing was changed. What to do: let the user running "
            f"scanner-app ({_user()}) read and write it, or use another home folder (--home DIR)", path=path)


def waiting_words(path: Path, bound_seconds: float) -> str:
    """What the station says while it waits for a database another program holds."""
    return f"waiting for {path}, held by another program (up to {bound_seconds:g} s)..."


def sqlite_fault(exc: sqlite3.Error, path: Path, *, waited_seconds: float = 0.0) -> StationFault | None:
    """The fault a ``sqlite3`` error on the file at ``path`` means, or None when it is not an
    environmental one (a constraint, a bug in a statement)."""
    name = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc)
    if name in DAMAGED_CODES or "malformed" in text or "not a database" in text:
        return DatabaseDamaged(path, text)
    if name in FULL_CODES or "database or disk is full" in text:
        return DiskFull(path.parent)
    if name in LOCKED_CODES or "database is locked" in text:
        return DatabaseLocked(path, waited_seconds)
    if name in DENIED_CODES or "readonly database" in text or "unable to open database" in text:
        return AccessDenied(path, text)
    return None


def os_fault(exc: OSError, fallback: Path | None = None) -> StationFault | None:
    """The fault an ``OSError`` means (disk full, permission denied), or None."""
    where = Path(exc.filename) if exc.filename else fallback
    if exc.errno in _FULL_ERRNOS:
        folder = where.parent if where is not None and not where.is_dir() else where
        return DiskFull(folder or Path.cwd())
    if exc.errno in _DENIED_ERRNOS or isinstance(exc, PermissionError):
        return AccessDenied(where, exc.strerror or str(exc))
    return None


def describe(exc: BaseException, data_dir: Path | None = None) -> str | None:
    """Words for an environmental fault (with what to do), or None when ``exc`` is not one
    (a bug: the caller says so and points at the log). ``data_dir`` is named when a raw
    ``sqlite3`` error does not say which file failed."""
    if isinstance(exc, StationFault):
        return exc.words
    if isinstance(exc, ConfigError):
        return str(exc)
    if isinstance(exc, sqlite3.Error):
        fault = sqlite_fault(exc, _suspect_database(data_dir or Path.cwd()))
        return fault.words if fault is not None else None
    if isinstance(exc, OSError):
        fault = os_fault(exc, data_dir)
        if fault is not None:
            return fault.words
        if exc.errno in (errno.EIO, errno.ENXIO, errno.ENODEV):
            return (f"the disk could not read or write {exc.filename or data_dir or 'a file'} ({exc.strerror}). "
                    f"What to do: check the disk (or the network share) the home folder is on, then try again")
    return None


def _suspect_database(data_dir: Path) -> Path:
    """The station's database that fails SQLite's quick check (a raw error does not say which
    file it came from), else the inventory database, the one nearly every command uses."""
    for path in sorted(data_dir.glob("*.sqlite3")):
        if not passes_quick_check(path):
            return path
    return data_dir / "inventory.sqlite3"


def passes_quick_check(path: Path) -> bool:
    """SQLite's ``PRAGMA quick_check`` of the file at ``path`` (read-only; a file held by
    another program passes: it is not known to be damaged)."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.5)
    except sqlite3.Error:
        return False
    try:
        return bool(conn.execute("PRAGMA quick_check(1)").fetchone()[0] == "ok")
    except sqlite3.DatabaseError as exc:
        return "locked" in str(exc)
    finally:
        conn.close()


def explain(exc: BaseException, data_dir: Path | None, log_file: Path | None) -> tuple[str, bool]:
    """``(words, environmental)``: :func:`describe`'s words for an environmental fault, or,
    for anything else (a bug), words that say so and where the details are."""
    words = describe(exc, data_dir)
    if words is not None:
        return words, True
    from scanner_app.backends.log_redaction import REDACTOR

    where = f"the details are in {log_file}" if log_file is not None else "run it again with --debug for the details"
    what = REDACTOR.redact(f"{type(exc).__name__}: {exc}")
    return f"stopped on an unexpected error ({what}); this is a bug: {where}", False


def free_space(folder: Path) -> str:
    """How much room the disk holding ``folder`` has left, for a person ("1.2 MB")."""
    probe = folder
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    try:
        free = float(shutil.disk_usage(probe).free)
    except OSError:
        return "unknown space"
    for unit in ("bytes", "KB", "MB", "GB"):
        if free < 1000 or unit == "GB":
            return f"{free:.0f} {unit}" if unit == "bytes" else f"{free:.1f} {unit}"
        free /= 1000
    return f"{free:.1f} GB"


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid()) if hasattr(os, "getuid") else "this user"
