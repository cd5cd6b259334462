"""What the dispatch workflow answers: :class:`DispatchAnswer` for each scan (a verdict
of its own per rule, and the words for the screen; ``checking`` while a serial register
is asked), and :class:`DispatchSerial`, one scanned serial with its live state, derived
from its outbox entry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from scanner_app.workflows.unit import NotReady

if TYPE_CHECKING:
    from scanner_app.workflows.dispatch_register import RegisterQuery

Verdict = Literal[
    # accepted ("already_scanned": in a dispatch taken over from a killed command, counted once;
    # "document_read": the window's Dispatch page took the scan as the next document's number)
    "item_selected", "bin_selected", "serial_added", "already_scanned", "document_read",
    # rejected: nothing changed
    "no_dispatch", "dispatch_closed", "invalid", "unknown_code", "not_serial_tracked", "item_inactive",
    "no_item", "not_of_item", "other_item", "serial_inactive", "transacted_out", "other_warehouse",
    "duplicate", "claimed", "being_received", "bin_other_warehouse", "not_dispatchable", "register_refused",
    # a serial register (Pack.cloud) keeps the serials: asked, then its own refusals
    "checking", "item_not_linked", "not_in_stock", "stock_not_mapped", "ambiguous", "register_unavailable",
]
# "recorded": the dispatch is kept in the station's records only (its serial register,
# Pack.cloud, cannot be written to: see workflows/dispatch_register.py)
SerialState = Literal["scanned", "validating", "mapped", "failed", "discarded", "recorded"]

ENTRY_STATE_TO_SERIAL: dict[str, SerialState] = {
    "pending": "validating", "in_flight": "validating", "delivered": "mapped",
    "failed": "failed", "parked": "failed", "discarded": "discarded",
}


@dataclass(frozen=True)
class DispatchSerial:
    """One serial of the dispatch, where it is picked from, and how far it got."""

    item_id: str
    item_name: str
    serialnumber: str
    bin_id: str | None
    bin_code: str | None
    bin_from_scan: bool
    position: int
    state: SerialState = "scanned"
    reason: str | None = None  # why it failed (the inventory system's words)
    entry_id: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"item_id": self.item_id, "item_name": self.item_name, "serialnumber": self.serialnumber,
                "bin_id": self.bin_id, "bin_code": self.bin_code, "state": self.state, "reason": self.reason,
                "entry_id": self.entry_id}


@dataclass(frozen=True)
class DispatchAnswer:
    """The answer to one scan: accepted or not, why, in words; the serial it added."""

    verdict: Verdict
    message: str
    serial: DispatchSerial | None = None
    note: str | None = None  # accepted, but worth a look (e.g. a bin other than the store's)
    pending: RegisterQuery | None = None  # "checking": the serial register still has to answer

    @property
    def accepted(self) -> bool:
        return self.verdict in ("item_selected", "bin_selected", "serial_added", "already_scanned", "document_read")

    @property
    def checking(self) -> bool:
        return self.pending is not None

    def to_json(self) -> dict[str, Any]:
        return {"accepted": self.accepted, "verdict": self.verdict, "message": self.message,
                "note": self.note, "serial": None if self.serial is None else self.serial.to_json()}


class DispatchNotReady(NotReady):
    """The dispatch cannot be started or completed yet; ``str()`` says why, for a person."""
