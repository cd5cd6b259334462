"""What the assemble workflow answers: :class:`AssemblyAnswer` for each scan (a verdict of
its own per rule, and the words for the screen), :class:`ComponentLine`, one component
of the kit with how much is needed, ticked and in stock here, and the assembly's
progress once completed (derived from its outbox entries)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from scanner_app.outbox.entries import OutboxEntry
from scanner_app.workflows.unit import NotReady

Verdict = Literal[
    # accepted
    "kit_started", "component_selected", "ticked", "bin_selected",
    # refused: nothing changed
    "no_place", "no_kit", "assembly_closed", "invalid", "unknown_code", "not_a_kit", "kit_inactive", "kit_empty",
    "kit_in_progress", "kit_itself", "not_in_kit", "component_inactive", "too_many", "out_of_stock",
    "needs_serial", "needs_batch", "not_tracked", "bad_quantity",
    "serial_inactive", "transacted_out", "other_warehouse", "duplicate", "claimed",
    "batch_inactive", "batch_expired", "batch_other_warehouse", "batch_short", "bin_other_warehouse",
    "bin_after_ticks",
]
ACCEPTED: frozenset[str] = frozenset({"kit_started", "component_selected", "ticked", "bin_selected"})

# where a completed assembly got to, from its three outbox entries
Progress = Literal["open", "cancelled", "recording", "recorded", "failed", "discarded"]

EPSILON = 1e-9


def amount(quantity: float) -> str:
    """A quantity as a person reads it: 2, 2.5 (never 2.0)."""
    return f"{quantity:g}"


@dataclass(frozen=True)
class ComponentLine:
    """One component of the kit for this assembly."""

    item_id: str
    name: str
    per_kit: float
    needed: float  # per_kit x kits to build
    in_stock: float  # at the assembly's place, when it started (the store's number)
    ticked: float = 0.0
    track_serial_number: bool = False
    track_batch_number: bool = False
    is_composite: bool = False  # a kit inside the kit: consumed from stock like any item
    status: str = "active"
    sku: str | None = None

    @property
    def remaining(self) -> float:
        return max(self.needed - self.ticked, 0.0)

    @property
    def done(self) -> bool:
        return self.ticked + EPSILON >= self.needed

    @property
    def short(self) -> bool:
        """Not enough in stock here for what is needed."""
        return self.in_stock + EPSILON < self.needed

    def shortage(self, place: str) -> str | None:
        """Why this component cannot be had here, in words; None when it can."""
        if not self.short:
            return None
        if self.is_composite and self.in_stock <= EPSILON:
            return f"{self.name} is itself a kit and none is in stock {place}: build it first (scan it as the kit)"
        if self.in_stock <= EPSILON:
            return f"{self.name} is out of stock {place} ({amount(self.needed)} needed)"
        return f"{self.name}: {amount(self.needed)} needed, only {amount(self.in_stock)} in stock {place}"

    def to_json(self) -> dict[str, Any]:
        return {"item_id": self.item_id, "name": self.name, "per_kit": self.per_kit, "needed": self.needed,
                "ticked": self.ticked, "in_stock": self.in_stock, "serial_tracked": self.track_serial_number,
                "batch_tracked": self.track_batch_number, "is_kit": self.is_composite, "done": self.done}


@dataclass(frozen=True)
class AssemblyAnswer:
    """The answer to one scan: accepted or not, why, in words."""

    verdict: Verdict
    message: str
    note: str | None = None  # accepted, but worth a look (e.g. components short here)
    line: ComponentLine | None = None  # the component the scan was for, after it

    @property
    def accepted(self) -> bool:
        return self.verdict in ACCEPTED

    def to_json(self) -> dict[str, Any]:
        return {"accepted": self.accepted, "verdict": self.verdict, "message": self.message, "note": self.note}


def batch_short_words(number: str, name: str, balance: float, ticked: float, elsewhere: float, wanted: float) -> str:
    """Why ``wanted`` more of batch ``number`` cannot be ticked: ``balance`` left, ``ticked``
    here already, ``elsewhere`` held by other assemblies not built yet."""
    held = f", {amount(elsewhere)} of it held by other assemblies not built yet," if elsewhere > EPSILON else ""
    return (f"Batch {number} of {name} has {amount(balance)} left{held} and {amount(ticked)} ticked already: "
            f"{amount(wanted)} more is too many")


class AssemblyNotReady(NotReady):
    """The assembly cannot be started, changed or completed yet; ``str()`` says why."""


def progress_of(state: str, entries: Iterable[OutboxEntry]) -> tuple[Progress, str | None]:
    """Where an assembly in ``state`` got to, from its outbox entries, and the inventory
    system's words when a step failed or was discarded."""
    if state in ("open", "cancelled"):
        return ("cancelled" if state == "cancelled" else "open"), None
    ordered = sorted(entries, key=lambda e: e.entry_id)
    for entry in ordered:
        if entry.state in ("failed", "parked"):
            return "failed", entry.vendor_message or entry.last_error
        if entry.state == "discarded":
            return "discarded", entry.vendor_message or entry.last_error
    if ordered and all(e.state == "delivered" for e in ordered):
        return "recorded", None
    return "recording", None
