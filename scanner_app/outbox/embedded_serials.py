"""Delivering ``serial.validate_and_map`` to the embedded inventory (the local SQLite
store), so dispatch works with no cloud account.

The same rules as Zoho's validate-and-map, all or nothing: every serial must belong to
the item, be active, not be transacted out, be in the document's warehouse and, when the
call names a bin, in that bin. Mapping records the document in
``embedded_serial_mappings`` and marks the serial transacted out, in one transaction.
A serial already mapped to the same document is left as it is (never mapped twice); one
mapped to another document is refused. Stock quantities are not changed here: the
mapping says which units go out, not that the parcel has left.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Mapping
from typing import Any, Final

from scanner_app.backends.errors import NotFound, ValidationError
from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox.entries import OutboxEntry
from scanner_app.outbox.serial_mapping import SerialMapping

BACKEND: Final = "Embedded inventory"
OPERATION: Final = "validate and map serial numbers"


class EmbeddedSerialMappingDeliverer:
    """``serial.validate_and_map`` into ``store``. ``now`` stamps the mappings."""

    def __init__(self, store: InventoryStore, *, now: Callable[[], float] = time.time) -> None:
        self.store = store
        self.now = now

    def deliver(self, entry: OutboxEntry) -> Mapping[str, Any]:
        mapping = SerialMapping.from_payload(entry.payload)
        with self.store.transaction() as conn:
            to_map = self._validate(conn, mapping)
            conn.executemany(
                "INSERT INTO embedded_serial_mappings (item_id, serialnumber, entity_type, entity_id,"
                " warehouse_id, bin_id, mapped_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(mapping.item_id, number, mapping.entity_type, mapping.entity_id, mapping.warehouse_id,
                  mapping.bin_id, self.now()) for number in to_map])
            conn.executemany(
                "UPDATE serial_numbers SET is_transacted_out = 1 WHERE item_id = ? AND serialnumber = ?",
                [(mapping.item_id, number) for number in to_map])
        return {"mapped": list(mapping.serial_numbers)}

    def was_applied(self, entry: OutboxEntry) -> Mapping[str, Any] | None:
        mapping = SerialMapping.from_payload(entry.payload)
        mapped = _mapped_to(self.store.connection(), mapping)
        if all(mapped.get(n) == (mapping.entity_type, mapping.entity_id) for n in mapping.serial_numbers):
            return {"mapped": list(mapping.serial_numbers), "found_applied": True}
        return None

    def _validate(self, conn: sqlite3.Connection, mapping: SerialMapping) -> list[str]:
        """The serials still to map; ValidationError naming every one that cannot be."""
        if conn.execute("SELECT 1 FROM items WHERE item_id = ?", (mapping.item_id,)).fetchone() is None:
            raise NotFound(f"item {mapping.item_id} does not exist", backend=BACKEND, operation=OPERATION)
        marks = ", ".join("?" * len(mapping.serial_numbers))
        rows = {str(r[0]): r for r in conn.execute(
            "SELECT s.serialnumber, s.status, s.is_transacted_out, s.warehouse_id, s.bin_id, b.code"
            " FROM serial_numbers AS s LEFT JOIN bins AS b ON b.bin_id = s.bin_id"
            f" WHERE s.item_id = ? AND s.serialnumber IN ({marks})", (mapping.item_id, *mapping.serial_numbers))}
        mapped = _mapped_to(conn, mapping)
        this_document = (mapping.entity_type, mapping.entity_id)
        problems: list[str] = []
        to_map: list[str] = []
        for number in mapping.serial_numbers:
            row = rows.get(number)
            if mapped.get(number) == this_document:
                continue  # mapped to this document already
            if row is None:
                problems.append(f"{number} is not a serial number of this item")
            elif number in mapped:
                entity_type, entity_id = mapped[number]
                problems.append(f"{number} is already mapped to {entity_type} {entity_id}")
            elif row[1] != "active":
                problems.append(f"{number} is {row[1]}")
            elif row[2]:
                problems.append(f"{number} has been transacted out already")
            elif mapping.warehouse_id and row[3] and row[3] != mapping.warehouse_id:
                problems.append(f"{number} is in another warehouse ({row[3]})")
            elif mapping.bin_id and row[4] and row[4] != mapping.bin_id:
                problems.append(f"{number} is in another bin ({row[5] or row[4]})")
            else:
                to_map.append(number)
        if problems:
            words = "; ".join(problems)
            raise ValidationError(f"serial numbers not available: {words}", backend=BACKEND,
                                  operation=OPERATION, vendor_message=words)
        return to_map


def _mapped_to(conn: sqlite3.Connection, mapping: SerialMapping) -> dict[str, tuple[str, str]]:
    """serial number -> (entity type, entity id) of the document it is mapped to."""
    marks = ", ".join("?" * len(mapping.serial_numbers))
    rows = conn.execute(
        "SELECT serialnumber, entity_type, entity_id FROM embedded_serial_mappings"
        f" WHERE item_id = ? AND serialnumber IN ({marks})", (mapping.item_id, *mapping.serial_numbers))
    return {str(number): (str(kind), str(entity)) for number, kind, entity in rows}
