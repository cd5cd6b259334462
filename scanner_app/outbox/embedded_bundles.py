"""Delivering an assembly's three steps to the embedded inventory (the local SQLite store),
so kitting works with no cloud account. The store keeps its assemblies in
``embedded_bundles`` (migration 0007), like Zoho's bundles:

- ``bundle.create``: the assembly is recorded as a draft (the kit must be a composite
  item, every component an item);
- ``bundle.confirm``: draft -> confirmed;
- ``bundle.build``: confirmed -> built, and in the same transaction the kits' stock goes
  up, each component's stock goes down (:mod:`~scanner_app.outbox.embedded_bundle_stock`),
  consumed serial numbers are marked transacted out and consumed batches' balances go
  down. All or nothing: a short stock, a serial that is no longer available or a batch
  without enough left refuses the step (ValidationError naming each) and changes nothing.

Exactly once: each step reads the assembly's status inside its own write transaction and
does nothing when it was applied already, so sending a step twice cannot build twice;
``was_applied`` answers from the same status.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Mapping
from typing import Any, Final

from scanner_app.backends.errors import NotFound, ValidationError
from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox.bundles import BUNDLE_BUILD, BUNDLE_CONFIRM, BUNDLE_CREATE, AssemblyRecord, ConsumedBatch
from scanner_app.outbox.embedded_bundle_stock import ShortOfStock, put, take
from scanner_app.outbox.entries import OutboxEntry

BACKEND: Final = "Embedded inventory"
# the status each step leaves the assembly in, and the statuses that mean it was done
_AFTER: Final = {BUNDLE_CREATE: "draft", BUNDLE_CONFIRM: "confirmed", BUNDLE_BUILD: "built"}
_DONE: Final = {BUNDLE_CREATE: ("draft", "confirmed", "built"), BUNDLE_CONFIRM: ("confirmed", "built"),
                BUNDLE_BUILD: ("built",)}


def embedded_bundle_deliverers(store: InventoryStore) -> dict[str, EmbeddedBundleDeliverer]:
    """A deliverer for each step, by kind."""
    return {step: EmbeddedBundleDeliverer(store, step) for step in _AFTER}


class EmbeddedBundleDeliverer:
    """One step (``bundle.create``, ``.confirm`` or ``.build``) into ``store``."""

    def __init__(self, store: InventoryStore, step: str, *, now: Callable[[], float] = time.time) -> None:
        if step not in _AFTER:
            raise ValueError(f"not an assembly step: {step}")
        self.store, self.step, self.now = store, step, now

    def deliver(self, entry: OutboxEntry) -> Mapping[str, Any]:
        record = AssemblyRecord.from_payload(entry.payload)
        with self.store.transaction() as conn:
            status = _status(conn, record.reference)
            if status in _DONE[self.step]:
                return _result(record, status)
            if self.step == BUNDLE_CREATE:
                self._create(conn, record)
            elif status is None:
                raise NotFound(f"assembly {record.reference} was never created", backend=BACKEND,
                               operation=self.step)
            elif self.step == BUNDLE_CONFIRM:
                conn.execute("UPDATE embedded_bundles SET status = 'confirmed' WHERE reference = ?",
                             (record.reference,))
            else:
                if status != "confirmed":
                    raise ValidationError(f"assembly {record.reference} is {status}: confirm it first",
                                          backend=BACKEND, operation=self.step, vendor_message=f"it is {status}")
                self._build(conn, record)
        return _result(record, _AFTER[self.step])

    def was_applied(self, entry: OutboxEntry) -> Mapping[str, Any] | None:
        record = AssemblyRecord.from_payload(entry.payload)
        status = _status(self.store.connection(), record.reference)
        if status in _DONE[self.step]:
            return {**_result(record, status), "found_applied": True}
        return None

    def _create(self, conn: sqlite3.Connection, record: AssemblyRecord) -> None:
        kit = conn.execute("SELECT is_composite FROM items WHERE item_id = ?", (record.kit_item_id,)).fetchone()
        if kit is None or not kit[0]:
            what = "does not exist" if kit is None else "is not a composite item"
            raise NotFound(f"kit {record.kit_item_id} {what}", backend=BACKEND, operation=self.step)
        for line in record.components:
            if conn.execute("SELECT 1 FROM items WHERE item_id = ?", (line.item_id,)).fetchone() is None:
                raise NotFound(f"component {line.name} ({line.item_id}) does not exist", backend=BACKEND,
                               operation=self.step)
        conn.execute("INSERT INTO embedded_bundles (reference, kit_item_id, quantity, warehouse_id, bin_id, status,"
                     " payload, created_at) VALUES (?, ?, ?, ?, ?, 'draft', ?, ?)",
                     (record.reference, record.kit_item_id, record.quantity, record.warehouse_id, record.bin_id,
                      json.dumps(record.to_payload(), sort_keys=True), self.now()))

    def _build(self, conn: sqlite3.Connection, record: AssemblyRecord) -> None:
        problems: list[str] = []
        for line in record.components:
            problems += _consume_serials(conn, record, line.item_id, line.name, line.serial_numbers)
            problems += _consume_batches(conn, line.name, line.batches)
            prefer = _bins_of(conn, line.item_id, line.serial_numbers, [b.batch_id for b in line.batches])
            try:
                take(conn, line.item_id, line.quantity, record.warehouse_id, record.bin_id, prefer_bins=prefer)
            except ShortOfStock as short:
                problems.append(f"{line.name}: {short}")
        if problems:
            words = "; ".join(problems)
            # raising rolls the caller's transaction back: nothing above is kept
            raise ValidationError(f"assembly {record.reference} cannot be built: {words}", backend=BACKEND,
                                  operation=self.step, vendor_message=words)
        put(conn, record.kit_item_id, record.quantity, record.warehouse_id, record.bin_id)
        conn.execute("UPDATE embedded_bundles SET status = 'built', built_at = ? WHERE reference = ?",
                     (self.now(), record.reference))


def _status(conn: sqlite3.Connection, reference: str) -> str | None:
    row = conn.execute("SELECT status FROM embedded_bundles WHERE reference = ?", (reference,)).fetchone()
    return str(row[0]) if row else None


def _result(record: AssemblyRecord, status: str) -> dict[str, Any]:
    return {"bundle_id": record.reference, "status": status}


def _consume_serials(conn: sqlite3.Connection, record: AssemblyRecord, item_id: str, name: str,
                     numbers: tuple[str, ...]) -> list[str]:
    problems = []
    for number in numbers:
        row = conn.execute("SELECT status, is_transacted_out, warehouse_id FROM serial_numbers"
                           " WHERE item_id = ? AND serialnumber = ?", (item_id, number)).fetchone()
        if row is None:
            problems.append(f"{number} is not a serial number of {name}")
        elif row[0] != "active":
            problems.append(f"{number} of {name} is {row[0]}")
        elif row[1]:
            problems.append(f"{number} of {name} has been transacted out already")
        elif row[2] and row[2] != record.warehouse_id:
            problems.append(f"{number} of {name} is in another warehouse ({row[2]})")
        else:
            conn.execute("UPDATE serial_numbers SET is_transacted_out = 1 WHERE item_id = ? AND serialnumber = ?",
                         (item_id, number))
    return problems


def _consume_batches(conn: sqlite3.Connection, name: str, batches: tuple[ConsumedBatch, ...]) -> list[str]:
    problems = []
    for batch in batches:
        row = conn.execute("SELECT balance_quantity FROM batches WHERE batch_id = ?", (batch.batch_id,)).fetchone()
        if row is None:
            problems.append(f"batch {batch.batch_number} of {name} does not exist")
        elif float(row[0]) + 1e-9 < batch.quantity:
            problems.append(f"batch {batch.batch_number} of {name} has {float(row[0]):g} left, "
                            f"{batch.quantity:g} needed")
        else:
            conn.execute("UPDATE batches SET balance_quantity = balance_quantity - ? WHERE batch_id = ?",
                         (batch.quantity, batch.batch_id))
    return problems


def _bins_of(conn: sqlite3.Connection, item_id: str, serials: tuple[str, ...], batch_ids: list[str]) -> list[str]:
    """The bins the scanned serials and batches are in: stock is taken from them first."""
    bins = [r[0] for n in serials for r in conn.execute(
        "SELECT bin_id FROM serial_numbers WHERE item_id = ? AND serialnumber = ? AND bin_id IS NOT NULL",
        (item_id, n))]
    bins += [r[0] for b in batch_ids for r in conn.execute(
        "SELECT bin_id FROM batches WHERE batch_id = ? AND bin_id IS NOT NULL", (b,))]
    return bins
