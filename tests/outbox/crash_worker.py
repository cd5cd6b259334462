"""The process the crash test kills: it records dispatch rows with their outbox entries
(one transaction each) while its relay delivers them to a "server" that is a separate
SQLite file recording every write it applies (no uniqueness: a duplicate would show).

    python -m tests.outbox.crash_worker FOLDER ROUND ENTRIES

Prints ``ready <recovered>`` once its relay has started (``recovered``: entries the
previous, killed, process left in flight), then ``done <left>`` after a final flush.
"""

from __future__ import annotations

import random
import sqlite3
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from scanner_app.backends.errors import Offline
from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox import Outbox, OutboxEntry, OutboxRelay, RetryPolicy

KIND = "crash.write"
TARGET = "crash-server"
POLICY = RetryPolicy(max_attempts=1000, backoff_seconds=0.005, max_backoff_seconds=0.02, idle_poll_seconds=0.05)


def open_server(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None, timeout=10)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE IF NOT EXISTS applied (key TEXT NOT NULL, entry_id INTEGER NOT NULL, at REAL)")
    return conn


class FileServer:
    """Applies a write by committing a row; sometimes "loses the answer" afterwards."""

    def __init__(self, path: Path, rng: random.Random) -> None:
        self.path = path
        self.rng = rng

    def deliver(self, entry: OutboxEntry) -> Mapping[str, Any]:
        conn = open_server(self.path)
        try:
            conn.execute("INSERT INTO applied (key, entry_id, at) VALUES (?, ?, ?)",
                         (entry.payload["key"], entry.entry_id, time.time()))
        finally:
            conn.close()
        time.sleep(self.rng.uniform(0, 0.004))  # the answer travels back: a window to die in
        if self.rng.random() < 0.15:
            raise Offline("the connection dropped before the answer came", maybe_applied=True)
        return {"applied": entry.payload["key"]}

    def was_applied(self, entry: OutboxEntry) -> Mapping[str, Any] | None:
        conn = open_server(self.path)
        try:
            row = conn.execute("SELECT 1 FROM applied WHERE key = ?", (entry.payload["key"],)).fetchone()
        finally:
            conn.close()
        return {"applied": entry.payload["key"], "found": True} if row else None


def main(folder: Path, round_number: int, entries: int) -> int:
    rng = random.Random(round_number)
    store = InventoryStore(folder / "inventory.sqlite3")
    with store.transaction() as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS crash_dispatch (key TEXT PRIMARY KEY, document TEXT NOT NULL)")
    outbox = Outbox(store)
    relay = OutboxRelay(outbox, TARGET, {KIND: FileServer(folder / "server.sqlite3", rng)}, policy=POLICY)
    relay.start()
    recovered = sum(1 for e in outbox.entries(states=["pending"]) if e.check_before_send)
    print(f"ready {recovered}", flush=True)
    for n in range(entries):
        key, document = f"r{round_number}-{n}", f"SO-{rng.randrange(3)}"
        with store.transaction() as conn:  # the dispatch row and its entry: both or neither
            conn.execute("INSERT INTO crash_dispatch (key, document) VALUES (?, ?)", (key, document))
            entry_id = outbox.enqueue(conn, target=TARGET, document=document, kind=KIND, payload={"key": key})
        outbox.announce([entry_id])
        time.sleep(rng.uniform(0, 0.002))
    left = relay.flush(30)
    relay.stop()
    store.close()
    print(f"done {len(left)}", flush=True)
    return 0 if not left else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])))
