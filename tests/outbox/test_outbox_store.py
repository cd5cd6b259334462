"""The outbox tables: recording inside the caller's transaction, reading, counts, and a
person's retry and discard (refused where the state does not allow them, and recorded)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest

from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox import ActionRefused, EntryChange, Outbox, OutboxError, UnknownEntry
from scanner_app.outbox.ledger import RelayLedger
from tests.outbox.conftest import TARGET
from tests.outbox.helpers import KIND


def test_every_connection_is_wal_with_full_sync(store: InventoryStore) -> None:
    conn = store.connection()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_an_entry_exists_exactly_when_the_workflow_state_does(store: InventoryStore, outbox: Outbox) -> None:
    store.connection().execute("CREATE TABLE workflow (note TEXT)")
    with pytest.raises(RuntimeError), store.transaction() as conn:
        conn.execute("INSERT INTO workflow VALUES ('scanned')")
        outbox.enqueue(conn, target=TARGET, document="d", kind=KIND, payload={"key": "a"})
        raise RuntimeError("the workflow failed after recording")
    assert outbox.entries() == [] and store.connection().execute("SELECT count(*) FROM workflow").fetchone()[0] == 0
    with store.transaction() as conn:
        conn.execute("INSERT INTO workflow VALUES ('scanned')")
        entry_id = outbox.enqueue(conn, target=TARGET, document="d", kind=KIND, payload={"key": "a"})
    entry = outbox.get(entry_id)
    assert (entry.state, entry.attempts, entry.payload, entry.document) == ("pending", 0, {"key": "a"}, "d")


def test_enqueue_outside_a_transaction_is_refused(store: InventoryStore, outbox: Outbox) -> None:
    with pytest.raises(OutboxError, match="inside the write transaction"):
        outbox.enqueue(store.connection(), target=TARGET, document="d", kind=KIND, payload={})


def test_a_payload_must_be_json(store: InventoryStore, outbox: Outbox) -> None:
    with pytest.raises(TypeError), store.transaction() as conn:
        outbox.enqueue(conn, target=TARGET, document="d", kind=KIND, payload={"when": object()})


def test_announce_tells_subscribers_about_new_entries(outbox: Outbox, add: Callable[..., int]) -> None:
    heard: list[EntryChange] = []
    outbox.entry_changed.connect(heard.append)
    entry_id = add("a")
    assert [(c.entry.entry_id, c.previous_state, c.entry.state) for c in heard] == [(entry_id, None, "pending")]


def test_counts_list_every_state(outbox: Outbox, add: Callable[..., int]) -> None:
    add("a")
    add("b", document="doc-2")
    counts = outbox.counts()
    assert counts["pending"] == 2 and set(counts) == {"pending", "in_flight", "delivered", "failed", "parked",
                                                      "discarded"}
    assert sum(counts.values()) == 2


def test_entries_filter_by_state_and_document(outbox: Outbox, add: Callable[..., int]) -> None:
    first, second = add("a"), add("b", document="doc-2")
    outbox.discard(second, "typed the wrong order")
    assert [e.entry_id for e in outbox.entries(states=["pending"])] == [first]
    assert [e.entry_id for e in outbox.entries(document="doc-2")] == [second]
    assert [e.entry_id for e in outbox.entries(limit=1)] == [first]


def test_discard_needs_a_reason_and_records_it(outbox: Outbox, add: Callable[..., int]) -> None:
    entry_id = add("a")
    with pytest.raises(ValueError):
        outbox.discard(entry_id, "  ")
    discarded = outbox.discard(entry_id, "parcel cancelled by the customer")
    assert discarded.state == "discarded"
    [action] = outbox.actions(entry_id)
    assert (action.action, action.reason) == ("discarded", "parcel cancelled by the customer")
    with pytest.raises(ActionRefused, match="discarded already"):
        outbox.discard(entry_id, "again")
    with pytest.raises(ActionRefused):
        outbox.retry(entry_id)


def test_in_flight_and_delivered_entries_cannot_be_discarded(outbox: Outbox, add: Callable[..., int]) -> None:
    ledger = RelayLedger(outbox, TARGET)
    entry = outbox.get(add("a"))
    in_flight = ledger.claim(entry)
    assert in_flight is not None
    with pytest.raises(ActionRefused, match="being delivered"):
        outbox.discard(entry.entry_id, "no")
    ledger.delivered(in_flight, {"id": 1})
    with pytest.raises(ActionRefused, match="delivered already"):
        outbox.discard(entry.entry_id, "no")


def test_retry_of_a_failed_entry_starts_its_attempts_again_and_keeps_the_check(
        outbox: Outbox, add: Callable[..., int]) -> None:
    ledger = RelayLedger(outbox, TARGET)
    in_flight = ledger.claim(outbox.get(add("a")))
    assert in_flight is not None
    ledger.set_aside(in_flight, "parked", attempts=4, check_before_send=True, error=OSError("timed out"))
    heard: list[EntryChange] = []
    outbox.entry_changed.connect(heard.append)
    retried = outbox.retry(in_flight.entry_id)
    assert (retried.state, retried.attempts, retried.check_before_send) == ("pending", 0, True)
    assert [(c.previous_state, c.entry.state) for c in heard] == [("parked", "pending")]
    assert [a.action for a in outbox.actions(in_flight.entry_id)] == ["retried"]


def test_unknown_entries(outbox: Outbox) -> None:
    for action in (lambda: outbox.get(99), lambda: outbox.retry(99), lambda: outbox.discard(99, "x")):
        with pytest.raises(UnknownEntry):
            action()


def test_the_schema_refuses_a_state_it_does_not_know(store: InventoryStore, outbox: Outbox,
                                                     add: Callable[..., int]) -> None:
    entry_id = add("a")
    with pytest.raises(sqlite3.IntegrityError), store.transaction() as conn:
        conn.execute("UPDATE outbox_entries SET state = 'lost' WHERE entry_id = ?", (entry_id,))
