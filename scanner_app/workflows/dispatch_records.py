"""The dispatch tables (migration 0005): open dispatches, their scanned serials, the
station's remembered warehouse, the completion with its outbox entries, and the indexed
reads a serial scan is checked with; a command's plan is saved with its dispatch
(``job_plans``, migration 0008).

A serial is claimed atomically: :meth:`DispatchRecords.add_serial` asks where else it is
taken inside the ``BEGIN IMMEDIATE`` transaction that inserts it, so of two processes
scanning one serial at once exactly one gets it; the other's write raises
:class:`ClaimTaken` with the usual words.

Every read here is one B-tree search (primary keys or ``dispatch_serials_by_serial``), so a
scan can be checked on the UI thread within a frame. Writes are one short transaction
each; the window runs them on its database-writer thread.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Final

from scanner_app.inventory.models import SerialNumber
from scanner_app.inventory.records import load_serial
from scanner_app.inventory.store import InventoryStore
from scanner_app.jobs.plans import save_plan
from scanner_app.outbox import (
    Outbox,
    PickedSerial,
    enqueue_serial_mappings,
    group_serial_mappings,
)

WAREHOUSE_PREFERENCE: Final = "dispatch.warehouse_id"

_SERIAL_OF_ITEM_SQL = ("SELECT serialnumber_id FROM serial_numbers WHERE item_id = ? AND serialnumber = ?")
_SERIAL_BY_TEXT_SQL = ("SELECT s.serialnumber_id FROM codes AS c JOIN serial_numbers AS s"
                       " ON s.serialnumber_id = c.target_id WHERE c.code = ? AND c.kind = 'serial'"
                       " AND s.item_id = ? LIMIT 1")
# Where else this serial is: another dispatch still open, or completed with an entry that
# was not given up on (failed entries keep their serial until a person discards them).
_CLAIMED_SQL = """
SELECT d.entity_type, d.entity_id, d.state, e.state FROM dispatch_serials AS s
JOIN dispatches AS d ON d.dispatch_id = s.dispatch_id
LEFT JOIN outbox_entries AS e ON e.entry_id = s.entry_id
WHERE s.item_id = ? AND s.serialnumber = ? AND s.dispatch_id != ? AND d.state != 'cancelled'
  AND (e.state IS NULL OR e.state != 'discarded')
LIMIT 1
"""
_EMBEDDED_MAPPED_SQL = ("SELECT entity_type, entity_id FROM embedded_serial_mappings"
                        " WHERE item_id = ? AND serialnumber = ?")


_ROW: Final = "dispatch_id, entity_type, entity_id, warehouse_id, state"
_SERIAL_STATES_SQL: Final = """
SELECT s.item_id, s.serialnumber, s.bin_id, s.bin_from_scan, s.position, s.entry_id, e.state,
       COALESCE(e.vendor_message, e.last_error)
FROM dispatch_serials AS s LEFT JOIN outbox_entries AS e ON e.entry_id = s.entry_id
WHERE s.dispatch_id = ? ORDER BY s.position
"""


class ClaimTaken(Exception):
    """The serial (or batch quantity) was taken by another job between the scan's check and
    its write; ``str()`` is the refusal's words ("SN-1 of Drill is already being dispatched
    with salesorder SO-1")."""


@dataclass(frozen=True)
class DispatchRow:
    dispatch_id: int
    entity_type: str
    entity_id: str
    warehouse_id: str
    state: str


@dataclass(frozen=True)
class ScannedSerialRow:
    item_id: str
    serialnumber: str
    bin_id: str | None
    bin_from_scan: bool
    position: int
    entry_id: int | None


