"""The outbox's own records (``outbox/store.py``, ``outbox/entries.py``), as a person, a
workflow and ``scanner-app outbox --json`` see them.

Pinned here: an entry reads back exactly as it was recorded (every field, on the outbox's
clock); ``outbox --json`` prints every field of an entry under its documented name; the
exact sentences of every refusal (recording outside the workflow's transaction, an entry
without a target, document or kind, an unknown entry, a retry or discard its state does not
allow, a discard without a reason); a person's retry (a failed or parked entry starts its
attempts again, a pending one keeps them and is due now) and discard (the reason recorded,
stripped; failed, parked and pending entries only); a workflow's discard inside its own
transaction (nothing announced before the commit, gone with a rolled-back transaction,
"replaced" when no reason is given); what is kept of each action (which entry, what, why,
when); how entries are listed, filtered and counted.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox import (
    ActionRefused,
    EntryChange,
    Outbox,
    OutboxAction,
    OutboxEntry,
    OutboxError,
    UnknownEntry,
    document_key,
)
from scanner_app.outbox.ledger import RelayLedger
from tests.backends.fake_clock import FakeClock
from tests.outbox.conftest import TARGET
from tests.outbox.helpers import KIND

Add = Callable[..., int]


class Refused(Exception):
    """A vendor's refusal, with the vendor's own words (as the backends' errors carry them)."""

    def __init__(self, text: str, vendor_message: str) -> None:
        super().__init__(text)
        self.vendor_message = vendor_message


def heard_on(outbox: Outbox) -> list[EntryChange]:
    heard: list[EntryChange] = []
    outbox.entry_changed.connect(heard.append)
    return heard


def failed_entry(outbox: Outbox, entry_id: int, state: str = "failed", attempts: int = 3) -> OutboxEntry:
    """The relay tried ``entry_id`` and set it aside for a person."""
    ledger = RelayLedger(outbox, TARGET)
    claimed = ledger.claim(outbox.get(entry_id))
    assert claimed is not None
    aside = ledger.set_aside(claimed, state, attempts=attempts, check_before_send=True,  # type: ignore[arg-type]
                             error=Refused("Serial number SN-9 is not available.", "SN-9 not available"))
    assert aside is not None
    return aside


# -- recording and reading back -------------------------------------------------------------


def test_an_entry_reads_back_exactly_as_recorded(store: InventoryStore, outbox: Outbox,
                                                 outbox_clock: FakeClock) -> None:
    recorded_at = outbox_clock.time()
    with store.transaction() as conn:
        entry_id = outbox.enqueue(conn, target="zoho:60012345", document="salesorder:4815", kind="serial.map",
                                  payload={"serials": ["SN-1", "SN-2"], "item_id": "46000"})
    outbox_clock.advance(5)
    assert outbox.get(entry_id) == OutboxEntry(
        entry_id=entry_id, target="zoho:60012345", document="salesorder:4815", kind="serial.map",
        payload={"serials": ["SN-1", "SN-2"], "item_id": "46000"}, state="pending", attempts=0,
        next_attempt_at=recorded_at, check_before_send=False, last_error=None, vendor_message=None, result=None,
        created_at=recorded_at, updated_at=recorded_at)
    assert outbox.entries() == [outbox.get(entry_id)]


def test_a_set_aside_entry_reads_back_with_every_field(outbox: Outbox, outbox_clock: FakeClock, add: Add) -> None:
    recorded_at = outbox_clock.time()
    entry_id = add("a")
    outbox_clock.advance(7)
    failed_entry(outbox, entry_id, "parked", attempts=4)
    entry = outbox.get(entry_id)
    assert entry == OutboxEntry(
        entry_id=entry_id, target=TARGET, document="doc-1", kind=KIND, payload={"key": "a"}, state="parked",
        attempts=4, next_attempt_at=recorded_at, check_before_send=True,
        last_error="Serial number SN-9 is not available.", vendor_message="SN-9 not available", result=None,
        created_at=recorded_at, updated_at=recorded_at + 7)
    assert (entry.needs_person, entry.is_open) == (True, True)


def test_a_delivered_entry_reads_back_with_its_result(outbox: Outbox, add: Add) -> None:
    ledger = RelayLedger(outbox, TARGET)
    claimed = ledger.claim(outbox.get(add("a")))
    assert claimed is not None
    ledger.delivered(claimed, {"serialnumber_ids": ["4600001", "4600002"]})
    [entry] = outbox.entries()
    assert (entry.state, entry.result, entry.check_before_send) == (
        "delivered", {"serialnumber_ids": ["4600001", "4600002"]}, False)
    assert (entry.needs_person, entry.is_open) == (False, False)


def test_outbox_json_prints_every_field_of_an_entry(outbox: Outbox, outbox_clock: FakeClock, add: Add) -> None:
    recorded_at = outbox_clock.time()
    entry_id = add("a", document="salesorder:4815")
    outbox_clock.advance(3)
    assert failed_entry(outbox, entry_id).to_json() == {
        "id": entry_id, "target": TARGET, "document": "salesorder:4815", "kind": KIND, "payload": {"key": "a"},
        "state": "failed", "attempts": 3, "next_attempt_at": recorded_at, "check_before_send": True,
        "last_error": "Serial number SN-9 is not available.", "vendor_message": "SN-9 not available",
        "result": None, "created_at": recorded_at, "updated_at": recorded_at + 3,
    }


def test_recording_outside_the_workflows_transaction_is_refused_in_words(store: InventoryStore,
                                                                          outbox: Outbox) -> None:
    with pytest.raises(OutboxError) as refused:
        outbox.enqueue(store.connection(), target=TARGET, document="d", kind=KIND, payload={})
    assert str(refused.value) == "enqueue inside the write transaction that records the workflow state"
    assert outbox.entries() == []


@pytest.mark.parametrize(("target", "document", "kind"), [
    ("", "salesorder:1", KIND), (TARGET, "", KIND), (TARGET, "salesorder:1", ""),
])
def test_an_entry_needs_a_target_a_document_and_a_kind(store: InventoryStore, outbox: Outbox,
                                                       target: str, document: str, kind: str) -> None:
    with pytest.raises(ValueError) as refused, store.transaction() as conn:
        outbox.enqueue(conn, target=target, document=document, kind=kind, payload={"key": "a"})
    assert str(refused.value) == "an outbox entry needs a target, a document and a kind"
    assert outbox.entries() == []


@pytest.mark.parametrize(("entity_type", "entity_id"), [("", "4815"), ("salesorder", ""), ("", "")])
def test_a_document_key_needs_a_type_and_an_id(entity_type: str, entity_id: str) -> None:
    with pytest.raises(ValueError) as refused:
        document_key(entity_type, entity_id)
    assert str(refused.value) == "a document needs an entity type and an id"


def test_announce_tells_subscribers_each_new_entry_as_read_back(outbox: Outbox, store: InventoryStore) -> None:
    with store.transaction() as conn:
        first = outbox.enqueue(conn, target=TARGET, document="d", kind=KIND, payload={"key": "a"})
        second = outbox.enqueue(conn, target=TARGET, document="d", kind=KIND, payload={"key": "b"})
    heard = heard_on(outbox)
    outbox.announce([first, second])
    assert heard == [EntryChange(outbox.get(first), None), EntryChange(outbox.get(second), None)]


def test_an_unknown_entry_is_named_in_the_refusal(outbox: Outbox, store: InventoryStore) -> None:
    for action in (lambda: outbox.get(99), lambda: outbox.retry(99), lambda: outbox.discard(99, "typo")):
        with pytest.raises(UnknownEntry) as unknown:
            action()
        assert str(unknown.value) == "there is no outbox entry 99"
    with pytest.raises(UnknownEntry) as unknown, store.transaction() as conn:
        outbox.discard_within(conn, 99, "replaced")
    assert str(unknown.value) == "there is no outbox entry 99"


# -- listing and counting -------------------------------------------------------------------------


def test_entries_are_listed_in_recording_order_filtered_by_states_and_document(outbox: Outbox, add: Add) -> None:
    a, b, c, d = add("a", document="doc-1"), add("b", document="doc-2"), add("c", document="doc-1"), add("d")
    failed_entry(outbox, b)
    outbox.discard(d, "scanned twice")

    def ids(**filters: object) -> list[int]:
        return [e.entry_id for e in outbox.entries(**filters)]  # type: ignore[arg-type]

    assert ids() == [a, b, c, d]
    assert ids(states=["pending", "failed"]) == [a, b, c]
    assert ids(states=("discarded",)) == [d]
    assert ids(states=[]) == []
    assert ids(document="doc-1") == [a, c, d]
    assert ids(states=["pending"], document="doc-1") == [a, c]
    assert ids(states=["failed", "discarded"], document="doc-2") == [b]
    assert ids(limit=2) == [a, b]
    assert ids(states=["pending", "discarded"], document="doc-1", limit=2) == [a, c]


def test_counts_say_how_many_entries_are_in_each_state(outbox: Outbox, add: Add) -> None:
    assert outbox.counts() == {"pending": 0, "in_flight": 0, "delivered": 0, "failed": 0, "parked": 0,
                               "discarded": 0}
    a, b = add("a", document="doc-1"), add("b", document="doc-2")
    add("c", document="doc-3")
    failed_entry(outbox, a)
    outbox.discard(b, "scanned twice")
    assert outbox.counts() == {"pending": 1, "in_flight": 0, "delivered": 0, "failed": 1, "parked": 0,
                               "discarded": 1}


# -- a person's retry ----------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["failed", "parked"])
def test_a_retry_starts_a_set_aside_entry_again_now(outbox: Outbox, outbox_clock: FakeClock, add: Add,
                                                    state: str) -> None:
    entry_id = add("a")
    failed_entry(outbox, entry_id, state, attempts=4)
    outbox_clock.advance(600)
    heard = heard_on(outbox)
    retried = outbox.retry(entry_id)
    now = outbox_clock.time()
    assert (retried.state, retried.attempts, retried.next_attempt_at, retried.updated_at) == ("pending", 0, now, now)
    assert retried.check_before_send  # an earlier attempt may have been applied: still checked first
    assert heard == [EntryChange(retried, state)]  # type: ignore[arg-type]
    assert outbox.actions(entry_id) == [OutboxAction(entry_id, "retried", None, now)]


def test_a_retry_of_a_waiting_entry_makes_it_due_now_and_keeps_its_attempts(outbox: Outbox,
                                                                             outbox_clock: FakeClock,
                                                                             add: Add) -> None:
    entry_id = add("a")
    ledger = RelayLedger(outbox, TARGET)
    claimed = ledger.claim(outbox.get(entry_id))
    assert claimed is not None
    ledger.put_back(claimed, next_attempt_at=outbox_clock.time() + 3600, attempts=2, check_before_send=False,
                    error=OSError("no answer within 30 s"))
    outbox_clock.advance(10)
    heard = heard_on(outbox)
    retried = outbox.retry(entry_id)
    now = outbox_clock.time()
    assert (retried.state, retried.attempts, retried.next_attempt_at) == ("pending", 2, now)
    assert ledger.next_due(now) == retried
    assert heard == [EntryChange(retried, "pending")]
    assert outbox.actions(entry_id) == [OutboxAction(entry_id, "retried", None, now)]


def test_a_retry_is_refused_in_words_when_the_state_does_not_allow_it(outbox: Outbox, add: Add) -> None:
    ledger = RelayLedger(outbox, TARGET)
    in_flight = ledger.claim(outbox.get(add("a")))
    assert in_flight is not None
    discarded = add("b", document="doc-2")
    outbox.discard(discarded, "scanned twice")
    with pytest.raises(ActionRefused) as refused:
        outbox.retry(in_flight.entry_id)
    assert str(refused.value) == (f"outbox entry {in_flight.entry_id} is in_flight: only failed, parked or pending "
                                  "entries can be retried")
    ledger.delivered(in_flight, {"id": "1"})
    with pytest.raises(ActionRefused) as refused:
        outbox.retry(in_flight.entry_id)
    assert str(refused.value) == (f"outbox entry {in_flight.entry_id} is delivered: only failed, parked or pending "
                                  "entries can be retried")
    with pytest.raises(ActionRefused, match=f"^outbox entry {discarded} is discarded: only failed"):
        outbox.retry(discarded)
    assert outbox.actions(in_flight.entry_id) == [] and outbox.get(in_flight.entry_id).state == "delivered"


# -- a person's discard -----------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["pending", "failed", "parked"])
def test_a_discard_records_the_reason_it_was_given(outbox: Outbox, outbox_clock: FakeClock, add: Add,
                                                   state: str) -> None:
    entry_id = add("a")
    if state != "pending":
        failed_entry(outbox, entry_id, state)
    outbox_clock.advance(30)
    heard = heard_on(outbox)
    discarded = outbox.discard(entry_id, "  parcel cancelled by the customer \n")
    now = outbox_clock.time()
    assert (discarded.state, discarded.updated_at) == ("discarded", now)
    assert heard == [EntryChange(discarded, state)]  # type: ignore[arg-type]
    assert outbox.actions(entry_id) == [OutboxAction(entry_id, "discarded", "parcel cancelled by the customer", now)]


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_discard_needs_a_reason(outbox: Outbox, add: Add, reason: str) -> None:
    entry_id = add("a")
    with pytest.raises(ValueError) as refused:
        outbox.discard(entry_id, reason)
    assert str(refused.value) == "a discard needs a reason"
    assert outbox.get(entry_id).state == "pending" and outbox.actions(entry_id) == []


def test_a_discard_is_refused_with_the_reason_a_person_reads(outbox: Outbox, add: Add) -> None:
    ledger = RelayLedger(outbox, TARGET)
    in_flight = ledger.claim(outbox.get(add("a")))
    assert in_flight is not None
    with pytest.raises(ActionRefused) as refused:
        outbox.discard(in_flight.entry_id, "wrong parcel")
    assert str(refused.value) == (f"outbox entry {in_flight.entry_id} cannot be discarded: it is being delivered "
                                  "right now; try again in a moment")
    ledger.delivered(in_flight, {"id": "1"})
    with pytest.raises(ActionRefused) as refused:
        outbox.discard(in_flight.entry_id, "wrong parcel")
    assert str(refused.value) == f"outbox entry {in_flight.entry_id} cannot be discarded: it was delivered already"
    other = add("b", document="doc-2")
    outbox.discard(other, "scanned twice")
    with pytest.raises(ActionRefused) as refused:
        outbox.discard(other, "again")
    assert str(refused.value) == f"outbox entry {other} cannot be discarded: it was discarded already"
    assert outbox.actions(in_flight.entry_id) == []
    assert [a.reason for a in outbox.actions(other)] == ["scanned twice"]


# -- a workflow's discard inside its own transaction ------------------------------------------------


@pytest.mark.parametrize("state", ["pending", "failed", "parked"])
def test_a_workflow_discards_inside_its_transaction_and_announces_after_the_commit(
        store: InventoryStore, outbox: Outbox, outbox_clock: FakeClock, add: Add, state: str) -> None:
    entry_id = add("a")
    if state != "pending":
        failed_entry(outbox, entry_id, state)
    outbox_clock.advance(20)
    heard = heard_on(outbox)
    with store.transaction() as conn:
        change = outbox.discard_within(conn, entry_id, "  line corrected ")
    now = outbox_clock.time()
    assert heard == []  # nothing said before the caller announces
    assert change == EntryChange(outbox.get(entry_id), state)  # type: ignore[arg-type]
    assert (change.entry.state, change.entry.updated_at) == ("discarded", now)
    assert outbox.actions(entry_id) == [OutboxAction(entry_id, "discarded", "line corrected", now)]
    outbox.announce_changes([change])
    assert heard == [change]


@pytest.mark.parametrize("reason", ["", "  "])
def test_a_workflow_discard_without_a_reason_is_recorded_as_replaced(store: InventoryStore, outbox: Outbox,
                                                                     add: Add, reason: str) -> None:
    entry_id = add("a")
    with store.transaction() as conn:
        outbox.discard_within(conn, entry_id, reason)
    assert [(a.action, a.reason) for a in outbox.actions(entry_id)] == [("discarded", "replaced")]


def test_a_workflow_discard_goes_with_its_rolled_back_transaction(store: InventoryStore, outbox: Outbox,
                                                                  add: Add) -> None:
    entry_id = add("a")
    with pytest.raises(RuntimeError), store.transaction() as conn:
        outbox.discard_within(conn, entry_id, "line corrected")
        raise RuntimeError("the workflow failed after discarding")
    assert outbox.get(entry_id).state == "pending" and outbox.actions(entry_id) == []


def test_a_workflow_discard_is_refused_outside_a_transaction_or_for_an_entry_in_flight_or_done(
        store: InventoryStore, outbox: Outbox, add: Add) -> None:
    entry_id = add("a")
    with pytest.raises(OutboxError) as refused:
        outbox.discard_within(store.connection(), entry_id, "line corrected")
    assert str(refused.value) == "discard_within needs the caller's open write transaction"
    ledger = RelayLedger(outbox, TARGET)
    in_flight = ledger.claim(outbox.get(entry_id))
    assert in_flight is not None
    with pytest.raises(ActionRefused) as refused, store.transaction() as conn:
        outbox.discard_within(conn, entry_id, "line corrected")
    assert str(refused.value) == f"outbox entry {entry_id} is in_flight: it cannot be discarded"
    ledger.delivered(in_flight, {"id": "1"})
    with pytest.raises(ActionRefused, match=f"^outbox entry {entry_id} is delivered: it cannot be discarded$"), \
            store.transaction() as conn:
        outbox.discard_within(conn, entry_id, "line corrected")
    assert outbox.get(entry_id).state == "delivered" and outbox.actions(entry_id) == []


def test_every_action_on_an_entry_is_kept_in_order_with_its_time(outbox: Outbox, outbox_clock: FakeClock,
                                                                 add: Add) -> None:
    entry_id, other = add("a"), add("b", document="doc-2")
    failed_entry(outbox, entry_id)
    outbox_clock.advance(60)
    first = outbox_clock.time()
    outbox.retry(entry_id)
    outbox_clock.advance(60)
    outbox.discard(entry_id, "parcel cancelled")
    outbox.discard(other, "scanned twice")
    assert outbox.actions(entry_id) == [OutboxAction(entry_id, "retried", None, first),
                                        OutboxAction(entry_id, "discarded", "parcel cancelled", first + 60)]
    assert outbox.actions(other) == [OutboxAction(other, "discarded", "scanned twice", first + 60)]
    assert outbox.actions(12345) == []
