"""Rules of the outbox relay that the thread and transition tests left unstated
(``relay.py``, ``relay_holds.py``, ``relay_lock.py``):

- how long the worker sleeps: until the soonest entry's wait ends, or the relay's own wait
  (offline, rate limited, failures in a row) ends; the idle poll when nothing waits, or
  while paused for sign-in (a paused relay never spins); the idle poll again after the
  database itself failed;
- a new entry, one a person retries, or a discard that lets the next entry of its document
  go, wakes the relay at once (no idle poll);
- the exact waits: offline and server failures back off by the policy, jitter pinned; the
  whole relay's wait grows with failures in a row; a delivery, a refusal or a new sign-in
  ends the failures in a row; a 429 waits as told (or the policy's default) and a flush
  honours it, while other waits are cut short; a wait until T is over at T;
- what the station says: the waiting and paused statuses' exact words and times, each
  entry's ``last_error`` while it waits, when it pauses, and when it is parked (and a
  parked entry that may have been applied is still checked before any resend);
- flush: its exact refusal, that it returns what is left when its time is up (a rate
  limit not waited out) and returns at once when nothing is left to deliver;
- the relay lock: one holder at a time, the lock named next to the database (shared with
  the CLI), the lock passed in is the one used, released for the next holder, and its
  exact RelayBusy sentence; the worker thread is named ``outbox-relay``.

Clocks are fakes: the worker's wait records what the relay asked for and lets time stand
still until the relay is woken.
"""

from __future__ import annotations

import logging
import random
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from scanner_app.backends.errors import Offline, RateLimited, ServerError, SignInAgain, ValidationError
from scanner_app.outbox import Outbox, OutboxError, OutboxRelay, RelayBusy, RelayStatus, RetryPolicy
from scanner_app.outbox.entries import OutboxEntry
from scanner_app.outbox.relay import wait_on_event
from scanner_app.outbox.relay_lock import RelayLock
from tests.backends.fake_clock import FakeClock
from tests.outbox.helpers import ScriptedDeliverer

Add = Callable[..., int]
MakeRelay = Callable[..., OutboxRelay]

# waits of half a second doubling (no jitter drawn: see NoJitter), an idle poll far longer
POLICY = RetryPolicy(max_attempts=4, backoff_seconds=0.5, max_backoff_seconds=8.0, jitter=0.5,
                     rate_limit_wait_seconds=30.0, idle_poll_seconds=10.0)


class NoJitter(random.Random):
    """Every draw is 0.0: a backoff is exactly its ceiling."""

    def random(self) -> float:
        return 0.0


class StillTime:
    """The worker's wait while time stands still: records how many seconds the relay meant
    to sleep, and returns only when the relay is woken (or after a long while)."""

    def __init__(self) -> None:
        self.asked: list[float] = []
        self._changed = threading.Condition()

    def __call__(self, wake: threading.Event, seconds: float) -> object:
        with self._changed:
            self.asked.append(seconds)
            self._changed.notify_all()
        return wake.wait(30)

    def sleeps(self, count: int) -> list[float]:
        """The first ``count`` sleeps asked for (waits up to 10 s for them)."""
        with self._changed:
            assert self._changed.wait_for(lambda: len(self.asked) >= count, 10), self.asked
            return self.asked[:count]


def returns_within(call: Callable[[], Any], seconds: float = 30.0) -> Any:
    """``call()``'s answer, run on a helper thread; fails when it does not return in time
    (a hang detector: the calls it guards would otherwise block for 60 s or for ever)."""
    answer: list[Any] = []
    helper = threading.Thread(target=lambda: answer.append(call()), daemon=True)
    helper.start()
    helper.join(seconds)
    assert not helper.is_alive(), "it did not return"
    return answer[0]


@pytest.fixture
def still() -> StillTime:
    return StillTime()


@pytest.fixture
def relay(make_relay: MakeRelay) -> OutboxRelay:
    """Driven one pass at a time (``deliver_due``), with exact waits."""
    made = make_relay(policy=POLICY, rng=NoJitter())
    made.recover()
    return made


@pytest.fixture
def running(make_relay: MakeRelay, still: StillTime) -> OutboxRelay:
    """Started on a worker whose time stands still; its first (idle) sleep is behind it."""
    made = make_relay(policy=POLICY, rng=NoJitter(), wait=still)
    made.start()
    assert still.sleeps(1) == [POLICY.idle_poll_seconds]
    return made


def waits(outbox: Outbox, entry_id: int, clock: FakeClock) -> float:
    return outbox.get(entry_id).next_attempt_at - clock.time()