class DispatchRecords:
    """The dispatch tables of ``store``'s database. ``now`` stamps the rows."""

    def __init__(self, store: InventoryStore, *, now: Callable[[], float] = time.time) -> None:
        self.store = store
        self.now = now

    # -- the station's warehouse --------------------------------------------------------
    def remembered_warehouse(self) -> str | None:
        row = self.store.connection().execute(
            "SELECT value FROM station_preferences WHERE name = ?", (WAREHOUSE_PREFERENCE,)).fetchone()
        return str(row[0]) if row else None

    # -- dispatches ------------------------------------------------------------------
    def create(self, entity_type: str, entity_id: str, warehouse_id: str, plan: dict[str, Any] | None = None,
               hold: Callable[[int], None] | None = None) -> DispatchRow:
        """A new open dispatch (with the command's ``plan``, in the same transaction); the
        warehouse becomes the station's remembered one. ``hold(dispatch_id)`` runs before
        the commit (taking the job's ownership), so no other process sees it open and unheld."""
        with self.store.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO dispatches (entity_type, entity_id, warehouse_id, created_at) VALUES (?, ?, ?, ?)",
                (entity_type, entity_id, warehouse_id, self.now()))
            assert cursor.lastrowid is not None
            if hold is not None:
                hold(cursor.lastrowid)
            if plan is not None:
                save_plan(conn, "dispatch", cursor.lastrowid, plan)
            conn.execute("INSERT INTO station_preferences (name, value) VALUES (?, ?)"
                         " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                         (WAREHOUSE_PREFERENCE, warehouse_id))
        assert cursor.lastrowid is not None
        return DispatchRow(cursor.lastrowid, entity_type, entity_id, warehouse_id, "open")

    def latest_open(self) -> DispatchRow | None:
        row = self.store.connection().execute(
            f"SELECT {_ROW} FROM dispatches WHERE state = 'open' ORDER BY dispatch_id DESC LIMIT 1").fetchone()
        return DispatchRow(*row) if row else None

    def get(self, dispatch_id: int) -> DispatchRow | None:
        row = self.store.connection().execute(f"SELECT {_ROW} FROM dispatches WHERE dispatch_id = ?",
                                              (dispatch_id,)).fetchone()
        return DispatchRow(*row) if row else None

    def of_document(self, entity_type: str, entity_id: str, warehouse_id: str) -> list[DispatchRow]:
        """The document's dispatches in this warehouse that were not cancelled, oldest first."""
        rows = self.store.connection().execute(
            f"SELECT {_ROW} FROM dispatches WHERE entity_type = ? AND entity_id = ? AND warehouse_id = ?"
            " AND state != 'cancelled' ORDER BY dispatch_id", (entity_type, entity_id, warehouse_id))
        return [DispatchRow(*row) for row in rows]

    def open_dispatches(self) -> list[tuple[DispatchRow, float, int]]:
        """Every open dispatch, oldest first, with when it was started and how many serials it holds."""
        rows = self.store.connection().execute(
            f"SELECT {_ROW}, created_at, (SELECT COUNT(*) FROM dispatch_serials AS s"
            " WHERE s.dispatch_id = d.dispatch_id) FROM dispatches AS d WHERE state = 'open' ORDER BY dispatch_id")
        return [(DispatchRow(*row[:5]), float(row[5]), int(row[6])) for row in rows]

    def serial_states(self, dispatch_id: int) -> list[tuple[ScannedSerialRow, str | None, str | None]]:
        """Each serial of the dispatch with its outbox entry's state and words (None: no entry)."""
        rows = self.store.connection().execute(_SERIAL_STATES_SQL, (dispatch_id,))
        return [(ScannedSerialRow(i, s, b, bool(f), int(p), e), state, why) for i, s, b, f, p, e, state, why in rows]

    def serials(self, dispatch_id: int) -> list[ScannedSerialRow]:
        rows = self.store.connection().execute(
            "SELECT item_id, serialnumber, bin_id, bin_from_scan, position, entry_id FROM dispatch_serials"
            " WHERE dispatch_id = ? ORDER BY position", (dispatch_id,))
        return [ScannedSerialRow(i, s, b, bool(f), int(p), e) for i, s, b, f, p, e in rows]

    def cancel(self, dispatch_id: int) -> None:
        with self.store.transaction() as conn:
            conn.execute("UPDATE dispatches SET state = 'cancelled' WHERE dispatch_id = ? AND state = 'open'",
                         (dispatch_id,))

    # -- scanned serials ---------------------------------------------------------------
    def add_serial(self, dispatch_id: int, row: ScannedSerialRow,
                   claimed: Callable[[], str | None] | None = None) -> None:
        """Write the scanned serial. ``claimed`` (read inside this write transaction, which
        holds the database's write lock) gives the refusal's words when another job took the
        serial meanwhile: then nothing is written and :class:`ClaimTaken` says so."""
        with self.store.transaction() as conn:
            taken = claimed() if claimed is not None else None
            if taken is not None:
                raise ClaimTaken(taken)
            conn.execute(
                "INSERT INTO dispatch_serials (dispatch_id, item_id, serialnumber, bin_id, bin_from_scan, position,"
                " scanned_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (dispatch_id, row.item_id, row.serialnumber, row.bin_id, int(row.bin_from_scan), row.position,
                 self.now()))

    def set_bins(self, dispatch_id: int, bins: Iterable[tuple[str, str, str]]) -> None:
        """(item_id, serialnumber, bin_id) for serials that had no bin."""
        with self.store.transaction() as conn:
            conn.executemany("UPDATE dispatch_serials SET bin_id = ?, bin_from_scan = 1 WHERE dispatch_id = ?"
                             " AND item_id = ? AND serialnumber = ?",
                             [(b, dispatch_id, i, s) for i, s, b in bins])

    def mark_completed(self, conn: sqlite3.Connection, dispatch_id: int,
                       entries: Iterable[tuple[str, str, int]]) -> None:
        """Inside the caller's transaction: the dispatch is completed and each
        (item_id, serialnumber) has its outbox entry."""
        conn.execute("UPDATE dispatches SET state = 'completed', completed_at = ? WHERE dispatch_id = ?",
                     (self.now(), dispatch_id))
        conn.executemany("UPDATE dispatch_serials SET entry_id = ? WHERE dispatch_id = ? AND item_id = ?"
                         " AND serialnumber = ?", [(e, dispatch_id, i, s) for i, s, e in entries])

    def record_completion(self, outbox: Outbox, target: str | None, row: DispatchRow, picked: list[PickedSerial],
                          *, chunk: int) -> tuple[list[int], list[tuple[str, str, int]]]:
        """In one transaction: ``picked``'s ``serial.validate_and_map`` entries for ``target``
        (grouped by item and bin in chunks of ``chunk``) and the dispatch completed with them.
        No target (nothing takes them): the dispatch record is the record, with no entry.
        The entries' ids and each (item_id, serialnumber, entry_id); the caller announces them."""
        if target is None:
            with self.store.transaction() as conn:
                self.mark_completed(conn, row.dispatch_id, [])
            return [], []
        mappings = group_serial_mappings(row.entity_type, row.entity_id, row.warehouse_id, picked, chunk=chunk)
        with self.store.transaction() as conn:
            ids = enqueue_serial_mappings(outbox, conn, target, mappings)
            links = [(m.item_id, n, entry_id)
                     for m, entry_id in zip(mappings, ids, strict=False) for n in m.serial_numbers]
            self.mark_completed(conn, row.dispatch_id, links)
        return ids, links

    # -- checks for one scan (indexed reads) --------------------------------------------
    def serial_of_item(self, item_id: str, text: str, text_key: str) -> SerialNumber | None:
        conn = self.store.connection()
        row = conn.execute(_SERIAL_OF_ITEM_SQL, (item_id, text)).fetchone()
        if row is None:
            row = conn.execute(_SERIAL_BY_TEXT_SQL, (text_key, item_id)).fetchone()
        return load_serial(conn, row[0]) if row else None

    def claimed_elsewhere(self, dispatch_id: int, item_id: str, serialnumber: str) -> str | None:
        """The document this serial is already scanned for or mapped to, in words, or None."""
        conn = self.store.connection()
        row = conn.execute(_CLAIMED_SQL, (item_id, serialnumber, dispatch_id)).fetchone()
        if row is not None:
            entity_type, entity_id, dispatch_state, entry_state = row
            # completed without an entry: recorded here only (a serial register that cannot be written to)
            how = ("being dispatched with" if dispatch_state == "open" else
                   "dispatched with" if entry_state is None else "mapped to")
            return f"{how} {entity_type} {entity_id}"
        row = conn.execute(_EMBEDDED_MAPPED_SQL, (item_id, serialnumber)).fetchone()
        return f"mapped to {row[0]} {row[1]}" if row else None
