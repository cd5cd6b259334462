"""``Outbox``: the outbox tables of the inventory database (migration 0003), and every
way an entry is recorded, read and moved between states.

Workflows record an entry inside their own write transaction, so the entry exists exactly
when the workflow state that caused it does::

    with store.transaction() as conn:
        ...                                   # the workflow's own rows
        entry_id = outbox.enqueue(conn, target=..., document=..., kind=..., payload={...})
    outbox.announce([entry_id])               # after the commit: tell the relay and the badge

Every other change (the relay's, a person's retry or discard) is a transaction of its own,
guarded by the state it expects (a discard cannot overtake a claim), and announced on
:attr:`Outbox.entry_changed` after it is committed. The relay's half is in
:class:`scanner_app.outbox.ledger.RelayLedger`.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from scanner_app.events import Event
from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox.entries import (
    ENTRY_COLUMNS,
    NEEDS_PERSON,
    STATES,
    EntryChange,
    EntryState,
    OutboxEntry,
    entry_from_row,
)


class OutboxError(Exception):
    """An outbox request that could not be done; ``str()`` says why, for a person."""


class UnknownEntry(OutboxError, LookupError):
    """No outbox entry has that id."""


class ActionRefused(OutboxError):
    """The entry's state does not allow that (e.g. discarding a delivered entry)."""


@dataclass(frozen=True)
class OutboxAction:
    """Something a person did to an entry: ``retried``, or ``discarded`` with a reason."""

    entry_id: int
    action: str
    reason: str | None
    at: float


