"""What the station sends to Zoho Inventory (new batches, batch changes, assemblies) and
the one Zoho record the core's models have no type for: an assembly ("bundle").

Each payload knows its JSON body, with Zoho's field names; fields left ``None`` are not
sent, so an update changes only what it names.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def _without_none(fields: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in fields.items() if value is not None}


@dataclass(frozen=True)
class NewBatch:
    """``POST /items/batches``: a batch of a batch-tracked item (dates are YYYY-MM-DD)."""

    item_id: str
    batch_number: str
    manufacturer_batch_number: str | None = None
    manufactured_date: str | None = None
    expiry_date: str | None = None

    def to_json(self) -> dict[str, Any]:
        return _without_none({
            "item_id": self.item_id, "batch_number": self.batch_number,
            "manufacturer_batch_number": self.manufacturer_batch_number,
            "manufactured_date": self.manufactured_date, "expiry_date": self.expiry_date,
        })


@dataclass(frozen=True)
class BatchChanges:
    """``PUT /items/batches/{batch_id}``: only the fields given are changed."""

    batch_number: str | None = None
    manufacturer_batch_number: str | None = None
    manufactured_date: str | None = None
    expiry_date: str | None = None

    def to_json(self) -> dict[str, Any]:
        body = _without_none({
            "batch_number": self.batch_number, "manufacturer_batch_number": self.manufacturer_batch_number,
            "manufactured_date": self.manufactured_date, "expiry_date": self.expiry_date,
        })
        if not body:
            raise ValueError("BatchChanges names no field to change")
        return body


@dataclass(frozen=True)
class BundleLine:
    """One component consumed by an assembly: Zoho's ``line_items`` entry."""

    item_id: str
    name: str
    quantity_consumed: float
    account_id: str | None = None
    location_id: str | None = None  # the warehouse (Zoho location) it is taken from
    warehouse_id: str | None = None
    serial_numbers: tuple[str, ...] = ()  # the units consumed, for a serial-tracked component
    batches: tuple[tuple[str, float], ...] = ()  # (batch_id, out_quantity), for a batch-tracked one

    def to_json(self) -> dict[str, Any]:
        body = _without_none({
            "item_id": self.item_id, "name": self.name, "quantity_consumed": self.quantity_consumed,
            "account_id": self.account_id, "location_id": self.location_id,
            "warehouse_id": self.warehouse_id,
        })
        # compositeitems.yml (create-bundle-request line_items): serial_numbers: [str];
        # batches: [{batch_id, out_quantity}]
        if self.serial_numbers:
            body["serial_numbers"] = list(self.serial_numbers)
        if self.batches:
            body["batches"] = [{"batch_id": batch_id, "out_quantity": quantity} for batch_id, quantity in self.batches]
        return body


@dataclass(frozen=True)
class NewBundle:
    """``POST /bundles``: record that ``quantity_to_bundle`` kits were assembled.

    ``status`` is Zoho's: ``draft``, ``confirmed`` or ``bundled`` (built); Zoho requires
    ``is_completed`` to be true.
    """

    reference_number: str
    date: str
    composite_item_id: str
    composite_item_name: str
    quantity_to_bundle: float
    line_items: tuple[BundleLine, ...]
    status: str = "bundled"
    warehouse_id: str | None = None
    location_id: str | None = None
    description: str | None = None

    def to_json(self) -> dict[str, Any]:
        return _without_none({
            "reference_number": self.reference_number, "date": self.date,
            "composite_item_id": self.composite_item_id, "composite_item_name": self.composite_item_name,
            "quantity_to_bundle": self.quantity_to_bundle, "status": self.status,
            "warehouse_id": self.warehouse_id, "location_id": self.location_id,
            "description": self.description, "is_completed": True,
            "line_items": [line.to_json() for line in self.line_items],
        })


@dataclass(frozen=True)
class Bundle:
    """An assembly as Zoho keeps it (``bundle_id``; status pending/confirmed/built ...)."""

    bundle_id: str
    composite_item_id: str
    quantity_to_bundle: float
    status: str
    reference_number: str | None = None
    transaction_number: str | None = None
    date: str | None = None
    warehouse_id: str | None = None
    line_items: tuple[BundleLine, ...] = ()
