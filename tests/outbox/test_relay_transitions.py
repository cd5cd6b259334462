"""Each state change of one delivery and each mapping of the backends' exception tree,
driven one pass at a time (``recover`` + ``deliver_due``) with a scripted deliverer."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from scanner_app.backends.errors import (
    Conflict,
    NotConnected,
    NotFound,
    Offline,
    RateLimited,
    ScopeError,
    ServerError,
    SignInAgain,
    UnexpectedResponse,
    ValidationError,
)
from scanner_app.outbox import Outbox, OutboxRelay
from scanner_app.outbox.ledger import RelayLedger
from tests.backends.fake_clock import FakeClock
from tests.outbox.conftest import TARGET, TEST_POLICY
from tests.outbox.helpers import ScriptedDeliverer

Add = Callable[..., int]


@pytest.fixture
def relay(make_relay: Callable[..., OutboxRelay]) -> OutboxRelay:
    made = make_relay()
    made.recover()
    return made


def test_delivered_with_the_result(relay: OutboxRelay, outbox: Outbox, deliverer: ScriptedDeliverer, add: Add) -> None:
    entry_id = add("a")
    assert relay.deliver_due() == 1
    entry = outbox.get(entry_id)
    assert (entry.state, entry.result, entry.attempts) == ("delivered", {"remote_id": "R-a"}, 0)
    assert deliverer.applied["a"] == 1 and deliverer.checks == 0


def test_in_flight_is_committed_before_anything_is_sent(relay: OutboxRelay, outbox: Outbox,
                                                        deliverer: ScriptedDeliverer, add: Add) -> None:
    seen: list[str] = []
    real = deliverer.deliver

    def deliver(entry):  # type: ignore[no-untyped-def]
        # another connection (another thread) sees the committed state
        seen.append(outbox.store.connection().execute(
            "SELECT state FROM outbox_entries WHERE entry_id = ?", (entry.entry_id,)).fetchone()[0])
        return real(entry)

    deliverer.deliver = deliver  # type: ignore[method-assign]
    add("a")
    relay.deliver_due()
    assert seen == ["in_flight"]


@pytest.mark.parametrize("error", [
    ValidationError("Serial number(s) SN-9 are not available for this item.", vendor_message="SN-9 not available"),
    NotFound("Item does not exist.", vendor_message="Item does not exist."),
    Conflict("Batch number B1 already exists for this item.", vendor_message="B1 exists"),
])
def test_a_refusal_fails_the_entry_with_the_vendors_words(relay: OutboxRelay, outbox: Outbox,
                                                          deliverer: ScriptedDeliverer, add: Add,
                                                          error: Exception) -> None:
    deliverer.outcomes.append(error)
    entry_id = add("a")
    relay.deliver_due()
    entry = outbox.get(entry_id)
    assert (entry.state, entry.attempts, entry.check_before_send) == ("failed", 1, False)
    assert entry.vendor_message == error.vendor_message and entry.last_error == str(error)  # type: ignore[attr-defined]
    assert relay.deliver_due() == 0  # never retried by itself


def test_a_later_entry_of_the_document_waits_for_a_failed_one(relay: OutboxRelay, outbox: Outbox,
                                                              deliverer: ScriptedDeliverer, add: Add) -> None:
    deliverer.outcomes.append(ValidationError("bad serial"))
    first, second, other = add("a"), add("b"), add("c", document="doc-2")
    relay.deliver_due()
    assert [outbox.get(i).state for i in (first, second, other)] == ["failed", "pending", "delivered"]
    outbox.discard(first, "serial was given to another parcel by hand")
    relay.deliver_due()
    assert outbox.get(second).state == "delivered"
    assert deliverer.order == ["c", "b"]


def test_entries_of_a_document_go_in_the_order_they_were_recorded(relay: OutboxRelay, deliverer: ScriptedDeliverer,
                                                                  add: Add) -> None:
    for key in "abcde":
        add(key, document="doc-1" if key in "ace" else "doc-2")
    relay.deliver_due()
    assert deliverer.order == list("abcde")


def test_offline_makes_the_whole_relay_wait_and_counts_nothing_when_nothing_was_sent(
        relay: OutboxRelay, outbox: Outbox, outbox_clock: FakeClock, deliverer: ScriptedDeliverer, add: Add) -> None:
    deliverer.outcomes.append(Offline("cannot connect to zoho", maybe_applied=False))
    first, second = add("a"), add("b", document="doc-2")
    assert relay.deliver_due() == 1  # the relay stopped after the first: no network for anyone
    entry = outbox.get(first)
    assert (entry.state, entry.attempts, entry.check_before_send) == ("pending", 0, False)
    assert entry.next_attempt_at > outbox_clock.time() and outbox.get(second).state == "pending"
    outbox_clock.advance(TEST_POLICY.max_backoff_seconds)
    assert relay.deliver_due() == 2
    assert deliverer.applied == {"a": 1, "b": 1}


def test_a_timeout_after_the_server_applied_is_checked_not_resent(relay: OutboxRelay, outbox: Outbox,
                                                                  outbox_clock: FakeClock,
                                                                  deliverer: ScriptedDeliverer, add: Add) -> None:
    deliverer.outcomes.append("apply_then_drop")
    entry_id = add("a")
    relay.deliver_due()
    entry = outbox.get(entry_id)
    assert (entry.state, entry.attempts, entry.check_before_send) == ("pending", 1, True)
    outbox_clock.advance(60)
    relay.deliver_due()
    entry = outbox.get(entry_id)
    assert (entry.state, entry.result) == ("delivered", {"remote_id": "R-a", "found": True})
    assert deliverer.applied["a"] == 1 and deliverer.sent == 1 and deliverer.checks == 1


def test_a_timeout_before_the_server_applied_is_checked_then_sent(relay: OutboxRelay, outbox: Outbox,
                                                                  outbox_clock: FakeClock,
                                                                  deliverer: ScriptedDeliverer, add: Add) -> None:
    deliverer.outcomes.append(Offline("no answer within 30 s", maybe_applied=True))
    entry_id = add("a")
    relay.deliver_due()
    outbox_clock.advance(60)
    relay.deliver_due()
    entry = outbox.get(entry_id)
    assert (entry.state, entry.check_before_send) == ("delivered", False)
    assert deliverer.checks == 1 and deliverer.sent == 2 and deliverer.applied["a"] == 1


def test_a_check_that_fails_keeps_the_entry_to_check(relay: OutboxRelay, outbox: Outbox, outbox_clock: FakeClock,
                                                     deliverer: ScriptedDeliverer, add: Add) -> None:
    deliverer.outcomes.append("apply_then_drop")
    deliverer.check_outcomes.append(Offline("still no network"))
    entry_id = add("a")
    relay.deliver_due()
    outbox_clock.advance(60)
    relay.deliver_due()
    assert outbox.get(entry_id).check_before_send and outbox.get(entry_id).state == "pending"
    outbox_clock.advance(60)
    relay.deliver_due()
    assert outbox.get(entry_id).state == "delivered" and deliverer.sent == 1


def test_server_errors_back_off_then_park_after_max_attempts(relay: OutboxRelay, outbox: Outbox,
                                                             outbox_clock: FakeClock, deliverer: ScriptedDeliverer,
                                                             add: Add) -> None:
    deliverer.outcomes.extend(ServerError("Internal error", status=500) for _ in range(TEST_POLICY.max_attempts))
    entry_id = add("a")
    waits = []
    for _ in range(TEST_POLICY.max_attempts):
        relay.deliver_due()
        entry = outbox.get(entry_id)
        waits.append(entry.next_attempt_at - outbox_clock.time())
        outbox_clock.advance(TEST_POLICY.max_backoff_seconds)
    entry = outbox.get(entry_id)
    assert (entry.state, entry.attempts) == ("parked", TEST_POLICY.max_attempts)
    assert 0 < waits[0] <= TEST_POLICY.backoff_seconds * 2 and all(w <= TEST_POLICY.max_backoff_seconds
                                                                   for w in waits[:-1])
    assert relay.deliver_due() == 0 and deliverer.sent == TEST_POLICY.max_attempts


def test_an_entry_that_keeps_breaking_the_server_does_not_block_other_documents(
        relay: OutboxRelay, outbox: Outbox, outbox_clock: FakeClock, deliverer: ScriptedDeliverer, add: Add) -> None:
    deliverer.outcomes.append(UnexpectedResponse("not JSON"))
    poison, fine = add("a"), add("b", document="doc-2")
    assert relay.deliver_due() == 2  # one failure: only that entry waits
    assert outbox.get(fine).state == "delivered" and outbox.get(poison).state == "pending"


def test_server_errors_in_a_row_make_the_whole_relay_wait(relay: OutboxRelay, outbox: Outbox,
                                                          outbox_clock: FakeClock, deliverer: ScriptedDeliverer,
                                                          add: Add) -> None:
    deliverer.outcomes.extend([ServerError("down", status=503), ServerError("down", status=503)])
    add("a"), add("b", document="doc-2")
    third = add("c", document="doc-3")
    assert relay.deliver_due() == 2
    assert relay.deliver_due() == 0 and outbox.get(third).state == "pending"
    outbox_clock.advance(TEST_POLICY.max_backoff_seconds)
    assert relay.deliver_due() == 3 and deliverer.applied == {"a": 1, "b": 1, "c": 1}


def test_rate_limited_waits_as_told_and_counts_no_attempt(relay: OutboxRelay, outbox: Outbox,
                                                          outbox_clock: FakeClock, deliverer: ScriptedDeliverer,
                                                          add: Add) -> None:
    deliverer.outcomes.append(RateLimited("too many requests", retry_after=42))
    entry_id = add("a")
    relay.deliver_due()
    entry = outbox.get(entry_id)
    assert (entry.state, entry.attempts, entry.next_attempt_at - outbox_clock.time()) == ("pending", 0, 42)
    outbox_clock.advance(41)
    assert relay.deliver_due() == 0
    outbox_clock.advance(1)
    assert relay.deliver_due() == 1 and outbox.get(entry_id).state == "delivered"


@pytest.mark.parametrize("error", [SignInAgain("the refresh token was refused"), ScopeError("no scope"),
                                   NotConnected("not signed in: run scanner-app login zoho")])
def test_auth_errors_pause_the_relay_and_keep_every_entry(relay: OutboxRelay, outbox: Outbox,
                                                          deliverer: ScriptedDeliverer, add: Add,
                                                          error: Exception) -> None:
    deliverer.outcomes.append(error)
    first, second = add("a"), add("b", document="doc-2")
    relay.deliver_due()
    assert [outbox.get(i).state for i in (first, second)] == ["pending", "pending"]
    assert outbox.get(first).attempts == 0
    assert relay.deliver_due() == 0  # paused
    relay.resume()
    assert relay.deliver_due() == 2 and deliverer.applied == {"a": 1, "b": 1}


def test_a_deliverers_bug_fails_the_entry_and_checks_before_any_resend(relay: OutboxRelay, outbox: Outbox,
                                                                       deliverer: ScriptedDeliverer,
                                                                       add: Add) -> None:
    deliverer.outcomes.append(KeyError("bundle_id"))
    entry_id = add("a")
    relay.deliver_due()
    entry = outbox.get(entry_id)
    assert (entry.state, entry.check_before_send) == ("failed", True)
    outbox.retry(entry_id)
    relay.deliver_due()
    assert outbox.get(entry_id).state == "delivered" and deliverer.checks == 1


def test_an_entry_of_a_kind_nobody_delivers_fails(relay: OutboxRelay, outbox: Outbox, add: Add) -> None:
    entry_id = add("a", kind="bundle.create")
    relay.deliver_due()
    entry = outbox.get(entry_id)
    assert entry.state == "failed" and "cannot deliver 'bundle.create'" in (entry.last_error or "")


def test_entries_for_another_target_are_left_alone(relay: OutboxRelay, outbox: Outbox, add: Add) -> None:
    entry_id = add("a", target="zoho:other-organisation")
    assert relay.deliver_due() == 0 and outbox.get(entry_id).state == "pending"


def test_a_later_step_gets_the_results_of_earlier_ones(relay: OutboxRelay, deliverer: ScriptedDeliverer,
                                                       add: Add) -> None:
    add("create")
    add("confirm")
    relay.deliver_due()
    assert deliverer.handed[0].earlier_results == {}
    assert deliverer.handed[1].earlier_results == {"test.write": {"remote_id": "R-create"}}


def test_a_crash_in_flight_is_checked_on_the_next_start(make_relay: Callable[..., OutboxRelay], outbox: Outbox,
                                                        deliverer: ScriptedDeliverer, add: Add) -> None:
    from tests.outbox.helpers import Crash

    first = make_relay()
    first.recover()
    deliverer.outcomes.extend(["apply_then_crash", "crash_before"])
    applied, not_applied = add("a"), add("b", document="doc-2")
    for _ in range(2):
        with pytest.raises(Crash):
            first.deliver_due()
    assert [outbox.get(i).state for i in (applied, not_applied)] == ["in_flight", "in_flight"]
    first.stop()  # the process died: its lock goes with it
    second = make_relay()
    assert [e.entry_id for e in second.recover()] == [applied, not_applied]
    second.deliver_due()
    assert [outbox.get(i).state for i in (applied, not_applied)] == ["delivered", "delivered"]
    assert deliverer.applied == {"a": 1, "b": 1} and deliverer.checks == 2


def test_claim_loses_to_a_discard(outbox: Outbox, add: Add) -> None:
    ledger = RelayLedger(outbox, TARGET)
    entry = outbox.get(add("a"))
    outbox.discard(entry.entry_id, "wrong parcel")
    assert ledger.claim(entry) is None
