"""What the store remembers about syncing (tables from migration 0002): the last
successful catalogue sync per source, and when each item's details were fetched.

Readers take the calling thread's connection (the UI may ask); writers run inside the
caller's write transaction, on the database-writer thread.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Literal

SyncKind = Literal["full", "incremental"]


@dataclass(frozen=True)
class SyncState:
    """The last successful sync from ``source``."""

    source: str
    last_kind: SyncKind
    last_started_at: float
    last_finished_at: float
    last_full_started_at: float
    full_item_count: int


def zoho_source(organization_id: str) -> str:
    """The sync source name of a Zoho organisation."""
    return f"zoho:{organization_id}"


_COLUMNS = "source, last_kind, last_started_at, last_finished_at, last_full_started_at, full_item_count"


def load_sync_state(conn: sqlite3.Connection, source: str) -> SyncState | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM sync_state WHERE source = ?", (source,)).fetchone()
    if row is None:
        return None
    return SyncState(str(row[0]), row[1], float(row[2]), float(row[3]), float(row[4]), int(row[5]))


def save_sync_state(conn: sqlite3.Connection, state: SyncState) -> None:
    conn.execute(
        f"INSERT INTO sync_state ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (source) DO UPDATE SET last_kind = excluded.last_kind, "
        "last_started_at = excluded.last_started_at, last_finished_at = excluded.last_finished_at, "
        "last_full_started_at = excluded.last_full_started_at, full_item_count = excluded.full_item_count",
        (state.source, state.last_kind, state.last_started_at, state.last_finished_at,
         state.last_full_started_at, state.full_item_count),
    )


def details_fetched_at(conn: sqlite3.Connection, item_id: str) -> float | None:
    row = conn.execute("SELECT fetched_at FROM item_details_fetched WHERE item_id = ?", (item_id,)).fetchone()
    return None if row is None else float(row[0])


def mark_details_fetched(conn: sqlite3.Connection, item_id: str, when: float) -> None:
    conn.execute(
        "INSERT INTO item_details_fetched (item_id, fetched_at) VALUES (?, ?) "
        "ON CONFLICT (item_id) DO UPDATE SET fetched_at = excluded.fetched_at", (item_id, when))
