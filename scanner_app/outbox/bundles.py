"""An assembly ("bundle") as the outbox records it: the kits built and the components
consumed, and the three steps that tell the inventory system, in order, under one
document (``assembly:<reference>``)::

    bundle.create     POST /bundles (status draft)          -> {"bundle_id": ...}
    bundle.confirm    POST /bundles/{bundle_id}/confirmed   (the id from bundle.create's result)
    bundle.build      POST /bundles/{bundle_id}/bundled     (built: stock moves)

Each step is its own outbox entry, so a failure after the create is retried from the step
that failed, never by creating the assembly again. The reference (unique per assembly,
made by the station) is sent as the assembly's ``reference_number``: ``was_applied`` finds
an assembly whose creation answer was lost by it. Every entry carries the whole assembly,
so any step can be checked or applied on its own::

    with store.transaction() as conn:
        ...                                             # the assembly's own rows
        ids = enqueue_assembly(outbox, conn, target, record)
    outbox.announce(ids)
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from scanner_app.outbox.entries import document_key
from scanner_app.outbox.store import Outbox

BUNDLE_CREATE: Final = "bundle.create"
BUNDLE_CONFIRM: Final = "bundle.confirm"
BUNDLE_BUILD: Final = "bundle.build"
BUNDLE_STEPS: Final = (BUNDLE_CREATE, BUNDLE_CONFIRM, BUNDLE_BUILD)


@dataclass(frozen=True)
class ConsumedBatch:
    batch_id: str
    batch_number: str
    quantity: float


@dataclass(frozen=True)
class ConsumedComponent:
    """One component line: how much of the item the whole assembly consumed, and which
    serials and batches (for tracked items) the units were."""

    item_id: str
    name: str
    quantity: float
    serial_numbers: tuple[str, ...] = ()
    batches: tuple[ConsumedBatch, ...] = ()

    def to_payload(self) -> dict[str, Any]:
        return {"item_id": self.item_id, "name": self.name, "quantity_consumed": self.quantity,
                "serial_numbers": list(self.serial_numbers),
                "batches": [{"batch_id": b.batch_id, "batch_number": b.batch_number, "quantity": b.quantity}
                            for b in self.batches]}

    @classmethod
    def from_payload(cls, line: Mapping[str, Any]) -> ConsumedComponent:
        batches = tuple(ConsumedBatch(str(b["batch_id"]), str(b["batch_number"]), float(b["quantity"]))
                        for b in line.get("batches") or [])
        return cls(str(line["item_id"]), str(line["name"]), float(line["quantity_consumed"]),
                   tuple(str(n) for n in line.get("serial_numbers") or []), batches)


@dataclass(frozen=True)
class AssemblyRecord:
    """``quantity`` kits of ``kit_item_id`` built in ``warehouse_id`` (and ``bin_id``, when
    the station knows bins) on ``date`` (YYYY-MM-DD) from ``components``."""

    reference: str
    date: str
    kit_item_id: str
    kit_name: str
    quantity: float
    warehouse_id: str
    bin_id: str | None
    components: tuple[ConsumedComponent, ...]

    def __post_init__(self) -> None:
        if not (self.reference and self.kit_item_id and self.warehouse_id):
            raise ValueError("an assembly needs a reference, a kit and a warehouse")
        if self.quantity <= 0 or not self.components:
            raise ValueError("an assembly builds at least one kit from at least one component")

    @property
    def document(self) -> str:
        return document_key("assembly", self.reference)

    def to_payload(self) -> dict[str, Any]:
        return {"reference": self.reference, "date": self.date, "composite_item_id": self.kit_item_id,
                "composite_item_name": self.kit_name, "quantity_to_bundle": self.quantity,
                "warehouse_id": self.warehouse_id, "bin_id": self.bin_id,
                "line_items": [c.to_payload() for c in self.components]}

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> AssemblyRecord:
        """The assembly an entry's payload describes; ValueError when it is not one."""
        try:
            lines = payload["line_items"]
            if not isinstance(lines, list):
                raise ValueError("line_items is not a list")
            bin_id = payload.get("bin_id")
            return cls(str(payload["reference"]), str(payload["date"]), str(payload["composite_item_id"]),
                       str(payload["composite_item_name"]), float(payload["quantity_to_bundle"]),
                       str(payload["warehouse_id"]), None if bin_id in (None, "") else str(bin_id),
                       tuple(ConsumedComponent.from_payload(line) for line in lines))
        except KeyError as missing:
            raise ValueError(f"an assembly payload without {missing}") from None


def enqueue_assembly(outbox: Outbox, conn: sqlite3.Connection, target: str, record: AssemblyRecord) -> list[int]:
    """Record the three steps of ``record`` inside the caller's transaction ``conn``."""
    payload = record.to_payload()
    return [outbox.enqueue(conn, target=target, document=record.document, kind=step, payload=payload)
            for step in BUNDLE_STEPS]
