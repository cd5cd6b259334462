"""The ``serial.validate_and_map`` entry: serial numbers of one item, picked from one bin,
mapped to one outgoing document (Zoho ``serialnumber/validateandmap``).

A dispatch becomes one entry per item, bin and chunk (:func:`group_serial_mappings`), not
one per serial, all under the document's key so they are delivered in order::

    with store.transaction() as conn:
        ...                                             # the dispatch's own rows
        ids = enqueue_serial_mappings(outbox, conn, target, group_serial_mappings(
            "salesorder", "4815000000044208", "W1", picked))
    outbox.announce(ids)
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from scanner_app.outbox.entries import document_key
from scanner_app.outbox.store import Outbox

SERIAL_VALIDATE_AND_MAP: Final = "serial.validate_and_map"
DEFAULT_CHUNK: Final = 100  # serials per call


@dataclass(frozen=True)
class PickedSerial:
    """One unit going out: its item, its serial number, and the bin it is picked from."""

    item_id: str
    serialnumber: str
    bin_id: str | None = None


@dataclass(frozen=True)
class SerialMapping:
    """One validate-and-map call (the entry's payload)."""

    entity_type: str  # e.g. salesorder, package, invoice, transfer_order
    entity_id: str
    item_id: str
    warehouse_id: str | None
    bin_id: str | None  # Zoho's location_id in this call
    serial_numbers: tuple[str, ...]

    def __post_init__(self) -> None:
        if not (self.entity_type and self.entity_id and self.item_id):
            raise ValueError("a serial mapping needs an entity type, an entity id and an item")
        if not self.serial_numbers or not all(self.serial_numbers):
            raise ValueError("a serial mapping needs serial numbers")
        if len(set(self.serial_numbers)) != len(self.serial_numbers):
            raise ValueError("a serial number appears twice in one mapping")

    @property
    def document(self) -> str:
        return document_key(self.entity_type, self.entity_id)

    def to_payload(self) -> dict[str, Any]:
        return {"entity_type": self.entity_type, "entity_id": self.entity_id, "item_id": self.item_id,
                "warehouse_id": self.warehouse_id, "bin_id": self.bin_id,
                "serial_numbers": list(self.serial_numbers)}

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> SerialMapping:
        """The mapping an entry's payload describes; ValueError when it is not one."""
        try:
            numbers = payload["serial_numbers"]
            if not isinstance(numbers, list):
                raise ValueError("serial_numbers is not a list")
            return cls(entity_type=str(payload["entity_type"]), entity_id=str(payload["entity_id"]),
                       item_id=str(payload["item_id"]), warehouse_id=_optional(payload.get("warehouse_id")),
                       bin_id=_optional(payload.get("bin_id")), serial_numbers=tuple(str(n) for n in numbers))
        except KeyError as missing:
            raise ValueError(f"a serial mapping payload without {missing}") from None


def _optional(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def group_serial_mappings(entity_type: str, entity_id: str, warehouse_id: str | None,
                          picked: Iterable[PickedSerial], *, chunk: int = DEFAULT_CHUNK) -> list[SerialMapping]:
    """One mapping per item and bin, at most ``chunk`` serials each, in the order the
    items and bins were first picked. A serial picked twice for one item is a ValueError."""
    if chunk < 1:
        raise ValueError("chunk must be at least 1")
    groups: dict[tuple[str, str | None], list[str]] = {}
    seen: set[tuple[str, str]] = set()
    for unit in picked:
        if (unit.item_id, unit.serialnumber) in seen:
            raise ValueError(f"serial number {unit.serialnumber} is picked twice")
        seen.add((unit.item_id, unit.serialnumber))
        groups.setdefault((unit.item_id, unit.bin_id), []).append(unit.serialnumber)
    return [SerialMapping(entity_type, entity_id, item_id, warehouse_id, bin_id, tuple(numbers[i:i + chunk]))
            for (item_id, bin_id), numbers in groups.items() for i in range(0, len(numbers), chunk)]


def enqueue_serial_mappings(outbox: Outbox, conn: sqlite3.Connection, target: str,
                            mappings: Iterable[SerialMapping]) -> list[int]:
    """Record each mapping as an entry inside the caller's transaction ``conn``."""
    return [outbox.enqueue(conn, target=target, document=m.document, kind=SERIAL_VALIDATE_AND_MAP,
                           payload=m.to_payload()) for m in mappings]
