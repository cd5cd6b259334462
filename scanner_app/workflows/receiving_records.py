"""The receipt tables (migrations 0006, 0009): receipts, their lines and each line's outbox
entries, the station's remembered receiving warehouse and bin, and the indexed reads a
received serial is checked with; for a ``scanner-app receive`` run, its plan (``job_plans``)
saved with the receipt, the receipt the same command made before (:meth:`ReceiptRecords.claim_for_command`,
one ``BEGIN IMMEDIATE`` transaction, so two runs of one command never both create one),
and which of the plan's rows are recorded (``receipt_rows_recorded``).

Reads are B-tree searches (primary keys, ``receipt_lines_by_serial``, the serial's
``serial_numbers_by_item``), quick enough for a scan on the UI thread. Line writes take
the caller's transaction, so a line and its outbox entry are committed together.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from scanner_app.inventory.store import InventoryStore
from scanner_app.jobs.plans import load_plan, save_plan
from scanner_app.workflows.receiving_answers import ReceiptLine
from scanner_app.workflows.receiving_plan import PLAN_KIND, ReceivePlan

WAREHOUSE_PREFERENCE: Final = "receiving.warehouse_id"
BIN_PREFERENCE: Final = "receiving.bin_id"
_LINE_COLUMNS: Final = ("position, item_id, kind, quantity, batch_number, manufacturer_batch_number,"
                        " manufactured_date, expiry_date, serialnumber, cancelled")
_RECEIPT_COLUMNS: Final = ("receipt_id, reference, warehouse_id, bin_id, state, content_hash, created_at, closed_at,"
                           " cancelled_at")


@dataclass(frozen=True)
class ReceiptRow:
    receipt_id: int
    reference: str | None
    warehouse_id: str
    bin_id: str | None
    state: str
    content_hash: str | None = None  # a command's (see receiving_plan); None: started in the window
    created_at: float = 0.0
    closed_at: float | None = None
    cancelled_at: float | None = None

    @property
    def job_id(self) -> str:
        return f"{PLAN_KIND}-{self.receipt_id}"

    @property
    def from_command(self) -> bool:
        return self.content_hash is not None


class ReceiptRecords:
    """The receipt tables of ``store``'s database. ``now`` stamps the rows."""

    def __init__(self, store: InventoryStore, *, now: Callable[[], float] = time.time) -> None:
        self.store = store
        self.now = now

    # -- the station's receiving place ------------------------------------------------------
    def remembered_place(self) -> tuple[str | None, str | None]:
        """(warehouse id, bin id) of the station's last receipt."""
        rows = dict(self.store.connection().execute(
            "SELECT name, value FROM station_preferences WHERE name IN (?, ?)", (WAREHOUSE_PREFERENCE, BIN_PREFERENCE)))
        return rows.get(WAREHOUSE_PREFERENCE), rows.get(BIN_PREFERENCE) or None

    def _remember(self, conn: sqlite3.Connection, warehouse_id: str, bin_id: str | None) -> None:
        conn.executemany("INSERT INTO station_preferences (name, value) VALUES (?, ?)"
                         " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                         [(WAREHOUSE_PREFERENCE, warehouse_id), (BIN_PREFERENCE, bin_id or "")])

    # -- receipts -----------------------------------------------------------------------
    def create(self, reference: str | None, warehouse_id: str, bin_id: str | None, *,
               close_open: bool = True, on_created: Callable[[int], None] | None = None) -> ReceiptRow:
        """A new open receipt started in the window (``close_open``: the window's open one is
        closed first; its lines still go through; a command's open receipt is left alone);
        the warehouse and bin become the station's remembered ones. ``on_created(id)`` runs
        inside the transaction (to take the job's ownership before anyone can see the row)."""
        with self.store.transaction() as conn:
            if close_open:
                conn.execute("UPDATE receipts SET state = 'closed', closed_at = ? WHERE state = 'open'"
                             " AND content_hash IS NULL", (self.now(),))
            row = self._insert(conn, reference, warehouse_id, bin_id, None)
            if on_created is not None:
                on_created(row.receipt_id)
        return row

    def claim_for_command(self, plan: ReceivePlan, on_created: Callable[[int], None]) -> tuple[ReceiptRow, bool]:
        """(the receipt, True) when a new open receipt was made for ``plan`` (saved with it;
        ``on_created(id)`` runs inside the transaction); (the earlier receipt, False) when
        the same command may have made one: with a reference, the latest receipt with that
        reference (any content: the caller compares); without, the latest with no reference
        and the same content. An open one comes before a completed one; cancelled ones
        are left out (their reference is released)."""
        with self.store.transaction() as conn:
            earlier = self._same_command(conn, plan)
            if earlier is not None:
                return earlier, False
            row = self._insert(conn, plan.reference, plan.warehouse_id, plan.bin_id, plan.content_hash)
            save_plan(conn, PLAN_KIND, row.receipt_id, plan.to_json())
            on_created(row.receipt_id)
        return row, True

    def _same_command(self, conn: sqlite3.Connection, plan: ReceivePlan) -> ReceiptRow | None:
        order = " AND cancelled_at IS NULL ORDER BY state = 'open' DESC, receipt_id DESC LIMIT 1"
        if plan.reference:
            row = conn.execute(f"SELECT {_RECEIPT_COLUMNS} FROM receipts WHERE reference = ?" + order,
                               (plan.reference,)).fetchone()
        else:
            row = conn.execute(f"SELECT {_RECEIPT_COLUMNS} FROM receipts WHERE content_hash = ?"
                               " AND reference IS NULL" + order, (plan.content_hash,)).fetchone()
        return ReceiptRow(*row) if row else None

    def _insert(self, conn: sqlite3.Connection, reference: str | None, warehouse_id: str, bin_id: str | None,
                content_hash: str | None) -> ReceiptRow:
        now = self.now()
        cursor = conn.execute("INSERT INTO receipts (reference, warehouse_id, bin_id, created_at, content_hash)"
                              " VALUES (?, ?, ?, ?, ?)", (reference, warehouse_id, bin_id, now, content_hash))
        self._remember(conn, warehouse_id, bin_id)
        assert cursor.lastrowid is not None
        return ReceiptRow(cursor.lastrowid, reference, warehouse_id, bin_id, "open", content_hash, now)

    def set_bin(self, receipt_id: int, warehouse_id: str, bin_id: str | None) -> None:
        with self.store.transaction() as conn:
            conn.execute("UPDATE receipts SET bin_id = ? WHERE receipt_id = ?", (bin_id, receipt_id))
            self._remember(conn, warehouse_id, bin_id)

    def latest_open(self) -> ReceiptRow | None:
        """The latest open receipt started in the window (a command's is its command's)."""
        row = self.store.connection().execute(
            f"SELECT {_RECEIPT_COLUMNS} FROM receipts WHERE state = 'open' AND content_hash IS NULL"
            " ORDER BY receipt_id DESC LIMIT 1").fetchone()
        return ReceiptRow(*row) if row else None

    def all_open(self) -> list[ReceiptRow]:
        """Every open receipt (window's and commands'), oldest first."""
        rows = self.store.connection().execute(
            f"SELECT {_RECEIPT_COLUMNS} FROM receipts WHERE state = 'open' ORDER BY receipt_id")
        return [ReceiptRow(*row) for row in rows]

    def get(self, receipt_id: int) -> ReceiptRow | None:
        row = self.store.connection().execute(
            f"SELECT {_RECEIPT_COLUMNS} FROM receipts WHERE receipt_id = ?", (receipt_id,)).fetchone()
        return ReceiptRow(*row) if row else None

    def forget(self, receipt_id: int) -> None:
        """Delete a receipt that got no line (a refused file: nothing stays recorded), and its plan."""
        with self.store.transaction() as conn:
            gone = conn.execute("DELETE FROM receipts WHERE receipt_id = ? AND NOT EXISTS"
                                " (SELECT 1 FROM receipt_lines WHERE receipt_id = ?)", (receipt_id, receipt_id))
            if gone.rowcount:
                conn.execute("DELETE FROM job_plans WHERE kind = ? AND number = ?", (PLAN_KIND, receipt_id))

    def mark_cancelled(self, conn: sqlite3.Connection, receipt_id: int) -> None:
        """Inside the caller's transaction: the receipt is closed as cancelled (its reference released)."""
        now = self.now()
        conn.execute("UPDATE receipts SET state = 'closed', closed_at = ?, cancelled_at = ? WHERE receipt_id = ?",
                     (now, now, receipt_id))

    # -- a command's plan and its progress ---------------------------------------------------
    def plan(self, receipt_id: int) -> ReceivePlan | None:
        """The plan of a receipt a command started (None: started in the window)."""
        data = load_plan(self.store.connection(), PLAN_KIND, receipt_id)
        return None if data is None else ReceivePlan.from_json(data)

    def recorded_rows(self, receipt_id: int) -> dict[int, int]:
        """The plan's rows already recorded: row index -> the line it went into."""
        return {int(o): int(p) for o, p in self.store.connection().execute(
            "SELECT ordinal, position FROM receipt_rows_recorded WHERE receipt_id = ?", (receipt_id,))}

    def mark_row(self, conn: sqlite3.Connection, receipt_id: int, ordinal: int, position: int) -> None:
        """Inside the transaction that writes the row's line: the plan's row ``ordinal`` is recorded."""
        conn.execute("INSERT INTO receipt_rows_recorded (receipt_id, ordinal, position) VALUES (?, ?, ?)",
                     (receipt_id, ordinal, position))

    def close(self, receipt_id: int) -> None:
        with self.store.transaction() as conn:
            conn.execute("UPDATE receipts SET state = 'closed', closed_at = ? WHERE receipt_id = ? AND state = 'open'",
                         (self.now(), receipt_id))

    # -- lines -----------------------------------------------------------------------------
    def lines(self, receipt_id: int) -> list[ReceiptLine]:
        """The receipt's lines as stored (state, names and entries filled in by the caller)."""
        rows = self.store.connection().execute(
            f"SELECT {_LINE_COLUMNS} FROM receipt_lines WHERE receipt_id = ? ORDER BY position", (receipt_id,))
        return [ReceiptLine(position=int(p), item_id=str(i), item_name=str(i), kind=k, quantity=float(q),
                            batch_number=b, manufacturer_batch_number=m, manufactured_date=md, expiry_date=ed,
                            serialnumber=s, cancelled=bool(c)) for p, i, k, q, b, m, md, ed, s, c in rows]

    def line_entries(self, receipt_id: int) -> dict[int, list[int]]:
        """position -> its outbox entry ids, in recording order."""
        found: dict[int, list[int]] = {}
        for position, entry_id in self.store.connection().execute(
                "SELECT position, entry_id FROM receipt_line_entries WHERE receipt_id = ? ORDER BY entry_id",
                (receipt_id,)):
            found.setdefault(int(position), []).append(int(entry_id))
        return found

    def insert_line(self, conn: sqlite3.Connection, receipt_id: int, line: ReceiptLine) -> None:
        conn.execute(
            "INSERT INTO receipt_lines (receipt_id, position, item_id, kind, batch_number, manufacturer_batch_number,"
            " manufactured_date, expiry_date, serialnumber, quantity, created_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (receipt_id, line.position, line.item_id, line.kind, line.batch_number, line.manufacturer_batch_number,
             line.manufactured_date, line.expiry_date, line.serialnumber, line.quantity, self.now()))

    def update_line(self, conn: sqlite3.Connection, receipt_id: int, line: ReceiptLine) -> None:
        """The line's fields, quantity and cancellation as ``line`` has them."""
        conn.execute(
            "UPDATE receipt_lines SET batch_number = ?, manufacturer_batch_number = ?, manufactured_date = ?,"
            " expiry_date = ?, serialnumber = ?, quantity = ?, cancelled = ? WHERE receipt_id = ? AND position = ?",
            (line.batch_number, line.manufacturer_batch_number, line.manufactured_date, line.expiry_date,
             line.serialnumber, line.quantity, int(line.cancelled), receipt_id, line.position))

    def link_entry(self, conn: sqlite3.Connection, receipt_id: int, position: int, entry_id: int,
                   quantity: float) -> None:
        conn.execute("INSERT INTO receipt_line_entries (receipt_id, position, entry_id, quantity) VALUES (?, ?, ?, ?)",
                     (receipt_id, position, entry_id, quantity))

    def entry_states(self, conn: sqlite3.Connection, receipt_id: int,
                     position: int) -> list[tuple[int, str, float]]:
        """(entry id, state, quantity) of a line's entries, read inside ``conn``'s transaction."""
        rows = conn.execute(
            "SELECT l.entry_id, e.state, l.quantity FROM receipt_line_entries AS l JOIN outbox_entries AS e"
            " ON e.entry_id = l.entry_id WHERE l.receipt_id = ? AND l.position = ? ORDER BY l.entry_id",
            (receipt_id, position))
        return [(int(i), str(s), float(q)) for i, s, q in rows]

    # -- checks for one scan ------------------------------------------------------------------
    def serial_exists(self, item_id: str, serialnumber: str) -> bool:
        return self.store.connection().execute(
            "SELECT 1 FROM serial_numbers WHERE item_id = ? AND serialnumber = ?", (item_id, serialnumber)
        ).fetchone() is not None

    def serial_received_elsewhere(self, receipt_id: int, item_id: str, serialnumber: str) -> str | None:
        """The other receipt this serial is a live line of, in words, or None."""
        row = self.store.connection().execute(
            "SELECT r.receipt_id, r.reference FROM receipt_lines AS l JOIN receipts AS r ON r.receipt_id = l.receipt_id"
            " WHERE l.item_id = ? AND l.serialnumber = ? AND l.kind = 'serial' AND l.cancelled = 0"
            " AND l.receipt_id != ? LIMIT 1", (item_id, serialnumber, receipt_id)).fetchone()
        if row is None:
            return None
        return f"receipt {row[0]}" + (f" ({row[1]})" if row[1] else "")
