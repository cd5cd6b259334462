"""What a person did besides scanning, written to the scan history (e.g. an outbox entry
discarded, with the reason), so the history is the one place support staff look."""

from __future__ import annotations

from typing import TYPE_CHECKING

from scanner_app.history.store import HistoryStore

if TYPE_CHECKING:
    from scanner_app.outbox.entries import OutboxEntry


def record_discard(history: HistoryStore, entry: OutboxEntry, reason: str) -> int:
    return history.record_action(
        source="outbox", status="discarded", display=f"outbox entry {entry.entry_id}",
        summary=f"{entry.kind} for {entry.document} discarded", reason=reason,
    )
