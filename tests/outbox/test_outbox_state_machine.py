"""A hypothesis state machine for the outbox: entries recorded, delivered through every
kind of failure (refusals, timeouts before and after the server applied, rate limits, a
refused sign-in, checks that fail), crashes before and after the server applied, reopening
the database, people retrying and discarding. After every step, no write was applied
twice and each document's writes reached the server in order; at the end, once the
faults stop, every entry nobody discarded is delivered, each exactly once."""

from __future__ import annotations

import random
import shutil
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from scanner_app.backends.errors import Offline, RateLimited, ServerError, SignInAgain, ValidationError
from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox import Outbox, OutboxRelay
from tests.backends.fake_clock import FakeClock
from tests.outbox.conftest import TARGET, TEST_POLICY
from tests.outbox.helpers import KIND, Crash, ScriptedDeliverer

OUTCOMES: dict[str, Any] = {
    "ok": "ok",
    "applied, answer lost": "apply_then_drop",
    "timeout before applying": Offline("no answer within 30 s", maybe_applied=True),
    "no network": Offline("cannot connect"),
    "server error": ServerError("Internal error", status=500),
    "refused": ValidationError("serial not available", vendor_message="serial not available"),
    "rate limited": RateLimited("too many requests", retry_after=30),
    "sign in again": SignInAgain("refresh token refused"),
}
DOCUMENT_LISTS = st.lists(st.sampled_from(["SO-1", "SO-2"]), min_size=1, max_size=3)


class OutboxMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="outbox-sm-"))
        self.clock = FakeClock()
        self.server = ScriptedDeliverer()  # the other side: survives our crashes
        self.keys: dict[int, str] = {}  # entry id -> key, as recorded
        self.documents: dict[str, str] = {}  # key -> document
        self.discarded: set[str] = set()
        self._open()

    def _open(self) -> None:
        self.store = InventoryStore(self.folder / "inventory.sqlite3")
        self.outbox = Outbox(self.store, now=self.clock.time)
        self.relay = OutboxRelay(self.outbox, TARGET, {KIND: self.server}, policy=TEST_POLICY,
                                 rng=random.Random(3))
        self.relay.recover()

    def _deliver(self) -> None:
        try:
            self.relay.deliver_due()
        except Crash:
            self.relay.stop()  # the process died: the OS drops its lock and its connections
            self.store.close()
            self._open()
        finally:
            self.server.outcomes.clear()

    # -- rules -----------------------------------------------------------------------------

    @initialize(documents=DOCUMENT_LISTS)
    def a_dispatch_is_recorded(self, documents: list[str]) -> None:
        self.record(documents)

    @rule(documents=DOCUMENT_LISTS)
    def record(self, documents: list[str]) -> None:
        """Entries recorded in one transaction, as a workflow does."""
        recorded: dict[int, str] = {}
        with self.store.transaction() as conn:
            for document in documents:
                key = f"k{len(self.keys) + len(recorded)}"
                recorded[self.outbox.enqueue(conn, target=TARGET, document=document, kind=KIND,
                                             payload={"key": key})] = key
                self.documents[key] = document
        self.keys.update(recorded)

    @rule(outcome=st.sampled_from(sorted(OUTCOMES)))
    def deliver(self, outcome: str) -> None:
        self.server.outcomes.append(OUTCOMES[outcome])
        self._deliver()

    @rule(where=st.sampled_from(["apply_then_crash", "crash_before"]))
    def crash_while_delivering(self, where: str) -> None:
        self.server.outcomes.append(where)
        self._deliver()

    @rule()
    def crash_and_reopen(self) -> None:
        self.relay.stop()
        self.store.close()
        self._open()

    @rule()
    def the_check_fails_once(self) -> None:
        self.server.check_outcomes.append(Offline("no network for the check"))
        self._deliver()
        self.server.check_outcomes.clear()

    @rule(seconds=st.sampled_from([1.0, 10.0, 100.0]))
    def time_passes(self, seconds: float) -> None:
        self.clock.advance(seconds)

    @rule()
    def sign_in_again(self) -> None:
        self.relay.resume()

    @precondition(lambda self: bool(self.keys))
    @rule(data=st.data())
    def person_retries(self, data: st.DataObject) -> None:
        waiting = self.outbox.entries(states=["failed", "parked"])
        if waiting:
            self.outbox.retry(data.draw(st.sampled_from(waiting)).entry_id)

    @precondition(lambda self: bool(self.keys))
    @rule(data=st.data())
    def person_discards(self, data: st.DataObject) -> None:
        open_entries = self.outbox.entries(states=["pending", "failed", "parked"])
        if open_entries:
            entry = data.draw(st.sampled_from(open_entries))
            self.outbox.discard(entry.entry_id, "cancelled at the bench")
            self.discarded.add(self.keys[entry.entry_id])

    # -- what must always hold ------------------------------------------------------------------

    @invariant()
    def never_applied_twice(self) -> None:
        assert all(count <= 1 for count in self.server.applied.values()), self.server.applied

    @invariant()
    def nothing_recorded_is_lost_and_delivered_means_applied(self) -> None:
        entries = {e.entry_id: e for e in self.outbox.entries()}
        assert set(entries) == set(self.keys)
        for entry in entries.values():
            assert entry.state != "in_flight"  # between steps nothing is on its way
            if entry.state == "delivered":
                assert self.server.applied[self.keys[entry.entry_id]] == 1

    @invariant()
    def each_document_reaches_the_server_in_order(self) -> None:
        """A write reaches the server only after every earlier write of its document
        did (or a person discarded it)."""
        ids = {key: entry_id for entry_id, key in self.keys.items()}
        position = {key: n for n, key in enumerate(self.server.order)}
        for key, n in position.items():
            for earlier_id, earlier in self.keys.items():
                if earlier_id < ids[key] and self.documents[earlier] == self.documents[key] \
                        and earlier not in self.discarded:
                    assert position.get(earlier, n) < n, (key, earlier, self.server.order)

    def teardown(self) -> None:
        try:
            self._settle()
            self.each_document_reaches_the_server_in_order()
        finally:
            self.relay.stop()
            self.store.close()
            shutil.rmtree(self.folder, ignore_errors=True)

    def _settle(self) -> None:
        """The faults stop and a person retries what failed: everything gets delivered."""
        self.relay.resume()
        for _ in range(4 * TEST_POLICY.max_attempts):
            for entry in self.outbox.entries(states=["failed", "parked"]):
                self.outbox.retry(entry.entry_id)
            self.clock.advance(TEST_POLICY.max_backoff_seconds + 1)
            self.relay.deliver_due()
            if not self.outbox.entries(states=["pending", "failed", "parked"]):
                break
        for entry in self.outbox.entries():
            key = self.keys[entry.entry_id]
            if key in self.discarded:
                assert entry.state == "discarded" and self.server.applied[key] <= 1
            else:
                assert entry.state == "delivered" and self.server.applied[key] == 1, (entry, self.server.applied)


OutboxMachine.TestCase.settings = settings(max_examples=60, stateful_step_count=25, deadline=None,
                                           suppress_health_check=[HealthCheck.too_slow])
TestOutboxStateMachine = OutboxMachine.TestCase
