"""The relay's thread: start and stop, one relay per outbox, flush, live status, entries
recorded without an announcement (another process), and a cooperative stop."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

import pytest

from scanner_app.backends.errors import Offline, SignInAgain, ValidationError
from scanner_app.outbox import Outbox, OutboxError, OutboxRelay, RelayBusy, RelayStatus
from tests.outbox.conftest import TARGET
from tests.outbox.helpers import KIND, ScriptedDeliverer

Add = Callable[..., int]
MakeRelay = Callable[..., OutboxRelay]


def test_start_deliver_stop(make_relay: MakeRelay, outbox: Outbox, add: Add) -> None:
    relay = make_relay()
    seen: list[str] = []
    relay.status_changed.connect(lambda s: seen.append(s.state))
    relay.start()
    entry_id = add("a")
    assert relay.flush(5) == [] and outbox.get(entry_id).state == "delivered"
    relay.stop()
    assert seen[0] == "running" and seen[-1] == "stopped" and not relay.running
    assert not [t for t in threading.enumerate() if t.name == "outbox-relay"]


def test_one_relay_per_outbox(make_relay: MakeRelay, outbox: Outbox) -> None:
    first, second = make_relay(), make_relay(outbox=Outbox(outbox.store))
    first.start()
    with pytest.raises(RelayBusy):
        second.start()
    first.stop()
    second.start()
    assert second.running


def test_flush_needs_a_running_relay(make_relay: MakeRelay) -> None:
    with pytest.raises(OutboxError, match="not running"):
        make_relay().flush(1)


def test_an_entry_recorded_elsewhere_is_found_without_an_announcement(make_relay: MakeRelay, outbox: Outbox,
                                                                     deliverer: ScriptedDeliverer) -> None:
    relay = make_relay()
    relay.start()
    with outbox.store.transaction() as conn:  # as another process would: no announce() here
        entry_id = outbox.enqueue(conn, target=TARGET, document="d", kind=KIND, payload={"key": "elsewhere"})
    deadline = time.monotonic() + 5
    while outbox.get(entry_id).state != "delivered":
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert deliverer.applied["elsewhere"] == 1


def test_flush_returns_what_needs_a_person(make_relay: MakeRelay, deliverer: ScriptedDeliverer, add: Add) -> None:
    deliverer.outcomes.append(ValidationError("serial SN-9 is not available"))
    relay = make_relay()
    relay.start()
    failed, behind, fine = add("a"), add("b"), add("c", document="doc-2")
    left = relay.flush(5)
    assert [(e.entry_id, e.state) for e in left] == [(failed, "failed"), (behind, "pending")]
    assert deliverer.applied == {"c": 1} and fine not in [e.entry_id for e in left]


def test_flush_stops_waiting_when_the_relay_pauses(make_relay: MakeRelay, deliverer: ScriptedDeliverer,
                                                   add: Add) -> None:
    deliverer.outcomes.append(SignInAgain("refresh token refused"))
    relay = make_relay()
    relay.start()
    add("a")
    started = time.monotonic()
    left = relay.flush(30)
    assert time.monotonic() - started < 5 and [e.state for e in left] == ["pending"]
    assert relay.status == RelayStatus("paused", "sign in again: refresh token refused")
    relay.resume()
    assert relay.flush(5) == []


def test_waiting_says_why_and_until_when(make_relay: MakeRelay, deliverer: ScriptedDeliverer, add: Add) -> None:
    release = threading.Event()
    deliverer.outcomes.append(Offline("cannot connect to www.zohoapis.com"))
    waits: list[RelayStatus] = []

    def hold_the_clock(wake: threading.Event, seconds: float) -> object:
        return release.wait(0.01) or wake.wait(0.01)  # time stands still until released

    relay = make_relay(wait=hold_the_clock)
    relay.status_changed.connect(lambda s: waits.append(s) if s.state == "waiting" else None)
    relay.start()
    add("a")
    deadline = time.monotonic() + 5
    while not waits:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert "offline" in waits[0].reason and "cannot connect" in waits[0].reason
    assert waits[0].until is not None and waits[0].until > relay.outbox.now()


def test_stop_lets_the_call_in_progress_finish(make_relay: MakeRelay, outbox: Outbox,
                                               deliverer: ScriptedDeliverer, add: Add) -> None:
    sending, finish = threading.Event(), threading.Event()
    real = deliverer.deliver

    def slow_deliver(entry):  # type: ignore[no-untyped-def]
        sending.set()
        finish.wait(5)
        return real(entry)

    deliverer.deliver = slow_deliver  # type: ignore[method-assign]
    relay = make_relay()
    relay.start()
    first, second = add("a"), add("b", document="doc-2")
    assert sending.wait(5)
    stopper = threading.Thread(target=relay.stop)
    stopper.start()
    finish.set()
    stopper.join(5)
    assert not relay.running
    assert outbox.get(first).state == "delivered" and outbox.get(second).state == "pending"


def test_flush_returns_after_subscribers_heard_the_last_change(make_relay: MakeRelay, outbox: Outbox,
                                                               add: Add) -> None:
    # A change is committed, then announced: flush must not return in between, or a
    # workflow following its entries (the receipt's line states) is read one change behind.
    heard: list[str] = []

    def slow_subscriber(change: object) -> None:
        state = change.entry.state  # type: ignore[attr-defined]
        if state == "delivered":
            time.sleep(0.6)  # longer than flush's poll
        heard.append(state)

    outbox.entry_changed.connect(slow_subscriber)
    relay = make_relay()
    relay.start()
    add("a")
    assert relay.flush(5) == []
    assert heard[-1] == "delivered"
    relay.stop()
