"""Delivering receipt lines (``batch.assign``, ``serial.receive``) to the embedded
inventory, with the same batch rules as Zoho's deliverer.

``batch.assign``: the item must exist and be batch-tracked. Its batch with that number
(matched like the lookup index matches codes: case-insensitively) is reused when the
dates agree, reported as a conflict (``Conflict``, code ``DATES_DIFFER``) when they
differ, and created otherwise, scannable at once (its codes go into the lookup index).
The embedded store *is* the inventory, so the received quantity is added to the batch's
balance and to the item's stock in the receipt's warehouse and bin.

``serial.receive``: the item must be serial-tracked and the serial new for it; the
serial is created in the warehouse and bin, and the stock goes up by one.

All in one transaction with a row in ``embedded_receipt_applications`` keyed by the
payload's key: ``was_applied`` reads that row, so an entry whose answer was lost (a crash
between this commit and the relay's) is never applied twice.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Mapping
from typing import Any, Final

from scanner_app.backends.errors import Conflict, NotFound, ValidationError
from scanner_app.inventory import code_keys as K
from scanner_app.inventory.records import load_batch
from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox.batch_receipts import BatchAssignment, SerialReceipt
from scanner_app.outbox.entries import OutboxEntry

BACKEND: Final = "Embedded inventory"
_BATCH_BY_NUMBER = ("SELECT b.batch_id FROM codes AS c JOIN batches AS b ON b.batch_id = c.target_id"
                    " WHERE c.code = ? AND c.kind = 'batch' AND b.item_id = ? ORDER BY b.batch_id LIMIT 1")
_APPLIED = "SELECT batch_id, serialnumber_id, reused FROM embedded_receipt_applications WHERE delivery_key = ?"


def _tracking(conn: sqlite3.Connection, item_id: str, operation: str) -> tuple[str, bool, bool]:
    row = conn.execute("SELECT name, track_batch_number, track_serial_number FROM items WHERE item_id = ?",
                       (item_id,)).fetchone()
    if row is None:
        raise NotFound(f"item {item_id} does not exist", backend=BACKEND, operation=operation)
    return str(row[0]), bool(row[1]), bool(row[2])


def _add_stock(conn: sqlite3.Connection, item_id: str, warehouse_id: str, bin_id: str | None,
               quantity: float) -> None:
    updated = conn.execute("UPDATE item_stock SET quantity = quantity + ? WHERE item_id = ? AND warehouse_id = ?"
                           " AND ifnull(bin_id, '') = ifnull(?, '')", (quantity, item_id, warehouse_id, bin_id))
    if updated.rowcount == 0:
        conn.execute("INSERT INTO item_stock (item_id, warehouse_id, bin_id, quantity) VALUES (?, ?, ?, ?)",
                     (item_id, warehouse_id, bin_id, quantity))


def _check_place(conn: sqlite3.Connection, warehouse_id: str, bin_id: str | None, operation: str) -> None:
    if conn.execute("SELECT 1 FROM warehouses WHERE warehouse_id = ?", (warehouse_id,)).fetchone() is None:
        raise NotFound(f"warehouse {warehouse_id} does not exist", backend=BACKEND, operation=operation)
    if bin_id is not None and conn.execute("SELECT 1 FROM bins WHERE bin_id = ? AND warehouse_id = ?",
                                           (bin_id, warehouse_id)).fetchone() is None:
        raise NotFound(f"bin {bin_id} is not in warehouse {warehouse_id}", backend=BACKEND, operation=operation)


class EmbeddedBatchAssignmentDeliverer:
    """``batch.assign`` into ``store``."""

    operation = "assign a batch"

    def __init__(self, store: InventoryStore, *, now: Callable[[], float] = time.time) -> None:
        self.store, self.now = store, now

    def deliver(self, entry: OutboxEntry) -> Mapping[str, Any]:
        a = BatchAssignment.from_payload(entry.payload)
        with self.store.transaction() as conn:
            applied = conn.execute(_APPLIED, (a.key,)).fetchone()
            if applied is not None:  # delivered before; its answer was lost
                return {"batch_id": applied[0], "batch_number": a.batch_number, "created": not applied[2]}
            name, by_batch, _ = _tracking(conn, a.item_id, self.operation)
            if not by_batch:
                raise ValidationError(f"{name} is not tracked by batch", backend=BACKEND, operation=self.operation,
                                      vendor_message=f"batch tracking is not enabled for {name}")
            _check_place(conn, a.warehouse_id, a.bin_id, self.operation)
            row = conn.execute(_BATCH_BY_NUMBER, (K.text_key(a.batch_number), a.item_id)).fetchone()
            existing = load_batch(conn, row[0]) if row else None
            if existing is not None:
                result = a.reuse(existing, BACKEND)  # Conflict when the dates differ
                conn.execute("UPDATE batches SET balance_quantity = balance_quantity + ? WHERE batch_id = ?",
                             (a.quantity, existing.batch_id))
            else:
                batch_id = f"local-batch-{a.key}"
                conn.execute(
                    "INSERT INTO batches (batch_id, item_id, batch_number, manufacturer_batch_number,"
                    " manufactured_date, expiry_date, balance_quantity, status, warehouse_id, bin_id)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, 'active', ?, ?)",
                    (batch_id, a.item_id, a.batch_number, a.manufacturer_batch_number, a.manufactured_date,
                     a.expiry_date, a.quantity, a.warehouse_id, a.bin_id))
                codes = [(K.text_key(a.batch_number), K.BATCH, batch_id)]
                if a.manufacturer_batch_number:
                    codes.append((K.text_key(a.manufacturer_batch_number), K.MFR_BATCH, batch_id))
                conn.executemany("INSERT OR IGNORE INTO codes (code, kind, target_id) VALUES (?, ?, ?)", codes)
                result = {"batch_id": batch_id, "batch_number": a.batch_number, "created": True}
            _add_stock(conn, a.item_id, a.warehouse_id, a.bin_id, a.quantity)
            conn.execute("INSERT INTO embedded_receipt_applications (delivery_key, batch_id, reused, applied_at)"
                         " VALUES (?, ?, ?, ?)", (a.key, result["batch_id"], int(not result["created"]), self.now()))
        return result

    def was_applied(self, entry: OutboxEntry) -> Mapping[str, Any] | None:
        a = BatchAssignment.from_payload(entry.payload)
        row = self.store.connection().execute(_APPLIED, (a.key,)).fetchone()
        if row is None:
            return None
        return {"batch_id": row[0], "batch_number": a.batch_number, "created": not row[2], "found_applied": True}


class EmbeddedSerialReceiptDeliverer:
    """``serial.receive`` into ``store``."""

    operation = "receive a serial number"

    def __init__(self, store: InventoryStore, *, now: Callable[[], float] = time.time) -> None:
        self.store, self.now = store, now

    def deliver(self, entry: OutboxEntry) -> Mapping[str, Any]:
        r = SerialReceipt.from_payload(entry.payload)
        with self.store.transaction() as conn:
            applied = conn.execute(_APPLIED, (r.key,)).fetchone()
            if applied is not None:
                return {"serialnumber_id": applied[1], "serialnumber": r.serialnumber}
            name, _, by_serial = _tracking(conn, r.item_id, self.operation)
            if not by_serial:
                raise ValidationError(f"{name} is not tracked by serial number", backend=BACKEND,
                                      operation=self.operation,
                                      vendor_message=f"serial number tracking is not enabled for {name}")
            _check_place(conn, r.warehouse_id, r.bin_id, self.operation)
            if conn.execute("SELECT 1 FROM serial_numbers WHERE item_id = ? AND serialnumber = ?",
                            (r.item_id, r.serialnumber)).fetchone() is not None:
                words = f"serial number {r.serialnumber} of {name} exists already"
                raise Conflict(words, backend=BACKEND, operation=self.operation, vendor_message=words)
            serial_id = f"local-serial-{r.key}"
            conn.execute("INSERT INTO serial_numbers (serialnumber_id, serialnumber, item_id, status,"
                         " is_transacted_out, warehouse_id, bin_id) VALUES (?, ?, ?, 'active', 0, ?, ?)",
                         (serial_id, r.serialnumber, r.item_id, r.warehouse_id, r.bin_id))
            conn.execute("INSERT OR IGNORE INTO codes (code, kind, target_id) VALUES (?, ?, ?)",
                         (K.text_key(r.serialnumber), K.SERIAL, serial_id))
            _add_stock(conn, r.item_id, r.warehouse_id, r.bin_id, 1.0)
            conn.execute("INSERT INTO embedded_receipt_applications (delivery_key, serialnumber_id, applied_at)"
                         " VALUES (?, ?, ?)", (r.key, serial_id, self.now()))
        return {"serialnumber_id": serial_id, "serialnumber": r.serialnumber}

    def was_applied(self, entry: OutboxEntry) -> Mapping[str, Any] | None:
        r = SerialReceipt.from_payload(entry.payload)
        row = self.store.connection().execute(_APPLIED, (r.key,)).fetchone()
        if row is None:
            return None
        return {"serialnumber_id": row[1], "serialnumber": r.serialnumber, "found_applied": True}
