"""The embedded inventory: one SQLite file, opened by :class:`InventoryStore`.

The store owns the file's connections and its transactions; what a scan means is in
``lookup``, how rows become dataclasses in ``records``, the schema in ``migrations/``,
and catalogue files come in through ``importer``.

Threads: every thread gets its own ``sqlite3`` connection (``threading.local``), so the
UI thread, the DB-writer thread and workers can all read at once (WAL lets readers run
while one writer writes). Writes are serialised by the caller (the app has one DB-writer
thread); each write runs inside :meth:`InventoryStore.transaction` (``BEGIN IMMEDIATE``),
so it is all or nothing. Durability: WAL with ``synchronous=FULL``, so a committed write
survives a power cut, not only a crash.

Faults (:mod:`scanner_app.database_files`): a file held by another program is waited for
visibly, up to ``lock_wait_seconds`` (``[storage]``); a file that is not a database, is
damaged, or comes from a newer scanner-app is refused at open; a write that fails on a
full disk or a damaged page is rolled back and raised as a fault naming the file.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Self

from scanner_app import days
from scanner_app.codes.classification import Classification
from scanner_app.database_files import (
    DEFAULT_LOCK_WAIT_S,
    check_is_database,
    connect,
    faults_named,
    verify_intact,
    wait_for_lock,
    write_transaction,
)
from scanner_app.inventory import lookup as _lookup
from scanner_app.inventory import records
from scanner_app.inventory.models import (
    Batch,
    Bin,
    Item,
    LookupResult,
    SerialNumber,
    Warehouse,
)
from scanner_app.inventory.schema_migrations import migrate, schema_version

BUSY_TIMEOUT_S = DEFAULT_LOCK_WAIT_S  # the default bound of a wait for a file another program holds


class StoreClosed(RuntimeError):
    """The store was closed; open a new :class:`InventoryStore`."""


class InventoryStore:
    """The embedded inventory in the SQLite file at ``path`` (created if missing)."""

    def __init__(self, path: Path, *, lock_wait_seconds: float = BUSY_TIMEOUT_S) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.lock_wait_seconds = lock_wait_seconds
        self._local = threading.local()
        self._lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._closed = False
        try:
            with faults_named(self.path, waited_seconds=lock_wait_seconds):
                migrate(self.connection(), begin=self._begin_immediate, path=self.path)
        except BaseException:
            self.close()
            raise

    # -- connections and transactions -------------------------------------------

    def connection(self) -> sqlite3.Connection:
        """This thread's connection (autocommit mode; use :meth:`transaction` to write)."""
        if self._closed:
            raise StoreClosed(f"the inventory store {self.path} is closed")
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._open()
            self._local.conn = conn
        return conn

    # The benchmarks' name for connection(); kept so they can reach the raw connection.
    _conn = connection

    def _open(self) -> sqlite3.Connection:
        # check_same_thread=False only so close() may close every thread's connection;
        # each connection is still used by the one thread that opened it.
        conn = connect(self.path)
        try:
            with faults_named(self.path, waited_seconds=self.lock_wait_seconds):
                check_is_database(conn, self.path)
                wait_for_lock(self.path, self.lock_wait_seconds, lambda: conn.execute("PRAGMA journal_mode = WAL"))
                conn.execute("PRAGMA synchronous = FULL")
                conn.execute("PRAGMA foreign_keys = ON")
                # 64 MiB page cache at most (allocated as used): a 100,000-item import and its
                # index stay in memory instead of thrashing the 2 MiB default.
                conn.execute("PRAGMA cache_size = -65536")
        except BaseException:
            conn.close()
            raise
        with self._lock:
            if self._closed:
                conn.close()
                raise StoreClosed(f"the inventory store {self.path} is closed")
            self._connections.append(conn)
        return conn

    @contextmanager
    def transaction(self, *, verified: bool = False) -> Iterator[sqlite3.Connection]:
        """A write transaction: committed when the block ends, rolled back on error (a full
        disk, a damaged file: raised as a :class:`~scanner_app.faults.StationFault`).
        ``verified``: check the whole file (``quick_check``) before committing, for bulk
        writes such as an import, which must never report success into a damaged file."""
        conn = self.connection()
        with write_transaction(conn, self.path, self.lock_wait_seconds):
            yield conn
            if verified:
                verify_intact(conn, self.path)

    def _begin_immediate(self, conn: sqlite3.Connection) -> None:
        wait_for_lock(self.path, self.lock_wait_seconds, lambda: conn.execute("BEGIN IMMEDIATE"))

    @contextmanager
    def _snapshot(self) -> Iterator[sqlite3.Connection]:
        """A read transaction, so several queries see one consistent state."""
        conn = self.connection()
        if conn.in_transaction:  # already inside the caller's transaction
            yield conn
            return
        with faults_named(self.path):
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                conn.execute("COMMIT")

    def schema_version(self) -> int:
        return schema_version(self.connection())

    def close(self) -> None:
        """Close every thread's connection. Idempotent."""
        with self._lock:
            self._closed = True
            connections, self._connections = self._connections, []
        for conn in connections:
            conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- answering scans ------------------------------------------------------------

    def lookup(self, c: Classification, *, today: str | None = None) -> LookupResult:
        """What the classified scan ``c`` names; see :mod:`scanner_app.inventory.lookup`.

        ``today`` (ISO date, default: :func:`scanner_app.days.today`) decides which
        batches are expired.
        """
        day = today or days.today().isoformat()
        with self._snapshot() as conn:
            return _lookup.lookup(conn, c, day)

    # -- small readers for the UI and the CLI ---------------------------------------

    def count_items(self) -> int:
        return int(self.connection().execute("SELECT count(*) FROM items").fetchone()[0])

    def get_item(self, item_id: str) -> Item | None:
        with self._snapshot() as conn:
            return records.load_item(conn, item_id)

    def get_serial(self, serialnumber_id: str) -> SerialNumber | None:
        return records.load_serial(self.connection(), serialnumber_id)

    def get_batch(self, batch_id: str) -> Batch | None:
        return records.load_batch(self.connection(), batch_id)

    def warehouses(self) -> list[Warehouse]:
        return records.list_warehouses(self.connection())

    def bins(self, warehouse_id: str | None = None) -> list[Bin]:
        return records.list_bins(self.connection(), warehouse_id)