class Outbox:
    """The outbox of the inventory database behind ``store``. Thread-safe (each thread
    uses its own connection of the store)."""

    def __init__(self, store: InventoryStore, *, now: Callable[[], float] = time.time) -> None:
        self.store = store
        self.now = now
        self.entry_changed: Event[EntryChange] = Event()

    # -- recording (workflows) ------------------------------------------------------

    def enqueue(self, conn: sqlite3.Connection, *, target: str, document: str, kind: str,
                payload: Mapping[str, Any]) -> int:
        """Record one write inside the caller's open write transaction ``conn`` (from
        ``store.transaction()``); returns the entry's id. Nothing is sent before the caller
        commits; call :meth:`announce` after the commit."""
        if not conn.in_transaction:
            raise OutboxError("enqueue inside the write transaction that records the workflow state")
        if not (target and document and kind):
            raise ValueError("an outbox entry needs a target, a document and a kind")
        now = self.now()
        cursor = conn.execute(
            "INSERT INTO outbox_entries (target, document, kind, payload, next_attempt_at, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (target, document, kind, json.dumps(payload, sort_keys=True), now, now, now))
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def announce(self, entry_ids: Iterable[int]) -> None:
        """Tell subscribers (the relay, the badge) about entries just committed."""
        for entry_id in entry_ids:
            self.entry_changed.emit(EntryChange(self.get(entry_id), None))

    # -- reading ----------------------------------------------------------------------

    def get(self, entry_id: int) -> OutboxEntry:
        entry = self._load(self.store.connection(), entry_id)
        if entry is None:
            raise UnknownEntry(f"there is no outbox entry {entry_id}")
        return entry

    def entries(self, *, states: Iterable[EntryState] | None = None, document: str | None = None,
                limit: int | None = None) -> list[OutboxEntry]:
        """Entries in recording order, optionally only those in ``states`` or of ``document``."""
        where: list[str] = []
        params: list[str] = []
        if states is not None:
            chosen = list(states)
            where.append(f"state IN ({', '.join('?' * len(chosen))})")
            params.extend(chosen)
        if document is not None:
            where.append("document = ?")
            params.append(document)
        sql = f"SELECT {ENTRY_COLUMNS} FROM outbox_entries"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY entry_id"
        if limit is not None:
            sql += f" LIMIT {int(limit):d}"
        return [entry_from_row(row) for row in self.store.connection().execute(sql, params)]

    def counts(self) -> dict[EntryState, int]:
        """How many entries are in each state (every state listed, zeros included)."""
        found = dict(self.store.connection().execute(
            "SELECT state, count(*) FROM outbox_entries GROUP BY state").fetchall())
        return {state: int(found.get(state, 0)) for state in STATES}

    def actions(self, entry_id: int) -> list[OutboxAction]:
        rows = self.store.connection().execute(
            "SELECT entry_id, action, reason, at FROM outbox_actions WHERE entry_id = ? ORDER BY action_id",
            (entry_id,))
        return [OutboxAction(int(e), str(a), r, float(at)) for e, a, r, at in rows]

    # -- a person's decisions ---------------------------------------------------------------

    def retry(self, entry_id: int) -> OutboxEntry:
        """Try a failed or parked entry again (its attempts start again from 0), or a
        pending one now instead of after its wait. An earlier attempt that may have been
        applied is still checked with the inventory system before anything is sent."""
        def change(conn: sqlite3.Connection, entry: OutboxEntry) -> None:
            if entry.state not in (*NEEDS_PERSON, "pending"):
                raise ActionRefused(f"outbox entry {entry_id} is {entry.state}: only failed, parked or "
                                    "pending entries can be retried")
            attempts = 0 if entry.state in NEEDS_PERSON else entry.attempts
            conn.execute("UPDATE outbox_entries SET state = 'pending', attempts = ?, next_attempt_at = ?,"
                         " updated_at = ? WHERE entry_id = ?", (attempts, self.now(), self.now(), entry_id))
            self._record_action(conn, entry_id, "retried", None)

        return self._person_changes(entry_id, change)

    def discard(self, entry_id: int, reason: str) -> OutboxEntry:
        """Give up on an entry that was not delivered; ``reason`` is recorded with it.
        Later entries of its document no longer wait for it."""
        if not reason or not reason.strip():
            raise ValueError("a discard needs a reason")

        def change(conn: sqlite3.Connection, entry: OutboxEntry) -> None:
            if entry.state not in (*NEEDS_PERSON, "pending"):
                why = {"in_flight": "it is being delivered right now; try again in a moment",
                       "delivered": "it was delivered already", "discarded": "it was discarded already"}
                raise ActionRefused(f"outbox entry {entry_id} cannot be discarded: {why[entry.state]}")
            conn.execute("UPDATE outbox_entries SET state = 'discarded', updated_at = ? WHERE entry_id = ?",
                         (self.now(), entry_id))
            self._record_action(conn, entry_id, "discarded", reason.strip())

        return self._person_changes(entry_id, change)

    def discard_within(self, conn: sqlite3.Connection, entry_id: int, reason: str) -> EntryChange:
        """Discard a pending, failed or parked entry inside the caller's open write
        transaction (a workflow replacing or cancelling what recorded it, in one commit).
        ActionRefused when it is in flight or done. Nothing is emitted: pass the change to
        :meth:`announce_changes` after the commit."""
        if not conn.in_transaction:
            raise OutboxError("discard_within needs the caller's open write transaction")
        before = self._load(conn, entry_id)
        if before is None:
            raise UnknownEntry(f"there is no outbox entry {entry_id}")
        if before.state not in (*NEEDS_PERSON, "pending"):
            raise ActionRefused(f"outbox entry {entry_id} is {before.state}: it cannot be discarded")
        conn.execute("UPDATE outbox_entries SET state = 'discarded', updated_at = ? WHERE entry_id = ?",
                     (self.now(), entry_id))
        self._record_action(conn, entry_id, "discarded", reason.strip() or "replaced")
        after = self._load(conn, entry_id)
        assert after is not None
        return EntryChange(after, before.state)

    def announce_changes(self, changes: Iterable[EntryChange]) -> None:
        """Tell subscribers about changes made by :meth:`discard_within`, after the commit."""
        for change in changes:
            self.entry_changed.emit(change)

    def _person_changes(self, entry_id: int,
                        change: Callable[[sqlite3.Connection, OutboxEntry], None]) -> OutboxEntry:
        with self.store.transaction() as conn:
            before = self._load(conn, entry_id)
            if before is None:
                raise UnknownEntry(f"there is no outbox entry {entry_id}")
            change(conn, before)
            after = self._load(conn, entry_id)
        assert after is not None
        self.entry_changed.emit(EntryChange(after, before.state))
        return after

    def _record_action(self, conn: sqlite3.Connection, entry_id: int, action: str, reason: str | None) -> None:
        conn.execute("INSERT INTO outbox_actions (entry_id, action, reason, at) VALUES (?, ?, ?, ?)",
                     (entry_id, action, reason, self.now()))

    @staticmethod
    def _load(conn: sqlite3.Connection, entry_id: int) -> OutboxEntry | None:
        row = conn.execute(f"SELECT {ENTRY_COLUMNS} FROM outbox_entries WHERE entry_id = ?", (entry_id,)).fetchone()
        return entry_from_row(row) if row is not None else None