# -- how long the worker sleeps --------------------------------------------------------------

class Reaches:
    """Set once the entry recorded with payload ``key`` reaches ``state`` (heard on the
    outbox's ``entry_changed``)."""

    def __init__(self, outbox: Outbox, key: str, state: str) -> None:
        self.key, self.state = key, state
        self.event = threading.Event()
        outbox.entry_changed.connect(self._heard)

    def _heard(self, change: Any) -> None:
        if change.entry.payload.get("key") == self.key and change.entry.state == self.state:
            self.event.set()

    def within(self, seconds: float = 10.0) -> bool:
        return self.event.wait(seconds)


def test_a_new_entry_wakes_the_relay_at_once(running: OutboxRelay, outbox: Outbox, add: Add) -> None:
    delivered = Reaches(outbox, "a", "delivered")
    add("a")
    assert delivered.within()  # woken by the announcement: time stands still, no idle poll comes


def test_a_person_retrying_an_entry_wakes_the_relay(running: OutboxRelay, outbox: Outbox,
                                                   deliverer: ScriptedDeliverer, add: Add) -> None:
    deliverer.outcomes.append(ValidationError("Serial number SN-9 is not available"))
    failed, delivered = Reaches(outbox, "a", "failed"), Reaches(outbox, "a", "delivered")
    entry_id = add("a")
    assert failed.within()
    outbox.retry(entry_id)
    assert delivered.within() and deliverer.applied["a"] == 1


def test_a_person_discarding_a_blocking_entry_wakes_the_relay_for_the_next_of_its_document(
        running: OutboxRelay, outbox: Outbox, deliverer: ScriptedDeliverer, add: Add) -> None:
    """A failed entry holds back the later entries of its document; once a person discards
    it, the next one is delivered at once, not after the idle poll."""
    deliverer.outcomes.append(ValidationError("Serial number SN-9 is not available"))
    failed, delivered = Reaches(outbox, "a", "failed"), Reaches(outbox, "b", "delivered")
    first = add("a")
    assert failed.within()
    add("b")  # same document: waits behind the failed one (woken, finds nothing due)
    assert not delivered.within(0.2) and deliverer.applied["b"] == 0
    outbox.discard(first, "the serial was mapped by hand in Zoho")
    assert delivered.within() and deliverer.applied["b"] == 1


def test_the_worker_sleeps_until_the_entrys_wait_ends_and_says_why(running: OutboxRelay, still: StillTime,
                                                                   outbox: Outbox, outbox_clock: FakeClock,
                                                                   deliverer: ScriptedDeliverer, add: Add) -> None:
    deliverer.outcomes.append(ServerError("Internal error", status=500))
    entry_id = add("a")
    assert still.sleeps(2) == [10.0, 0.5]  # one failure: only the entry waits, half a second
    entry = outbox.get(entry_id)
    assert (entry.state, entry.attempts, entry.last_error) == ("pending", 1, "Internal error (HTTP 500)")
    assert running.status == RelayStatus("waiting", "Internal error (HTTP 500)", outbox_clock.time() + 0.5)


def test_offline_the_worker_sleeps_the_relays_wait(running: OutboxRelay, still: StillTime, outbox: Outbox,
                                                   outbox_clock: FakeClock, deliverer: ScriptedDeliverer,
                                                   add: Add) -> None:
    deliverer.outcomes.append(Offline("cannot connect to www.zohoapis.com"))
    entry_id = add("a")
    assert still.sleeps(2) == [10.0, 0.5]
    assert running.status == RelayStatus("waiting", "offline: cannot connect to www.zohoapis.com",
                                         outbox_clock.time() + 0.5)
    assert waits(outbox, entry_id, outbox_clock) == 0.5


def test_a_paused_relay_looks_again_after_the_idle_poll_not_at_once(running: OutboxRelay, still: StillTime,
                                                                    outbox: Outbox, deliverer: ScriptedDeliverer,
                                                                    add: Add) -> None:
    deliverer.outcomes.append(SignInAgain("the refresh token was refused"))
    entry_id = add("a")
    assert still.sleeps(2) == [10.0, 10.0]
    assert running.status == RelayStatus("paused", "sign in again: the refresh token was refused")
    entry = outbox.get(entry_id)
    assert (entry.state, entry.attempts, entry.last_error) == ("pending", 0, "the refresh token was refused")


def test_a_rate_limit_is_slept_as_the_vendor_said(running: OutboxRelay, still: StillTime,
                                                  outbox_clock: FakeClock, deliverer: ScriptedDeliverer,
                                                  add: Add) -> None:
    deliverer.outcomes.append(RateLimited("too many requests", retry_after=42))
    add("a")
    assert still.sleeps(2) == [10.0, 42]
    assert running.status == RelayStatus("waiting", "rate limited: too many requests", outbox_clock.time() + 42)


