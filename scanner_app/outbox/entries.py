"""What the outbox holds: :class:`OutboxEntry` (one write meant for an inventory system),
its states, and :class:`EntryChange` (what subscribers hear when an entry moves).

States and who moves an entry between them::

    pending ──claim──▶ in_flight ──▶ delivered            (the relay)
       ▲                  │ ├──────▶ failed   ─┐        needs a person: the vendor's words kept
       │                  │ └──────▶ parked   ─┤        dead letter after N attempts
       └── wait, retry ◀──┘                    │
       ▲                                       │
       └──────────── retry (a person) ◀────────┘
    pending, failed, parked ──discard (a person, with a reason)──▶ discarded

An entry in ``in_flight`` when the process died is put back to ``pending`` with
``check_before_send`` on the next start (see :mod:`scanner_app.outbox.relay`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Final, Literal

EntryState = Literal["pending", "in_flight", "delivered", "failed", "parked", "discarded"]
STATES: Final[tuple[EntryState, ...]] = ("pending", "in_flight", "delivered", "failed", "parked", "discarded")
# not delivered yet, and nobody decided to drop it: these keep later entries of their document waiting
OPEN_STATES: Final[tuple[EntryState, ...]] = ("pending", "in_flight", "failed", "parked")
# waiting for a person (retry or discard)
NEEDS_PERSON: Final[tuple[EntryState, ...]] = ("failed", "parked")

EMBEDDED_TARGET: Final = "embedded"


def zoho_target(organization_id: str) -> str:
    """The target name of a Zoho Inventory organisation: entries recorded for one
    organisation are never delivered to another (or to the embedded store)."""
    return f"zoho:{organization_id}"


def document_key(entity_type: str, entity_id: str) -> str:
    """The document key of an outgoing document, e.g. ``salesorder:4815000000044208``."""
    if not entity_type or not entity_id:
        raise ValueError("a document needs an entity type and an id")
    return f"{entity_type}:{entity_id}"


@dataclass(frozen=True)
class OutboxEntry:
    """One write for an inventory system, as the outbox holds it. Times: epoch seconds."""

    entry_id: int
    target: str
    document: str
    kind: str
    payload: dict[str, Any]
    state: EntryState
    attempts: int
    next_attempt_at: float
    check_before_send: bool  # an earlier attempt may have been applied: ask before sending
    last_error: str | None
    vendor_message: str | None
    result: dict[str, Any] | None
    created_at: float
    updated_at: float
    # Results of the delivered entries of the same document, by kind (the latest of each):
    # filled in only when the relay hands the entry to a deliverer, so a later step can use
    # an earlier step's answer (e.g. "confirm the assembly" needs the id "create" got).
    earlier_results: dict[str, dict[str, Any]] = field(default_factory=dict, compare=False)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def needs_person(self) -> bool:
        return self.state in NEEDS_PERSON

    def to_json(self) -> dict[str, Any]:
        """The entry as ``scanner-app outbox --json`` prints it."""
        return {
            "id": self.entry_id, "target": self.target, "document": self.document, "kind": self.kind,
            "payload": self.payload, "state": self.state, "attempts": self.attempts,
            "next_attempt_at": self.next_attempt_at, "check_before_send": self.check_before_send,
            "last_error": self.last_error, "vendor_message": self.vendor_message, "result": self.result,
            "created_at": self.created_at, "updated_at": self.updated_at,
        }


@dataclass(frozen=True)
class EntryChange:
    """An entry moved from ``previous_state`` (None: it was just recorded) to ``entry.state``.
    Emitted after the change was committed, on the thread that made it."""

    entry: OutboxEntry
    previous_state: EntryState | None


ENTRY_COLUMNS: Final = ("entry_id, target, document, kind, payload, state, attempts, next_attempt_at, "
                        "check_before_send, last_error, vendor_message, result, created_at, updated_at")


def entry_from_row(row: tuple[Any, ...]) -> OutboxEntry:
    """An entry from a row of ``SELECT {ENTRY_COLUMNS}``."""
    (entry_id, target, document, kind, payload, state, attempts, next_attempt_at, check,
     last_error, vendor_message, result, created_at, updated_at) = row
    return OutboxEntry(
        entry_id=int(entry_id), target=str(target), document=str(document), kind=str(kind),
        payload=json.loads(payload), state=state, attempts=int(attempts),
        next_attempt_at=float(next_attempt_at), check_before_send=bool(check),
        last_error=last_error, vendor_message=vendor_message,
        result=json.loads(result) if result is not None else None,
        created_at=float(created_at), updated_at=float(updated_at),
    )
