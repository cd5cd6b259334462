"""``ImportProcess``: the window's catalogue-sync pages imported by a child process, so a
sync never holds the interpreter lock (GIL) the UI thread needs to answer a scan.

Why: the importer is Python (~10 ms of CPU for a page of 200 items). On a thread of the
station's process it competes with the UI thread for the GIL, and a scan that meets a
page import waits for it: measured with 100,000 items, a lookup of 0.3 ms took up to
10 ms (p99) while pages were imported on a thread, and 0.8 ms with the same imports in
another process. In the window (``benchmarks/scan_during_sync.py``, 2 cores) a scan's
p99 during a sync was 21-30 ms with the imports on a thread, 12-14 ms with them here
(no sync: 8-10 ms). The child opens the same SQLite file
(WAL: one writer at a time across processes, waiting up to the store's busy timeout) and
writes each page in its own transaction with :func:`~scanner_app.sync.page_import.import_records`,
exactly as a thread would. The station's own writes still go through its one
database-writer thread, which hands the page over and waits for the answer.

The child is started with ``spawn`` on the first page and kept for the next syncs; if it
dies, that page fails with :class:`ImportProcessFailed` (the sync is not a success) and
the next page starts a new one. ``spawn`` imports the parent's main module in the child:
scripts must keep their work under ``if __name__ == "__main__":``.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from scanner_app.child_worker import ChildWorker, WorkerDied, WorkerTimedOut
from scanner_app.inventory.importer import ImportReport
from scanner_app.sync.page_import import SkippedRecord, import_records

Result = tuple[ImportReport, list[SkippedRecord]]


class ImportProcessFailed(RuntimeError):
    """The import process died or refused the page; the message says which."""


def serve(conn: Connection, db_path: str) -> None:
    """The child: import each document received into the store at ``db_path``."""
    from scanner_app.inventory.store import InventoryStore

    with InventoryStore(Path(db_path)) as store:
        while True:
            try:
                document: Any = conn.recv()
            except (EOFError, OSError):
                return
            try:
                conn.send(("ok", import_records(store, document)))
            except Exception as exc:  # noqa: BLE001 - the parent raises it as ImportProcessFailed
                conn.send(("error", f"{type(exc).__name__}: {exc}"))


class ImportProcess:
    """A child process importing pages into the store at ``db_path``. Thread-safe."""

    def __init__(self, db_path: Path, timeout_s: float = 300.0) -> None:
        self.db_path = Path(db_path)
        self.timeout_s = timeout_s
        self._worker = ChildWorker(serve, (str(self.db_path),), "sync-import", grace_s=5.0)
        self._lock = threading.Lock()
        self._closed = False

    @property
    def pid(self) -> int | None:
        return self._worker.pid

    def import_records(self, document: Mapping[str, Sequence[Any]]) -> Result:
        """What :func:`import_records` returns, done by the child."""
        with self._lock:
            if self._closed:
                raise ImportProcessFailed("the import process is closed (the station is shutting down)")
            try:
                status, payload = self._worker.request(dict(document), self.timeout_s)
            except WorkerTimedOut as exc:
                raise ImportProcessFailed(f"the import process took over {self.timeout_s:g} s on a page") from exc
            except WorkerDied as exc:
                raise ImportProcessFailed(f"the import process died (exit code {exc.exit_code})") from exc
        if status != "ok":
            raise ImportProcessFailed(f"the import process could not import the page: {payload}")
        report, skipped = payload
        return report, skipped

    def close(self) -> None:
        """Stop the child after the page it is importing (if any). Idempotent."""
        with self._lock:
            self._closed = True
            self._worker.stop()