def test_after_the_database_failed_the_worker_tries_again_after_the_idle_poll(
        make_relay: MakeRelay, still: StillTime, outbox: Outbox, add: Add) -> None:
    made = make_relay(policy=POLICY, rng=NoJitter(), wait=still)
    real = made.ledger.next_due
    failures = [sqlite3.OperationalError("database or disk is full")]

    def next_due(now: float) -> OutboxEntry | None:
        if failures:
            raise failures.pop()
        return real(now)

    made.ledger.next_due = next_due  # type: ignore[method-assign]
    made.start()
    assert still.sleeps(1) == [POLICY.idle_poll_seconds] and made.running
    delivered = Reaches(outbox, "a", "delivered")
    add("a")
    assert delivered.within()


# -- the exact waits, one pass at a time -----------------------------------------------------

def test_offline_waits_double_while_it_lasts_and_the_entry_waits_as_long(
        relay: OutboxRelay, outbox: Outbox, outbox_clock: FakeClock, deliverer: ScriptedDeliverer,
        add: Add) -> None:
    deliverer.outcomes.extend(Offline("cannot connect to www.zohoapis.com") for _ in range(3))
    entry_id = add("a")
    for expected in (0.5, 1.0, 2.0):
        assert relay.deliver_due() == 1
        now = outbox_clock.time()
        assert (waits(outbox, entry_id, outbox_clock), relay.holds.seconds_held(now)) == (expected, expected)
        assert relay.holds.status(now) == RelayStatus("waiting", "offline: cannot connect to www.zohoapis.com",
                                                      now + expected)
        assert relay.deliver_due() == 0
        outbox_clock.advance(expected)
        # a wait until T is over at T: the relay and the entry go again
        assert not relay.holds.holding(outbox_clock.time())
        assert relay.holds.seconds_held(outbox_clock.time()) is None
        assert relay.holds.status(outbox_clock.time()) is None
    assert relay.deliver_due() == 1
    assert outbox.get(entry_id).state == "delivered" and outbox.get(entry_id).attempts == 0


def test_server_failures_in_a_row_back_off_the_entry_and_the_relay_then_park_it(
        relay: OutboxRelay, outbox: Outbox, outbox_clock: FakeClock, deliverer: ScriptedDeliverer,
        add: Add) -> None:
    # a 5xx on a write may have been applied: every later attempt checks first
    deliverer.outcomes.extend(ServerError("Internal error", status=500, maybe_applied=True) for _ in range(4))
    entry_id = add("a")
    seen = []
    for _ in range(3):
        relay.deliver_due()
        now = outbox_clock.time()
        seen.append((waits(outbox, entry_id, outbox_clock), relay.holds.seconds_held(now)))
        outbox_clock.advance(waits(outbox, entry_id, outbox_clock))
    # the entry: 0.5, 1, 2 s; the whole relay: not at the first failure, then 0.5, 1 s
    assert seen == [(0.5, None), (1.0, 0.5), (2.0, 1.0)]
    assert relay.holds.status(outbox_clock.time() - 2.0) == RelayStatus(
        "waiting", "server failed: Internal error (HTTP 500)", outbox_clock.time() - 1.0)
    relay.deliver_due()
    entry = outbox.get(entry_id)
    assert (entry.state, entry.attempts, entry.check_before_send) == ("parked", 4, True)
    assert entry.last_error == "Internal error (HTTP 500)"
    assert deliverer.sent == 4 and deliverer.checks == 3


@pytest.mark.parametrize("before", ["delivered", "refused"])
def test_an_answer_ends_the_failures_in_a_row(relay: OutboxRelay, outbox: Outbox, deliverer: ScriptedDeliverer,
                                              add: Add, before: str) -> None:
    if before == "refused":
        deliverer.outcomes.append(ValidationError("Serial number SN-9 is not available"))
    else:
        deliverer.outcomes.append("ok")
    deliverer.outcomes.append(ServerError("Internal error", status=500))
    first, poison, fine = add("a"), add("b", document="doc-2"), add("c", document="doc-3")
    assert relay.deliver_due() == 3  # one failure after an answer: only that entry waits
    assert [outbox.get(i).state for i in (first, poison, fine)] == [
        "delivered" if before == "delivered" else "failed", "pending", "delivered"]


