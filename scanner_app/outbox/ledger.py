"""``RelayLedger``: the relay's half of the outbox tables, for one target.

Which entry may go next (the first open entry of its document, due, for this target), and
the committed state changes around one delivery: claim (``pending`` to ``in_flight``,
committed before anything is sent), then delivered, put back to wait, failed or parked.
Each change is guarded by the state it expects, committed on its own, then announced on
:attr:`Outbox.entry_changed`.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Mapping
from typing import Any

from scanner_app.outbox.entries import ENTRY_COLUMNS, EntryChange, EntryState, OutboxEntry, entry_from_row
from scanner_app.outbox.store import Outbox

log = logging.getLogger(__name__)

_OPEN = "'pending', 'in_flight', 'failed', 'parked'"
# no earlier entry of the same document is still open: this one is next in its document
_FIRST_OPEN_IN_DOCUMENT = (
    "NOT EXISTS (SELECT 1 FROM outbox_entries AS earlier WHERE earlier.document = e.document"
    f" AND earlier.entry_id < e.entry_id AND earlier.state IN ({_OPEN}))"
)
# an earlier entry of the document waits for a person: this one cannot go until then
_BEHIND_A_PERSON = (
    "EXISTS (SELECT 1 FROM outbox_entries AS earlier WHERE earlier.document = e.document"
    " AND earlier.entry_id < e.entry_id AND earlier.state IN ('failed', 'parked'))"
)


class RelayLedger:
    """The outbox as the relay for ``target`` sees it."""

    def __init__(self, outbox: Outbox, target: str) -> None:
        self.outbox = outbox
        self.target = target

    # -- what to deliver ----------------------------------------------------------------

    def recover_in_flight(self) -> list[OutboxEntry]:
        """Entries left ``in_flight`` by a relay that died: back to ``pending``, to be
        checked with the inventory system before they are sent again. Only call this while
        holding the relay lock (no other relay can be delivering them)."""
        with self.outbox.store.transaction() as conn:
            ids = [int(row[0]) for row in conn.execute(
                "SELECT entry_id FROM outbox_entries WHERE state = 'in_flight' ORDER BY entry_id")]
            conn.execute("UPDATE outbox_entries SET state = 'pending', check_before_send = 1, updated_at = ?"
                         " WHERE state = 'in_flight'", (self.outbox.now(),))
        recovered = [self.outbox.get(entry_id) for entry_id in ids]
        for entry in recovered:
            self.outbox.entry_changed.emit(EntryChange(entry, "in_flight"))
        return recovered

    def next_due(self, now: float) -> OutboxEntry | None:
        """The oldest pending entry that is due and first in its document."""
        row = self.outbox.store.connection().execute(
            f"SELECT {ENTRY_COLUMNS} FROM outbox_entries AS e WHERE e.state = 'pending' AND e.target = ?"
            f" AND e.next_attempt_at <= ? AND {_FIRST_OPEN_IN_DOCUMENT} ORDER BY e.entry_id LIMIT 1",
            (self.target, now)).fetchone()
        return entry_from_row(row) if row is not None else None

    def soonest_waiting(self) -> OutboxEntry | None:
        """The pending entry, first in its document, whose wait ends soonest."""
        row = self.outbox.store.connection().execute(
            f"SELECT {ENTRY_COLUMNS} FROM outbox_entries AS e WHERE e.state = 'pending' AND e.target = ?"
            f" AND {_FIRST_OPEN_IN_DOCUMENT} ORDER BY e.next_attempt_at, e.entry_id LIMIT 1",
            (self.target,)).fetchone()
        return entry_from_row(row) if row is not None else None

    def deliverable_count(self) -> int:
        """Entries of this target still to deliver that do not wait for a person."""
        row = self.outbox.store.connection().execute(
            "SELECT count(*) FROM outbox_entries AS e WHERE e.state IN ('pending', 'in_flight')"
            f" AND e.target = ? AND NOT {_BEHIND_A_PERSON}", (self.target,)).fetchone()
        return int(row[0])

    def make_due_now(self) -> None:
        """Every pending entry of this target is due now (a flush: "deliver now")."""
        with self.outbox.store.transaction() as conn:
            conn.execute("UPDATE outbox_entries SET next_attempt_at = ? WHERE state = 'pending' AND target = ?"
                         " AND next_attempt_at > ?", (self.outbox.now(), self.target, self.outbox.now()))

    def earlier_results(self, entry: OutboxEntry) -> dict[str, dict[str, Any]]:
        """Results of the delivered entries before ``entry`` in its document, by kind."""
        rows = self.outbox.store.connection().execute(
            "SELECT kind, result FROM outbox_entries WHERE document = ? AND entry_id < ? AND state = 'delivered'"
            " AND result IS NOT NULL ORDER BY entry_id", (entry.document, entry.entry_id))
        return {str(kind): json.loads(result) for kind, result in rows}

    # -- one delivery's changes ------------------------------------------------------------

    def claim(self, entry: OutboxEntry) -> OutboxEntry | None:
        """``pending`` to ``in_flight``, committed; None when it is no longer pending
        (a person discarded it meanwhile)."""
        return self._move(entry, ("pending",), "state = 'in_flight'", ())

    def delivered(self, entry: OutboxEntry, result: Mapping[str, Any], *,
                  also: Callable[[sqlite3.Connection], None] | None = None) -> OutboxEntry | None:
        """``in_flight`` to ``delivered`` with ``result``; ``also`` writes the local copy
        (``conn``) in the same transaction, so the store shows the delivery exactly when the
        entry is delivered. Should ``also`` fail, its writes are undone, logged, and the
        entry is delivered all the same (the next sync brings the copy up to date)."""
        return self._move(entry, ("in_flight",),
                          "state = 'delivered', check_before_send = 0, last_error = NULL, vendor_message = NULL,"
                          " result = ?", (json.dumps(dict(result), sort_keys=True),), also=also)

    def put_back(self, entry: OutboxEntry, *, next_attempt_at: float, attempts: int, check_before_send: bool,
                 error: BaseException | None) -> OutboxEntry | None:
        """Back to ``pending``, to be tried at ``next_attempt_at``."""
        return self._move(entry, ("in_flight",),
                          "state = 'pending', next_attempt_at = ?, attempts = ?, check_before_send = ?,"
                          " last_error = ?, vendor_message = ?",
                          (next_attempt_at, attempts, int(check_before_send), *_error_columns(error)))

    def set_aside(self, entry: OutboxEntry, state: EntryState, *, attempts: int, check_before_send: bool,
                  error: BaseException) -> OutboxEntry | None:
        """``failed`` or ``parked``: a person decides (retry or discard)."""
        if state not in ("failed", "parked"):
            raise ValueError(f"an entry is set aside as failed or parked, not {state}")
        return self._move(entry, ("in_flight",),
                          "state = ?, attempts = ?, check_before_send = ?, last_error = ?, vendor_message = ?",
                          (state, attempts, int(check_before_send), *_error_columns(error)))

    def _move(self, entry: OutboxEntry, expected: tuple[EntryState, ...], assignments: str,
              params: tuple[Any, ...], *, also: Callable[[sqlite3.Connection], None] | None = None,
              ) -> OutboxEntry | None:
        marks = ", ".join("?" * len(expected))
        with self.outbox.store.transaction() as conn:
            cursor = conn.execute(
                f"UPDATE outbox_entries SET {assignments}, updated_at = ? WHERE entry_id = ? AND state IN ({marks})",
                (*params, self.outbox.now(), entry.entry_id, *expected))
            moved = cursor.rowcount == 1
            if moved and also is not None:
                _also(conn, also, entry)
        if not moved:
            return None
        after = self.outbox.get(entry.entry_id)
        self.outbox.entry_changed.emit(EntryChange(after, entry.state))
        return after


def _also(conn: sqlite3.Connection, write: Callable[[sqlite3.Connection], None], entry: OutboxEntry) -> None:
    """``write`` inside a savepoint of the open transaction: undone alone when it fails."""
    conn.execute("SAVEPOINT local_copy")
    try:
        write(conn)
    except Exception:
        conn.execute("ROLLBACK TO local_copy")
        log.exception("outbox entry %d: the local copy could not be updated (the next sync brings it up to date)",
                      entry.entry_id)
    conn.execute("RELEASE local_copy")


def _error_columns(error: BaseException | None) -> tuple[str | None, str | None]:
    """(last_error, vendor_message) for an error: the whole sentence, and the vendor's words."""
    if error is None:
        return None, None
    text = str(error) or type(error).__name__
    return text, getattr(error, "vendor_message", None)
