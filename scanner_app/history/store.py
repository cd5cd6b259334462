"""Scan history in its own SQLite file (WAL, synchronous=FULL).

Kept apart from the inventory database because a catalogue can be replaced (re-import,
full sync) while the history of what was scanned must stay. Each thread gets its own
connection; the app writes from its one database-writer thread. Like the inventory store,
it waits visibly (and up to ``lock_wait_seconds``) for a file another program holds, and
raises a damaged file, a full disk or a denied permission as a fault naming the file
(:mod:`scanner_app.database_files`).
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scanner_app.database_files import (
    DEFAULT_LOCK_WAIT_S,
    check_is_database,
    connect,
    faults_named,
    wait_for_lock,
    write_transaction,
)
from scanner_app.scanning.scan import ScanOutcome

_SCHEMA = """
CREATE TABLE IF NOT EXISTS scans (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    scanned_at TEXT NOT NULL,
    source TEXT NOT NULL,
    raw TEXT NOT NULL,
    display TEXT NOT NULL,
    code_kind TEXT NOT NULL,
    symbology TEXT,
    status TEXT NOT NULL,
    result_kind TEXT,
    summary TEXT,
    reason TEXT,
    timings TEXT NOT NULL
);
"""


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    scanned_at: str
    source: str
    raw: str
    display: str
    code_kind: str
    symbology: str | None
    status: str
    result_kind: str | None
    summary: str | None
    reason: str | None
    timings_ms: dict[str, float]

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class WorkflowVerdict:
    """What a workflow page (Dispatch, Receive, Assemble) answered to a scan. The history
    keeps it instead of the lookup's answer: a new batch received is "accepted", not the
    lookup's "not found"."""

    page: str  # "dispatch", "receive", "assemble"
    status: str  # "accepted", "refused", "checking" (a register still has to answer), "confirm"
    message: str

    @classmethod
    def of(cls, page: str, answer: Any) -> WorkflowVerdict:
        """From a workflow's answer (``accepted``, ``verdict``, ``message``; ``checking`` on dispatch)."""
        if answer.accepted:
            status = "accepted"
        elif getattr(answer, "checking", False):
            status = "checking"
        elif answer.verdict == "needs_confirmation":
            status = "confirm"
        else:
            status = "refused"
        return cls(page, status, answer.message)


def summarise(outcome: ScanOutcome) -> str | None:
    """One line naming what the scan found, for the history list."""
    result = outcome.result
    if result.kind == "serial" and result.serial is not None:
        name = result.item.name if result.item else result.serial.item_id
        return f"{name} · serial {result.serial.serialnumber}"
    if result.kind == "batch" and result.batch is not None:
        name = result.item.name if result.item else result.batch.item_id
        return f"{name} · batch {result.batch.batch_number}"
    if result.kind == "bin" and result.bin is not None:
        return f"Bin {result.bin.code} ({result.bin.warehouse_name or result.bin.warehouse_id})"
    if result.item is not None:
        return result.item.name
    return None


class HistoryStore:
    def __init__(self, path: Path, *, lock_wait_seconds: float = DEFAULT_LOCK_WAIT_S) -> None:
        self.path = path
        self.lock_wait_seconds = lock_wait_seconds
        path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        try:
            with faults_named(self.path):
                exists = self._conn().execute("SELECT 1 FROM sqlite_master WHERE name = 'scans'").fetchone()
            if exists is None:  # a new file: the only time opening writes
                with self._writing() as conn:
                    conn.execute(_SCHEMA)
        except BaseException:
            self.close()
            raise

    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = connect(self.path)
            try:
                with faults_named(self.path, waited_seconds=self.lock_wait_seconds):
                    check_is_database(conn, self.path)
                    wait_for_lock(self.path, self.lock_wait_seconds, lambda: conn.execute("PRAGMA journal_mode=WAL"))
                    conn.execute("PRAGMA synchronous=FULL")
            except BaseException:
                conn.close()
                raise
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One write, all or nothing (waits for a file another program holds)."""
        with write_transaction(self._conn(), self.path, self.lock_wait_seconds) as conn:
            yield conn

    def record(self, outcome: ScanOutcome, verdict: WorkflowVerdict | None = None) -> int:
        """Store one scan (with a workflow page's ``verdict`` when one answered it, instead
        of the lookup's status and reason); returns its id. Durable when this returns."""
        scan, c, result = outcome.scan, outcome.classification, outcome.result
        return self._insert(
            scanned_at=scan.received_at, source=scan.source.value, raw=scan.raw, display=c.display,
            code_kind=c.kind.value, symbology=c.symbology, status=verdict.status if verdict else result.status,
            result_kind=result.kind, summary=summarise(outcome), reason=verdict.message if verdict else result.reason,
            timings={k: round(v, 3) for k, v in outcome.timings_ms.items()},
        )

    def amend(self, scan_id: int, outcome: ScanOutcome, verdict: WorkflowVerdict | None = None) -> None:
        """Replace a stored scan's answer with a later one for the same scan (a serial
        register answered after the local store said "not found", or after a dispatch said
        "checking"). Durable when this returns."""
        result = outcome.result
        with self._writing() as conn:
            conn.execute("UPDATE scans SET status = ?, result_kind = ?, summary = ?, reason = ? WHERE id = ?",
                         (verdict.status if verdict else result.status, result.kind, summarise(outcome),
                          verdict.message if verdict else result.reason, scan_id))

    def record_action(self, *, source: str, status: str, display: str, summary: str, reason: str | None) -> int:
        """Store something a person did that is not a scan (e.g. discarding an outbox entry),
        so the history shows it beside the scans. Durable when this returns."""
        return self._insert(
            scanned_at=time.time(), source=source, raw=display, display=display, code_kind="action",
            symbology=None, status=status, result_kind=None, summary=summary, reason=reason, timings={},
        )

    def _insert(self, *, scanned_at: float, source: str, raw: str, display: str, code_kind: str,
                symbology: str | None, status: str, result_kind: str | None, summary: str | None,
                reason: str | None, timings: dict[str, float]) -> int:
        when = datetime.fromtimestamp(scanned_at, UTC).isoformat(timespec="milliseconds")
        with self._writing() as conn:
            cursor = conn.execute(
                "INSERT INTO scans (scanned_at, source, raw, display, code_kind, symbology,"
                " status, result_kind, summary, reason, timings)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (when, source, raw, display, code_kind, symbology, status, result_kind, summary, reason,
                 json.dumps(timings)),
            )
        return int(cursor.lastrowid or 0)

    def recent(self, limit: int = 100) -> list[HistoryEntry]:
        """The newest ``limit`` scans, newest first."""
        with faults_named(self.path):
            rows = self._conn().execute(
                "SELECT id, scanned_at, source, raw, display, code_kind, symbology, status,"
                " result_kind, summary, reason, timings FROM scans ORDER BY id DESC LIMIT ?",
                (max(0, limit),),
            ).fetchall()
        return [
            HistoryEntry(
                id=row[0], scanned_at=row[1], source=row[2], raw=row[3], display=row[4], code_kind=row[5],
                symbology=row[6], status=row[7], result_kind=row[8], summary=row[9], reason=row[10],
                timings_ms=json.loads(row[11]),
            )
            for row in rows
        ]

    def count(self) -> int:
        with faults_named(self.path):
            return int(self._conn().execute("SELECT COUNT(*) FROM scans").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            for conn in self._all:
                conn.close()
            self._all.clear()
        self._local = threading.local()
