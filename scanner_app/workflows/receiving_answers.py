"""What the receive workflow answers: :class:`ReceiveAnswer` for each scan or request (a
verdict per rule and the words for the screen), and :class:`ReceiptLine`, one received
line with its live state, derived from its outbox entries (:func:`line_state`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from scanner_app.outbox.batch_receipts import is_dates_conflict
from scanner_app.outbox.entries import OutboxEntry
from scanner_app.workflows.unit import NotReady

Verdict = Literal[
    # accepted
    "item_selected", "bin_selected", "line_added", "quantity_added", "line_corrected", "line_cancelled",
    # waiting for a person: nothing recorded yet
    "needs_confirmation",
    # refused: nothing changed
    "no_receipt", "invalid", "unknown_code", "unknown_item", "not_tracked", "item_inactive", "no_item",
    "bad_field", "expiry_before_manufactured", "batch_details_differ", "serial_exists", "serial_twice",
    "serial_being_received", "bin_other_warehouse", "line_not_changeable", "label_incomplete",
    "details_unavailable",  # a command's item: Zoho could not be asked and the station has no copy
]
ACCEPTED: frozenset[str] = frozenset(
    {"item_selected", "bin_selected", "line_added", "quantity_added", "line_corrected", "line_cancelled"})
LineState = Literal["saving", "queued", "assigning", "assigned", "conflict", "failed", "cancelled"]
LineKind = Literal["batch", "serial"]


@dataclass(frozen=True)
class ReceiptLine:
    """One received line: a batch of an item (with its quantity) or one serial number."""

    position: int
    item_id: str
    item_name: str
    kind: LineKind
    quantity: float
    batch_number: str | None = None
    manufacturer_batch_number: str | None = None
    manufactured_date: str | None = None
    expiry_date: str | None = None
    serialnumber: str | None = None
    state: LineState = "saving"
    reason: str | None = None  # why it failed or conflicts, or why it waits
    batch_id: str | None = None  # once assigned
    entry_ids: tuple[int, ...] = ()
    cancelled: bool = False

    @property
    def changeable(self) -> bool:
        """Can still be corrected or cancelled: nothing of it reached the inventory system."""
        return not self.cancelled and self.state in ("saving", "queued", "conflict", "failed")

    @property
    def code(self) -> str:
        return (self.batch_number if self.kind == "batch" else self.serialnumber) or ""

    def to_json(self) -> dict[str, Any]:
        return {"line": self.position, "item_id": self.item_id, "item_name": self.item_name, "kind": self.kind,
                "batch_number": self.batch_number, "manufacturer_batch_number": self.manufacturer_batch_number,
                "manufactured_date": self.manufactured_date, "expiry_date": self.expiry_date,
                "serialnumber": self.serialnumber, "quantity": self.quantity, "state": self.state,
                "reason": self.reason, "batch_id": self.batch_id, "entry_ids": list(self.entry_ids)}


@dataclass(frozen=True)
class PendingLine:
    """A line that waits for a person's confirmation (an expiring batch)."""

    item_id: str
    fields: Any  # receiving_rules.BatchFields
    correcting: int | None = None  # the line it corrects, if any


@dataclass(frozen=True)
class ReceiveAnswer:
    verdict: Verdict
    message: str
    line: ReceiptLine | None = None
    note: str | None = None
    pending: PendingLine | None = None  # with needs_confirmation: what confirm() takes
    changed: tuple[int, ...] = field(default_factory=tuple)

    @property
    def accepted(self) -> bool:
        return self.verdict in ACCEPTED

    def to_json(self) -> dict[str, Any]:
        return {"accepted": self.accepted, "verdict": self.verdict, "message": self.message, "note": self.note,
                "line": None if self.line is None else self.line.to_json()}


class ReceiveNotReady(NotReady):
    """The receipt cannot be started (unknown warehouse or bin) or completed (none open);
    ``str()`` says why."""


def line_state(entries: Sequence[OutboxEntry]) -> tuple[LineState, str | None, str | None]:
    """(state, reason, batch id) of a line from its entries (discarded ones left out)."""
    live = [e for e in entries if e.state != "discarded"]
    if not live:
        return "saving", None, None
    for e in live:
        if e.state in ("failed", "parked"):
            return ("conflict" if is_dates_conflict(e.last_error) else "failed"), e.vendor_message or e.last_error, None
    if any(e.state == "in_flight" for e in live):
        return "assigning", None, None
    waiting = [e for e in live if e.state == "pending"]
    if waiting:
        retry = next((e.last_error for e in waiting if e.last_error), None)
        return "queued", (f"waiting: {retry}" if retry else None), None
    result = live[-1].result or {}
    batch_id = result.get("batch_id") or result.get("serialnumber_id")
    return "assigned", None, str(batch_id) if batch_id else None


def sentence(words: str) -> str:
    """``words`` as a sentence on a screen: its first letter upper case, the rest as it was
    (``str.capitalize`` would lower "Zoho" and "SN-1" inside it)."""
    return words[:1].upper() + words[1:]
