"""The station's SQLite files as the stores open and write them: bounded, visible waits for a
file another program holds, write transactions that leave nothing half-written, and
SQLite's failures turned into :mod:`scanner_app.faults` naming the file.

Waiting: SQLite's own busy timeout waits in silence. Here a connection waits one short
slice (:data:`LOCK_WAIT_SLICE_S`) at a time; once it has waited :data:`NOTICE_AFTER_S`
the station says ``waiting for FILE, held by another program (up to N s)...`` through the wait notice
(stderr by default; the window adds its status bar, :func:`set_wait_notice`) and keeps
trying until the bound (``[storage] lock_wait_seconds``), then raises
:class:`~scanner_app.faults.DatabaseLocked`. No Qt here.
"""

from __future__ import annotations

import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from scanner_app.faults import (
    DatabaseDamaged,
    DatabaseLocked,
    sqlite_fault,
    waiting_words,
)

LOCK_WAIT_SLICE_S = 0.25
# Said once a wait is this long (or half the bound, if shorter): the station's own processes
# (the window's sync-import child, a CLI command beside the window) hold the file for a
# moment at times, which is not worth a word.
NOTICE_AFTER_S = 1.0
DEFAULT_LOCK_WAIT_S = 10.0

T = TypeVar("T")
WaitNotice = Callable[[str], None]


def _to_stderr(words: str) -> None:
    print(f"scanner-app: {words}", file=sys.stderr, flush=True)


_notice: list[WaitNotice] = [_to_stderr]


def set_wait_notice(notice: WaitNotice | None) -> None:
    """Where "waiting for FILE ..." goes in this process (None: back to stderr). Called from
    whichever thread waits: a window posts it to its UI thread itself."""
    _notice[0] = notice or _to_stderr


def connect(path: Path) -> sqlite3.Connection:
    """A connection to ``path`` in autocommit mode (transactions are explicit), whose busy
    handler waits one slice; every thread of a store gets its own."""
    with faults_named(path):
        return sqlite3.connect(path, timeout=LOCK_WAIT_SLICE_S, isolation_level=None, check_same_thread=False)


def is_busy(exc: sqlite3.Error) -> bool:
    return getattr(exc, "sqlite_errorname", "") in ("SQLITE_BUSY", "SQLITE_LOCKED") or "locked" in str(exc)


def wait_for_lock(path: Path, bound_seconds: float, action: Callable[[], T]) -> T:
    """``action()`` (a statement that needs the file's lock), tried again while another
    program holds the file, for up to ``bound_seconds``; said once when it has to wait."""
    started = time.monotonic()
    say_after = min(NOTICE_AFTER_S, bound_seconds / 2)
    announced = False
    while True:
        try:
            return action()
        except sqlite3.OperationalError as exc:
            if not is_busy(exc):
                raise
            waited = time.monotonic() - started
            if waited >= bound_seconds:
                raise DatabaseLocked(path, bound_seconds) from exc
            if not announced and waited >= say_after:
                announced = True
                _notice[0](waiting_words(path, bound_seconds))


@contextmanager
def faults_named(path: Path, *, waited_seconds: float = 0.0) -> Iterator[None]:
    """Let an environmental ``sqlite3`` error in the block out as a fault naming ``path``
    (damaged, full disk, locked, permission); anything else goes out as it came."""
    try:
        yield
    except sqlite3.Error as exc:
        fault = sqlite_fault(exc, path, waited_seconds=waited_seconds)
        if fault is None:
            raise
        raise fault from exc


@contextmanager
def write_transaction(conn: sqlite3.Connection, path: Path, bound_seconds: float) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` (waiting for the lock as above) ... ``COMMIT``; rolled back on any
    error, so a failed write (a full disk, a damaged page) leaves nothing half-written."""
    with faults_named(path, waited_seconds=bound_seconds):
        wait_for_lock(path, bound_seconds, lambda: conn.execute("BEGIN IMMEDIATE"))
    try:
        yield conn
    except BaseException as failure:
        rollback_quietly(conn)
        if isinstance(failure, sqlite3.Error):
            fault = sqlite_fault(failure, path, waited_seconds=bound_seconds)
            if fault is not None:
                raise fault from failure
        raise
    try:
        with faults_named(path, waited_seconds=bound_seconds):
            wait_for_lock(path, bound_seconds, lambda: conn.execute("COMMIT"))
    except BaseException:
        rollback_quietly(conn)
        raise


def rollback_quietly(conn: sqlite3.Connection) -> None:
    """Roll back what is open; SQLite may have rolled back already (a full disk does)."""
    if conn.in_transaction:
        try:
            conn.execute("ROLLBACK")
        except sqlite3.Error:
            pass


def check_is_database(conn: sqlite3.Connection, path: Path) -> None:
    """Read the file's header and schema: a file that is not a database, or whose schema is
    damaged, fails here at open instead of in the middle of the work."""
    with faults_named(path):
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()


def verify_intact(conn: sqlite3.Connection, path: Path) -> None:
    """SQLite's ``quick_check`` of the whole file (about 0.15 s for 100,000 items): run inside
    a bulk write before its commit, so no success is reported for a write into a damaged file."""
    with faults_named(path):
        problems = [str(row[0]) for row in conn.execute("PRAGMA quick_check(3)")]
    if problems != ["ok"]:
        lines = [line.strip() for text in problems for line in text.splitlines()
                 if line.strip() and not line.startswith("***")]
        raise DatabaseDamaged(path, "; ".join(lines[:3]) or "quick_check failed")
