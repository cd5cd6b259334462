"""The relay's half of the outbox (``outbox/ledger.py``): which entry goes next, and the
committed state changes around one delivery.

Pinned here: only the relay's own target's entries are its business; an entry goes when
it is due (at its time, not a moment before) and no earlier entry of its document is still
open; the wait the relay sleeps on is the soonest pending entry that could go; what counts
as "still to deliver" for a flush (not entries waiting behind a person); a flush makes
waiting entries due now without delaying any already due; a later step gets the results
of the earlier delivered steps of its document (the latest of each kind); entries left in
flight by a dead relay come back to be checked before anything is sent; each state change
(claim, delivered, put back, failed/parked) writes every column it is about (the error
a person reads, the vendor's words, the attempts, check-before-send), is refused when the
entry is no longer in the state it expects, and is announced once; the local copy written
with a delivery is kept exactly when the entry is delivered, and undone alone when it fails.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

import pytest

from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox import EntryChange, Outbox, OutboxEntry
from scanner_app.outbox.ledger import RelayLedger
from tests.backends.fake_clock import FakeClock
from tests.outbox.conftest import TARGET

Add = Callable[..., int]


class Refused(Exception):
    """A vendor's refusal, with the vendor's own words (as the backends' errors carry them)."""

    def __init__(self, text: str, vendor_message: str) -> None:
        super().__init__(text)
        self.vendor_message = vendor_message


@pytest.fixture
def ledger(outbox: Outbox) -> RelayLedger:
    return RelayLedger(outbox, TARGET)


def heard_on(outbox: Outbox) -> list[EntryChange]:
    heard: list[EntryChange] = []
    outbox.entry_changed.connect(heard.append)
    return heard


def claimed(ledger: RelayLedger, entry_id: int) -> OutboxEntry:
    entry = ledger.claim(ledger.outbox.get(entry_id))
    assert entry is not None
    return entry


def waiting(ledger: RelayLedger, entry_id: int, until: float, attempts: int = 1) -> OutboxEntry:
    """The relay tried ``entry_id`` and put it back to wait until ``until``."""
    back = ledger.put_back(claimed(ledger, entry_id), next_attempt_at=until, attempts=attempts,
                           check_before_send=False, error=OSError("no answer within 30 s"))
    assert back is not None
    return back


# -- what goes next ---------------------------------------------------------------------------


def test_the_next_entry_is_the_oldest_due_one_first_in_its_document(ledger: RelayLedger, outbox_clock: FakeClock,
                                                                    add: Add) -> None:
    now = outbox_clock.time()
    other_target = add("x", document="doc-0", target="zoho:other-organisation")
    first, second, other = add("a", document="doc-1"), add("b", document="doc-1"), add("c", document="doc-2")
    assert ledger.next_due(now) == ledger.outbox.get(first)
    waiting(ledger, first, until=now + 10)
    assert ledger.next_due(now) == ledger.outbox.get(other)  # "b" waits behind "a", still open
    assert ledger.next_due(now + 9.5) == ledger.outbox.get(other)
    waiting(ledger, other, until=now + 20)
    assert ledger.next_due(now) is None and ledger.next_due(now + 9.5) is None
    assert ledger.next_due(now + 10) == ledger.outbox.get(first)  # due at its time exactly
    ledger.delivered(claimed(ledger, first), {"id": "A"})
    assert ledger.next_due(now + 10) == ledger.outbox.get(second)
    assert ledger.outbox.get(other_target).state == "pending"
    assert RelayLedger(ledger.outbox, "zoho:other-organisation").next_due(now) == ledger.outbox.get(other_target)


def test_the_soonest_wait_is_that_of_a_pending_entry_first_in_its_document(ledger: RelayLedger,
                                                                           outbox_clock: FakeClock,
                                                                           add: Add) -> None:
    now = outbox_clock.time()
    assert ledger.soonest_waiting() is None
    add("x", document="doc-0", target="zoho:other-organisation")  # not this relay's: recorded now, due now
    a1, a2 = add("a1", document="doc-a"), add("a2", document="doc-a")
    b1 = add("b1", document="doc-b")
    c1 = add("c1", document="doc-c")
    waiting(ledger, a1, until=now + 50)
    waiting(ledger, b1, until=now + 30)
    waiting(ledger, c1, until=now + 30)
    # a2 (due at once) waits behind a1; b1 and c1 end together: the older one first
    assert ledger.soonest_waiting() == ledger.outbox.get(b1)
    ledger.delivered(claimed(ledger, a1), {"id": "A1"})  # (a1 is due whenever claimed: the ledger does not ask)
    assert ledger.soonest_waiting() == ledger.outbox.get(a2)
    ledger.delivered(claimed(ledger, a2), {"id": "A2"})
    assert ledger.soonest_waiting() == ledger.outbox.get(b1)


def test_still_to_deliver_counts_this_targets_entries_not_waiting_for_a_person(ledger: RelayLedger, add: Add) -> None:
    assert ledger.deliverable_count() == 0
    add("x", document="doc-0", target="zoho:other-organisation")
    blocked = add("a", document="doc-1")
    add("b", document="doc-1")
    flying, done = add("c", document="doc-2"), add("d", document="doc-3")
    add("e", document="doc-4")
    assert ledger.deliverable_count() == 5
    claimed(ledger, flying)
    ledger.delivered(claimed(ledger, done), {"id": "D"})
    assert ledger.deliverable_count() == 4  # in flight still counts, delivered does not
    ledger.set_aside(claimed(ledger, blocked), "failed", attempts=1, check_before_send=False,
                     error=Refused("Serial number SN-9 is not available.", "SN-9 not available"))
    assert ledger.deliverable_count() == 2  # "a" failed, "b" waits behind it for a person
    ledger.outbox.discard(blocked, "serial given to another parcel by hand")
    assert ledger.deliverable_count() == 3


def test_a_flush_makes_waiting_entries_due_now_and_delays_none(ledger: RelayLedger, outbox_clock: FakeClock,
                                                               add: Add) -> None:
    start = outbox_clock.time()
    other_target = add("x", document="doc-0", target="zoho:other-organisation")
    later, early, set_aside = add("a", document="doc-1"), add("b", document="doc-2"), add("c", document="doc-3")
    waiting(ledger, later, until=start + 3600)
    waiting(ledger, early, until=start + 5)
    waiting(ledger, set_aside, until=start + 3600)
    ledger.set_aside(claimed(ledger, set_aside), "parked", attempts=4, check_before_send=False,
                     error=OSError("Internal error"))
    with ledger.outbox.store.transaction() as conn:
        conn.execute("UPDATE outbox_entries SET next_attempt_at = ? WHERE entry_id = ?", (start + 600, other_target))
    outbox_clock.advance(60)
    ledger.make_due_now()
    now = outbox_clock.time()
    assert ledger.outbox.get(later).next_attempt_at == now
    assert ledger.outbox.get(early).next_attempt_at == start + 5  # was due already: not pushed back
    assert ledger.outbox.get(set_aside).next_attempt_at == start + 3600  # a parked entry waits for a person
    assert ledger.outbox.get(other_target).next_attempt_at == start + 600  # another relay's business
    assert ledger.next_due(now) == ledger.outbox.get(later)


def test_a_later_step_gets_the_latest_result_of_each_earlier_delivered_kind(ledger: RelayLedger, add: Add) -> None:
    create1 = add("c1", document="assembly:A-1", kind="bundle.create")
    add("z", document="assembly:A-2", kind="bundle.create")
    create2 = add("c2", document="assembly:A-1", kind="bundle.create")
    dropped = add("d", document="assembly:A-1", kind="bundle.note")
    confirm = add("f", document="assembly:A-1", kind="bundle.confirm")
    after = add("g", document="assembly:A-1", kind="bundle.later")
    ledger.delivered(claimed(ledger, create1), {"bundle_id": "B-1"})
    ledger.delivered(claimed(ledger, create2), {"bundle_id": "B-2", "reference": "A-1"})
    ledger.outbox.discard(dropped, "not needed")
    for other in ledger.outbox.entries(document="assembly:A-2"):
        ledger.delivered(claimed(ledger, other.entry_id), {"bundle_id": "OTHER"})
    assert ledger.earlier_results(ledger.outbox.get(confirm)) == {
        "bundle.create": {"bundle_id": "B-2", "reference": "A-1"}}
    ledger.delivered(claimed(ledger, confirm), {"confirmed": True})
    assert ledger.earlier_results(ledger.outbox.get(create2)) == {"bundle.create": {"bundle_id": "B-1"}}
    assert ledger.earlier_results(ledger.outbox.get(after)) == {
        "bundle.create": {"bundle_id": "B-2", "reference": "A-1"}, "bundle.confirm": {"confirmed": True}}


# -- after a crash ------------------------------------------------------------------------------


def test_entries_left_in_flight_come_back_to_be_checked_first(ledger: RelayLedger, outbox_clock: FakeClock,
                                                              add: Add) -> None:
    first, waiting_one, second, done = add("a", "doc-1"), add("b", "doc-2"), add("c", "doc-3"), add("d", "doc-4")
    claimed(ledger, first)
    claimed(ledger, second)
    ledger.delivered(claimed(ledger, done), {"id": "D"})
    outbox_clock.advance(90)
    heard = heard_on(ledger.outbox)
    recovered = ledger.recover_in_flight()
    now = outbox_clock.time()
    assert [e.entry_id for e in recovered] == [first, second]
    assert all((e.state, e.check_before_send, e.updated_at) == ("pending", True, now) for e in recovered)
    assert recovered == [ledger.outbox.get(first), ledger.outbox.get(second)]
    assert heard == [EntryChange(recovered[0], "in_flight"), EntryChange(recovered[1], "in_flight")]
    assert ledger.outbox.get(waiting_one).check_before_send is False
    assert ledger.outbox.get(done).state == "delivered"
    assert ledger.recover_in_flight() == []


# -- one delivery's changes ---------------------------------------------------------------------


def test_a_claim_is_committed_and_announced_and_loses_to_a_person(ledger: RelayLedger, outbox_clock: FakeClock,
                                                                  add: Add) -> None:
    entry_id, discarded = add("a", "doc-1"), add("b", "doc-2")
    outbox_clock.advance(4)
    heard = heard_on(ledger.outbox)
    entry = ledger.claim(ledger.outbox.get(entry_id))
    assert entry is not None and (entry.state, entry.updated_at) == ("in_flight", outbox_clock.time())
    assert entry == ledger.outbox.get(entry_id) and heard == [EntryChange(entry, "pending")]
    assert ledger.claim(entry) is None  # claimed already
    ledger.outbox.discard(discarded, "wrong parcel")
    heard.clear()
    assert ledger.claim(ledger.outbox.get(discarded)) is None and heard == []
    assert ledger.outbox.get(discarded).state == "discarded"


def test_delivered_keeps_the_result_and_forgets_the_earlier_trouble(ledger: RelayLedger, outbox_clock: FakeClock,
                                                                    add: Add) -> None:
    entry_id = add("a")
    back = ledger.put_back(claimed(ledger, entry_id), next_attempt_at=outbox_clock.time(), attempts=2,
                           check_before_send=True, error=Refused("Internal error", "Try again later"))
    assert back is not None and back.check_before_send
    again = claimed(ledger, entry_id)
    outbox_clock.advance(2)
    heard = heard_on(ledger.outbox)
    done = ledger.delivered(again, {"salesorder_id": "4815", "serials": ["SN-1"]})
    assert done is not None and done == ledger.outbox.get(entry_id)
    assert (done.state, done.result, done.check_before_send, done.last_error, done.vendor_message, done.attempts,
            done.updated_at) == ("delivered", {"salesorder_id": "4815", "serials": ["SN-1"]}, False, None, None, 2,
                                 outbox_clock.time())
    assert heard == [EntryChange(done, "in_flight")]
    assert ledger.delivered(done, {"salesorder_id": "other"}) is None  # not in flight any more
    assert ledger.outbox.get(entry_id).result == {"salesorder_id": "4815", "serials": ["SN-1"]}


def test_put_back_records_the_wait_the_attempts_the_check_and_the_error(ledger: RelayLedger,
                                                                        outbox_clock: FakeClock, add: Add) -> None:
    entry_id = add("a")
    outbox_clock.advance(3)
    heard = heard_on(ledger.outbox)
    back = ledger.put_back(claimed(ledger, entry_id), next_attempt_at=outbox_clock.time() + 45, attempts=3,
                           check_before_send=True,
                           error=Refused("Zoho answered 503: try again later", "Service unavailable"))
    now = outbox_clock.time()
    assert back is not None and back == ledger.outbox.get(entry_id)
    assert (back.state, back.next_attempt_at, back.attempts, back.check_before_send, back.last_error,
            back.vendor_message, back.updated_at) == (
        "pending", now + 45, 3, True, "Zoho answered 503: try again later", "Service unavailable", now)
    assert heard[-1] == EntryChange(back, "in_flight")
    again = ledger.put_back(claimed(ledger, entry_id), next_attempt_at=now + 60, attempts=3, check_before_send=False,
                            error=None)  # e.g. rate limited: no error to keep
    assert again is not None
    assert (again.check_before_send, again.last_error, again.vendor_message) == (False, None, None)
    assert ledger.put_back(again, next_attempt_at=now, attempts=0, check_before_send=False, error=None) is None


@pytest.mark.parametrize("state", ["failed", "parked"])
def test_set_aside_keeps_the_sentence_and_the_vendors_words_for_a_person(ledger: RelayLedger,
                                                                         outbox_clock: FakeClock, add: Add,
                                                                         state: str) -> None:
    entry_id = add("a")
    outbox_clock.advance(8)
    heard = heard_on(ledger.outbox)
    aside = ledger.set_aside(claimed(ledger, entry_id), state, attempts=4,  # type: ignore[arg-type]
                             check_before_send=True,
                             error=Refused("Serial number(s) SN-9 are not available for this item.",
                                           "SN-9 not available"))
    assert aside is not None and aside == ledger.outbox.get(entry_id)
    assert (aside.state, aside.attempts, aside.check_before_send, aside.last_error, aside.vendor_message,
            aside.updated_at) == (state, 4, True, "Serial number(s) SN-9 are not available for this item.",
                                  "SN-9 not available", outbox_clock.time())
    assert heard[-1] == EntryChange(aside, "in_flight")
    assert ledger.set_aside(aside, state, attempts=5, check_before_send=False,  # type: ignore[arg-type]
                            error=OSError("x")) is None  # not in flight any more
    assert ledger.outbox.get(entry_id).attempts == 4


def test_an_error_without_words_is_named_and_one_without_vendor_words_has_none(ledger: RelayLedger,
                                                                               add: Add) -> None:
    first, second = add("a", "doc-1"), add("b", "doc-2")
    nameless = ledger.set_aside(claimed(ledger, first), "failed", attempts=1, check_before_send=False,
                                error=TimeoutError())
    assert nameless is not None and (nameless.last_error, nameless.vendor_message) == ("TimeoutError", None)
    plain = ledger.set_aside(claimed(ledger, second), "parked", attempts=4, check_before_send=False,
                             error=KeyError("bundle_id"))
    assert plain is not None and (plain.last_error, plain.vendor_message) == ("'bundle_id'", None)


@pytest.mark.parametrize("state", ["pending", "delivered", "discarded", "in_flight"])
def test_an_entry_is_set_aside_only_as_failed_or_parked(ledger: RelayLedger, add: Add, state: str) -> None:
    entry = claimed(ledger, add("a"))
    with pytest.raises(ValueError) as refused:
        ledger.set_aside(entry, state, attempts=1, check_before_send=False, error=OSError("x"))  # type: ignore[arg-type]
    assert str(refused.value) == f"an entry is set aside as failed or parked, not {state}"
    assert ledger.outbox.get(entry.entry_id).state == "in_flight"


# -- the local copy written with a delivery --------------------------------------------------------


@pytest.fixture
def copies(store: InventoryStore) -> InventoryStore:
    store.connection().execute("CREATE TABLE local_copy (note TEXT)")
    return store


def copy_rows(store: InventoryStore) -> list[str]:
    return [row[0] for row in store.connection().execute("SELECT note FROM local_copy ORDER BY rowid")]


def test_the_local_copy_is_kept_with_the_delivery(ledger: RelayLedger, copies: InventoryStore, add: Add) -> None:
    entry = claimed(ledger, add("a"))
    seen: list[str] = []

    def write(conn: sqlite3.Connection) -> None:
        conn.execute("INSERT INTO local_copy VALUES ('serial SN-1 went out')")
        seen.append(conn.execute("SELECT state FROM outbox_entries WHERE entry_id = ?",
                                 (entry.entry_id,)).fetchone()[0])

    done = ledger.delivered(entry, {"id": "1"}, also=write)
    assert done is not None and done.state == "delivered"
    assert seen == ["delivered"]  # written in the same transaction as the delivery
    assert copy_rows(copies) == ["serial SN-1 went out"]


def test_a_local_copy_that_fails_is_undone_alone_and_the_entry_is_delivered(ledger: RelayLedger,
                                                                            copies: InventoryStore,
                                                                            add: Add) -> None:
    entry = claimed(ledger, add("a"))

    def write(conn: sqlite3.Connection) -> None:
        conn.execute("INSERT INTO local_copy VALUES ('half written')")
        raise sqlite3.IntegrityError("UNIQUE constraint failed: serials.serialnumber")

    heard = heard_on(ledger.outbox)
    done = ledger.delivered(entry, {"id": "1"}, also=write)
    assert done is not None and done == ledger.outbox.get(entry.entry_id)
    assert (done.state, done.result) == ("delivered", {"id": "1"})
    assert heard == [EntryChange(done, "in_flight")]
    assert copy_rows(copies) == []
    again = claimed(ledger, add("b", document="doc-2"))  # the store is usable afterwards
    ledger.delivered(again, {"id": "2"}, also=lambda conn: conn.execute("INSERT INTO local_copy VALUES ('next')"))
    assert copy_rows(copies) == ["next"]


def test_no_local_copy_is_written_for_an_entry_that_is_not_delivered(ledger: RelayLedger, copies: InventoryStore,
                                                                      add: Add) -> None:
    entry = claimed(ledger, add("a"))
    ledger.recover_in_flight()  # e.g. another start took it back meanwhile
    written: list[int] = []
    assert ledger.delivered(entry, {"id": "1"}, also=lambda conn: written.append(1)) is None
    assert written == [] and copy_rows(copies) == []
    assert ledger.outbox.get(entry.entry_id).state == "pending"