def test_signing_in_again_ends_the_failures_in_a_row(relay: OutboxRelay, outbox: Outbox,
                                                     deliverer: ScriptedDeliverer, add: Add) -> None:
    deliverer.outcomes.extend([ServerError("Internal error", status=500), SignInAgain("refresh token refused"),
                               ServerError("Internal error", status=500)])
    first, second, third = add("a"), add("b", document="doc-2"), add("c", document="doc-3")
    assert relay.deliver_due() == 2 and relay.holds.paused is not None
    relay.resume()
    # "b" fails once more: the first failure since signing in, so "c" still goes
    assert relay.deliver_due() == 2
    assert [outbox.get(i).state for i in (first, second, third)] == ["pending", "pending", "delivered"]


def test_a_rate_limit_without_retry_after_waits_the_policys_time_and_flush_honours_it(
        relay: OutboxRelay, outbox: Outbox, outbox_clock: FakeClock, deliverer: ScriptedDeliverer,
        add: Add) -> None:
    deliverer.outcomes.extend([RateLimited("too many requests"), Offline("cannot connect to www.zohoapis.com")])
    entry_id = add("a")
    relay.deliver_due()
    now = outbox_clock.time()
    assert waits(outbox, entry_id, outbox_clock) == 30.0 and relay.holds.seconds_held(now) == 30.0
    relay.holds.cut_short()  # what a flush does: a rate limit is still honoured
    assert relay.holds.holding(now) and relay.deliver_due() == 0
    outbox_clock.advance(30)
    relay.deliver_due()  # now offline: that wait a flush may cut short
    assert relay.holds.holding(outbox_clock.time())
    relay.holds.cut_short()
    assert not relay.holds.holding(outbox_clock.time())


def test_a_short_retry_after_is_not_lengthened(relay: OutboxRelay, outbox: Outbox, outbox_clock: FakeClock,
                                               deliverer: ScriptedDeliverer, add: Add) -> None:
    deliverer.outcomes.append(RateLimited("too many requests", retry_after=0.5))
    entry_id = add("a")
    relay.deliver_due()
    entry = outbox.get(entry_id)
    assert (entry.attempts, waits(outbox, entry_id, outbox_clock)) == (0, 0.5)


def test_once_the_vendor_said_not_applied_a_refusal_leaves_nothing_to_check(
        relay: OutboxRelay, outbox: Outbox, outbox_clock: FakeClock, deliverer: ScriptedDeliverer,
        add: Add) -> None:
    deliverer.outcomes.extend([Offline("no answer within 30 s", maybe_applied=True),
                               ValidationError("Serial number SN-9 is not available")])
    entry_id = add("a")
    relay.deliver_due()
    assert outbox.get(entry_id).check_before_send
    outbox_clock.advance(POLICY.max_backoff_seconds)
    relay.deliver_due()  # checked: not applied; sent: refused
    entry = outbox.get(entry_id)
    assert (entry.state, entry.check_before_send, deliverer.checks, deliverer.sent) == ("failed", False, 1, 2)


