"""What a receipt line asks of the inventory system: the ``batch.assign`` and
``serial.receive`` entries, their payloads, and the batch rule both backends share.

``batch.assign``: find the item's batch with that number; reuse it when its dates match,
report a conflict when they differ, create it otherwise. ``serial.receive``: a new serial
number of a serial-tracked item arrives in the warehouse (and bin).

Each receipt line is a document of its own (``receipt-line:<receipt>/<line>``): a
conflict on one line never holds up the others, while entries of one line (quantity
added after its first entry went) stay in order. Every payload carries a ``key`` that
is unique to the entry, so a backend can tell whether *this* entry was applied.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any, Final

from scanner_app.backends.errors import Conflict
from scanner_app.inventory.models import Batch
from scanner_app.outbox.entries import document_key

BATCH_ASSIGN: Final = "batch.assign"
SERIAL_RECEIVE: Final = "serial.receive"
# the code of the Conflict a batch whose dates differ raises: the line shows "conflict"
DATES_DIFFER: Final = "batch-dates-differ"


def line_document(receipt_id: int, position: int) -> str:
    return document_key("receipt-line", f"{receipt_id}/{position}")


def new_key() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True)
class BatchAssignment:
    """The ``batch.assign`` payload: a batch of ``item_id`` received into a warehouse/bin."""

    item_id: str
    batch_number: str
    quantity: float
    warehouse_id: str
    bin_id: str | None = None
    manufacturer_batch_number: str | None = None
    manufactured_date: str | None = None
    expiry_date: str | None = None
    reference: str | None = None
    key: str = field(default_factory=new_key)

    def __post_init__(self) -> None:
        if not (self.item_id and self.batch_number and self.warehouse_id and self.key):
            raise ValueError("a batch assignment needs an item, a batch number, a warehouse and a key")
        if not self.quantity > 0:
            raise ValueError("a batch assignment needs a quantity above 0")

    def to_payload(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> BatchAssignment:
        try:
            return cls(**{name: payload[name] for name in cls.__dataclass_fields__ if name in payload})
        except TypeError as problem:
            raise ValueError(f"not a batch assignment payload: {problem}") from None

    def date_differences(self, batch: Batch) -> list[str]:
        """How ``batch``'s dates differ from these; a date missing on either side is no
        difference (nothing contradicts it)."""
        found = []
        for label, mine, theirs in (("manufactured", self.manufactured_date, batch.manufactured_date),
                                    ("expiry", self.expiry_date, batch.expiry_date)):
            if mine and theirs and mine != theirs:
                found.append(f"{label} {theirs} there, {mine} on this receipt")
        return found

    def reuse(self, batch: Batch, backend: str) -> dict[str, Any]:
        """The result of reusing ``batch``; Conflict (code DATES_DIFFER) when its dates differ."""
        differences = self.date_differences(batch)
        if differences:
            words = f"batch {self.batch_number} exists with other dates: " + "; ".join(differences)
            raise Conflict(words, backend=backend, operation="assign a batch", code=DATES_DIFFER,
                           vendor_message=words)
        return {"batch_id": batch.batch_id, "batch_number": batch.batch_number, "created": False}


@dataclass(frozen=True)
class SerialReceipt:
    """The ``serial.receive`` payload: one new serial number of ``item_id``."""

    item_id: str
    serialnumber: str
    warehouse_id: str
    bin_id: str | None = None
    reference: str | None = None
    key: str = field(default_factory=new_key)

    def __post_init__(self) -> None:
        if not (self.item_id and self.serialnumber and self.warehouse_id and self.key):
            raise ValueError("a serial receipt needs an item, a serial number, a warehouse and a key")

    def to_payload(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_payload(cls, payload: Mapping[str, Any]) -> SerialReceipt:
        try:
            return cls(**{name: payload[name] for name in cls.__dataclass_fields__ if name in payload})
        except TypeError as problem:
            raise ValueError(f"not a serial receipt payload: {problem}") from None


def is_dates_conflict(last_error: str | None) -> bool:
    """Whether an entry's recorded error is a batch whose dates differ."""
    return bool(last_error) and f"code {DATES_DIFFER}" in str(last_error)
