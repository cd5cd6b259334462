"""``ReceiptLines``: the lines of the open receipt, in memory for the screen, written with
their outbox entries, and kept up to date as the relay moves those entries.

Every change is one transaction run through ``write`` (inline by default; the window's
database-writer thread): a new line with its entry; more quantity (the line's pending
entry replaced by one for the sum, or, when its entry already went, a new entry for the
extra); a correction (the line's undelivered entries discarded and one new entry
recorded); a cancellation (its undelivered entries discarded). A line whose entry is
being delivered or was delivered cannot be corrected or cancelled: the transaction checks
that under the same lock the relay claims entries with, so the two never cross.

A command marks each of its plan's rows recorded in the transaction that writes the row's
line (:meth:`ReceiptLines.recording_with`); cancelling a whole receipt
(:meth:`ReceiptLines.cancel_all`) is one transaction too.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from scanner_app.outbox import EntryChange, Outbox, OutboxEntry
from scanner_app.outbox.batch_receipts import (
    BATCH_ASSIGN,
    SERIAL_RECEIVE,
    BatchAssignment,
    SerialReceipt,
    line_document,
)
from scanner_app.outbox.store import ActionRefused
from scanner_app.workflows.receiving_answers import ReceiptLine, line_state
from scanner_app.workflows.receiving_records import ReceiptRecords, ReceiptRow
from scanner_app.workflows.unit import Write

AlsoWritten = Callable[[sqlite3.Connection, int], None]  # (the open transaction, the line's position)
_GONE = ("in_flight", "delivered")


@dataclass(frozen=True)
class ReceiptCancelled:
    """What :meth:`ReceiptLines.cancel_all` did: the lines released (nothing of them was
    sent), and the lines kept because some of them was delivered or is being delivered
    (each with the quantity that went; what had not gone of them was discarded)."""

    released: tuple[ReceiptLine, ...]
    kept: tuple[tuple[ReceiptLine, float], ...]


class ReceiptLines:
    """Lines of one receipt; ``changed()`` is called (on any thread) when any line changes."""

    def __init__(self, outbox: Outbox, target: str, records: ReceiptRecords, *, write: Write,
                 changed: Callable[[], None]) -> None:
        self.outbox, self.target, self.records = outbox, target, records
        self._write, self._changed = write, changed
        self._lock = threading.RLock()
        self._lines: dict[int, ReceiptLine] = {}
        self._entries: dict[int, OutboxEntry] = {}
        self._by_entry: dict[int, int] = {}
        self._also: AlsoWritten | None = None

    @contextmanager
    def recording_with(self, also: AlsoWritten) -> Iterator[None]:
        """Lines added or grown inside this block also run ``also(conn, position)`` in the
        transaction that writes them (whenever ``write`` runs that)."""
        self._also = also
        try:
            yield
        finally:
            self._also = None

    # -- reading ---------------------------------------------------------------------------
    def load(self, receipt: ReceiptRow | None, names: Callable[[str], str]) -> None:
        lines: dict[int, ReceiptLine] = {}
        entries: dict[int, OutboxEntry] = {}
        by_entry: dict[int, int] = {}
        if receipt is not None:
            linked = self.records.line_entries(receipt.receipt_id)
            for line in self.records.lines(receipt.receipt_id):
                ids = tuple(linked.get(line.position, ()))
                for entry_id in ids:
                    entries[entry_id] = self.outbox.get(entry_id)
                    by_entry[entry_id] = line.position
                lines[line.position] = replace(line, item_name=names(line.item_id), entry_ids=ids)
        with self._lock:
            self._lines, self._entries, self._by_entry = lines, entries, by_entry
            for position in list(self._lines):
                self._refresh(position)

    def all(self) -> list[ReceiptLine]:
        with self._lock:
            return sorted(self._lines.values(), key=lambda line: line.position)

    def get(self, position: int) -> ReceiptLine | None:
        with self._lock:
            return self._lines.get(position)

    def live_batch(self, item_id: str, batch_number: str) -> ReceiptLine | None:
        with self._lock:
            return next((ln for ln in self._lines.values() if not ln.cancelled and ln.kind == "batch"
                         and ln.item_id == item_id and ln.batch_number == batch_number), None)

    def live_serial(self, item_id: str, serialnumber: str) -> ReceiptLine | None:
        with self._lock:
            return next((ln for ln in self._lines.values() if not ln.cancelled and ln.kind == "serial"
                         and ln.item_id == item_id and ln.serialnumber == serialnumber), None)

    def next_position(self) -> int:
        with self._lock:
            return max(self._lines, default=0) + 1

    # -- changes -----------------------------------------------------------------------------
    def add(self, receipt: ReceiptRow, line: ReceiptLine) -> ReceiptLine:
        """Record a new line and its entry."""
        with self._lock:
            self._lines[line.position] = line
        self._changed()
        also = self._also

        def work() -> None:
            with self.outbox.store.transaction() as conn:
                self.records.insert_line(conn, receipt.receipt_id, line)
                entry_id = self._enqueue(conn, receipt, line, line.quantity)
                if also is not None:
                    also(conn, line.position)
            self._after(line.position, [entry_id], [])
        self._write(work)
        return line

    def add_quantity(self, receipt: ReceiptRow, line: ReceiptLine, extra: float) -> ReceiptLine:
        """``extra`` more of a batch line: its pending entry is replaced by one for the
        sum, or a new entry carries the extra when the first has gone already."""
        grown = replace(line, quantity=line.quantity + extra)
        with self._lock:
            self._lines[line.position] = replace(self._lines[line.position], quantity=grown.quantity)
        self._changed()
        also = self._also

        def work() -> None:
            with self.outbox.store.transaction() as conn:
                states = self.records.entry_states(conn, receipt.receipt_id, line.position)
                if any(state in ("failed", "parked") for _, state, _ in states):
                    raise ActionRefused(f"line {line.position} waits for a correction: correct or cancel it first")
                pending = [(i, q) for i, state, q in states if state == "pending"]
                changes = [self.outbox.discard_within(conn, i, "replaced: more quantity scanned") for i, _ in pending]
                amount = extra + sum(q for _, q in pending)
                self.records.update_line(conn, receipt.receipt_id, grown)
                entry_id = self._enqueue(conn, receipt, grown, amount)
                if also is not None:
                    also(conn, line.position)
            self._after(line.position, [entry_id], changes)
        self._write(work)
        return grown

    def replace_line(self, receipt: ReceiptRow, line: ReceiptLine, changed: ReceiptLine) -> ReceiptLine:
        """Correct (``changed`` has new fields) or cancel (``changed.cancelled``) a line
        none of whose entries has gone; its undelivered entries are discarded."""
        if not line.changeable:
            raise ActionRefused(f"line {line.position} is {line.state}: it can no longer be changed")
        with self._lock:
            self._lines[line.position] = replace(changed, state="cancelled" if changed.cancelled else "saving",
                                                 reason=None)
        self._changed()
        why = "line cancelled" if changed.cancelled else "line corrected"

        def work() -> None:
            with self.outbox.store.transaction() as conn:
                states = self.records.entry_states(conn, receipt.receipt_id, line.position)
                if any(state in _GONE for _, state, _ in states):
                    raise ActionRefused(f"line {line.position} is being assigned already: it cannot be changed")
                changes = [self.outbox.discard_within(conn, i, why) for i, state, _ in states if state != "discarded"]
                self.records.update_line(conn, receipt.receipt_id, changed)
                new = [] if changed.cancelled else [self._enqueue(conn, receipt, changed, changed.quantity)]
            self._after(line.position, new, changes)
        self._write(work)
        return changed

    def cancel_all(self, receipt: ReceiptRow, why: str) -> ReceiptCancelled:
        """Cancel the receipt in one transaction: every live line none of whose entries has
        gone is cancelled with its entries discarded; a line some of which was delivered
        or is in flight keeps that part (its quantity becomes what went) and loses the rest."""
        released: list[ReceiptLine] = []
        kept: list[tuple[ReceiptLine, float]] = []
        changes: list[EntryChange] = []
        with self.outbox.store.transaction() as conn:
            for line in self.records.lines(receipt.receipt_id):
                if line.cancelled:
                    continue
                states = self.records.entry_states(conn, receipt.receipt_id, line.position)
                changes += [self.outbox.discard_within(conn, i, why) for i, state, _ in states
                            if state not in (*_GONE, "discarded")]
                went = sum(q for _, state, q in states if state in _GONE)
                if went:
                    kept.append((line, went))
                    if went != line.quantity:
                        self.records.update_line(conn, receipt.receipt_id, replace(line, quantity=went))
                else:
                    released.append(line)
                    self.records.update_line(conn, receipt.receipt_id, replace(line, cancelled=True))
            self.records.mark_cancelled(conn, receipt.receipt_id)
        self.outbox.announce_changes(changes)
        return ReceiptCancelled(tuple(released), tuple(kept))

    def _enqueue(self, conn: Any, receipt: ReceiptRow, line: ReceiptLine, quantity: float) -> int:
        payload: dict[str, Any]
        if line.kind == "batch":
            assert line.batch_number is not None
            kind, payload = BATCH_ASSIGN, BatchAssignment(
                item_id=line.item_id, batch_number=line.batch_number, quantity=quantity,
                warehouse_id=receipt.warehouse_id, bin_id=receipt.bin_id,
                manufacturer_batch_number=line.manufacturer_batch_number, manufactured_date=line.manufactured_date,
                expiry_date=line.expiry_date, reference=receipt.reference).to_payload()
        else:
            assert line.serialnumber is not None
            kind, payload = SERIAL_RECEIVE, SerialReceipt(
                item_id=line.item_id, serialnumber=line.serialnumber, warehouse_id=receipt.warehouse_id,
                bin_id=receipt.bin_id, reference=receipt.reference).to_payload()
        entry_id = self.outbox.enqueue(conn, target=self.target, document=line_document(receipt.receipt_id,
                                       line.position), kind=kind, payload=payload)
        self.records.link_entry(conn, receipt.receipt_id, line.position, entry_id, quantity)
        return entry_id

    def _after(self, position: int, new_ids: list[int], changes: list[EntryChange]) -> None:
        """After the commit: follow the new entries, then tell the relay and the screen."""
        with self._lock:
            line = self._lines.get(position)
            for entry_id in new_ids:
                self._entries[entry_id] = self.outbox.get(entry_id)  # the relay may have moved it already
                self._by_entry[entry_id] = position
            for change in changes:
                self._entries[change.entry.entry_id] = change.entry
            if line is not None:
                self._lines[position] = replace(line, entry_ids=line.entry_ids + tuple(new_ids))
                self._refresh(position)
        self.outbox.announce_changes(changes)
        self.outbox.announce(new_ids)
        self._changed()

    # -- live states ---------------------------------------------------------------------------
    def on_entry_changed(self, change: EntryChange) -> bool:
        """Follow an entry's move; True when it was one of these lines'."""
        with self._lock:
            position = self._by_entry.get(change.entry.entry_id)
            if position is None:
                return False
            known = self._entries.get(change.entry.entry_id)
            if known is not None and known.updated_at > change.entry.updated_at:
                return True  # an older change heard late
            self._entries[change.entry.entry_id] = change.entry
            self._refresh(position)
        self._changed()
        return True

    def _refresh(self, position: int) -> None:
        line = self._lines[position]
        if line.cancelled:
            self._lines[position] = replace(line, state="cancelled", reason=None)
            return
        state, reason, batch_id = line_state([self._entries[i] for i in line.entry_ids if i in self._entries])
        self._lines[position] = replace(line, state=state, reason=reason, batch_id=batch_id)