def test_a_delivery_to_the_stations_own_store_logs_no_error(relay: OutboxRelay, outbox: Outbox, add: Add,
                                                            caplog: pytest.LogCaptureFixture) -> None:
    entry_id = add("a")
    with caplog.at_level(logging.WARNING):
        relay.deliver_due()
    assert outbox.get(entry_id).state == "delivered"
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_only_a_deliverers_own_bug_is_logged_as_an_error(relay: OutboxRelay, outbox: Outbox, outbox_clock: FakeClock,
                                                         deliverer: ScriptedDeliverer, add: Add,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    deliverer.outcomes.extend([Offline("cannot connect to www.zohoapis.com"), KeyError("bundle_id")])
    add("a")
    with caplog.at_level(logging.INFO):
        relay.deliver_due()  # offline: routine, not an error
        assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []
        outbox_clock.advance(POLICY.max_backoff_seconds)
        relay.deliver_due()  # the deliverer's own bug: an error, with its traceback
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and errors[0].exc_info is not None and errors[0].exc_info[0] is KeyError


# -- flush -------------------------------------------------------------------------------------

def test_flush_refuses_with_its_sentence(make_relay: MakeRelay) -> None:
    with pytest.raises(OutboxError) as raised:
        make_relay().flush(1)
    assert str(raised.value) == "the outbox relay is not running: start() it first"


def test_flush_returns_what_is_left_when_its_time_is_up(running: OutboxRelay, still: StillTime,
                                                        deliverer: ScriptedDeliverer, add: Add) -> None:
    deliverer.outcomes.append(RateLimited("too many requests", retry_after=42))
    entry_id = add("a")
    still.sleeps(2)  # the relay waits out the rate limit: time stands still
    left = returns_within(lambda: running.flush(0.3))
    assert [(e.entry_id, e.state) for e in left] == [(entry_id, "pending")]


def test_flush_with_nothing_to_deliver_returns_at_once(make_relay: MakeRelay, add: Add) -> None:
    made = make_relay()
    made.start()
    assert returns_within(lambda: made.flush(60)) == []
    add("a")
    assert made.flush(5) == []
    assert returns_within(lambda: made.flush(60)) == []  # the delivery is over: nothing is being tried


def test_flush_waits_for_the_delivery_it_asked_for(running: OutboxRelay, still: StillTime, outbox: Outbox,
                                                   deliverer: ScriptedDeliverer, add: Add) -> None:
    deliverer.outcomes.append(ServerError("Internal error", status=500))
    entry_id = add("a")
    still.sleeps(2)  # the entry waits half a second that never passes
    assert running.flush(60) == []  # (a flush that did not cut the wait short would return the entry)
    assert outbox.get(entry_id).state == "delivered"


# -- status and the worker thread ------------------------------------------------------------

def test_a_relay_not_started_is_stopped_and_says_nothing_when_stopped(make_relay: MakeRelay) -> None:
    made = make_relay()
    heard: list[RelayStatus] = []
    made.status_changed.connect(heard.append)
    assert made.status == RelayStatus("stopped") and not made.running
    made.stop()
    assert heard == [] and made.status == RelayStatus("stopped")


def test_the_worker_is_the_outbox_relay_thread(make_relay: MakeRelay) -> None:
    made = make_relay()
    made.start()
    assert [t.name for t in threading.enumerate()].count("outbox-relay") == 1
    assert made.status == RelayStatus("running")


def test_the_real_wait_ends_when_woken_or_when_its_time_is_up() -> None:
    wake = threading.Event()
    assert returns_within(lambda: wait_on_event(wake, 0.01)) is False
    wake.set()
    assert returns_within(lambda: wait_on_event(wake, 3600)) is True


# -- the relay lock ----------------------------------------------------------------------------

def test_the_lock_next_to_the_database_keeps_a_second_relay_out(make_relay: MakeRelay, outbox: Outbox) -> None:
    path = outbox.store.path
    window = RelayLock(path.with_name(path.name + ".relay-lock"))  # what the window or the CLI holds
    assert window.acquire()
    try:
        with pytest.raises(RelayBusy) as raised:
            make_relay().start()
        assert str(raised.value) == f"another scanner-app process is delivering the outbox of {path}"
    finally:
        window.release()


def test_the_lock_passed_in_is_the_one_taken(make_relay: MakeRelay, tmp_path: Path) -> None:
    other = RelayLock(tmp_path / "shared.relay-lock")
    assert other.acquire()
    made = make_relay(lock=RelayLock(tmp_path / "shared.relay-lock"))
    with pytest.raises(RelayBusy):
        made.start()
    other.release()
    made.start()
    assert made.running


def test_one_holder_at_a_time_and_the_next_one_after_release(tmp_path: Path) -> None:
    path = tmp_path / "inventory.sqlite3.relay-lock"
    first, second = RelayLock(path), RelayLock(path)
    assert not first.held and not second.held
    assert first.acquire() and first.held and path.exists()
    assert first.acquire()  # taking it again while holding it: still held
    assert not second.acquire() and not second.held
    first.release()
    assert not first.held
    first.release()  # idempotent
    assert second.acquire() and second.held
    second.release()
    assert first.acquire()
    first.release()


class EchoingDeliverer(ScriptedDeliverer):
    """A cloud system's deliverer: it writes what it delivered into the local copy, and
    notes the time the local copy stamps its rows with."""

    def __init__(self) -> None:
        super().__init__()
        self.stamped: list[float] = []

    def record_locally(self, local: Any, entry: OutboxEntry, result: Any) -> None:
        self.stamped.append(local.now())


def test_the_local_copy_of_a_delivery_is_stamped_by_the_outboxs_clock(
        make_relay: MakeRelay, add: Add, outbox: Outbox, outbox_clock: FakeClock) -> None:
    """The local copy's rows (a mapping's ``mapped_at``) carry the outbox's time, the one
    the station's entries and waits go by, not the machine's clock read apart."""
    from tests.outbox.helpers import KIND

    echo = EchoingDeliverer()
    relay = make_relay(policy=POLICY, rng=NoJitter(), deliverers={KIND: echo})
    relay.recover()
    entry_id = add("A")
    relay.deliver_due()
    assert outbox.get(entry_id).state == "delivered"
    assert echo.stamped == [outbox_clock.time()]
