"""``OutboxRelay``: delivers the outbox in the background, exactly once as far as the
inventory system can see.

One worker thread (``outbox-relay``) takes the oldest due entry that is first in its
document (a later entry of a document waits while an earlier one is pending, failed or
parked) and hands it to the :class:`~scanner_app.outbox.delivery.Deliverer` for its kind.

Exactly once:

1. The entry is marked ``in_flight`` and that is committed *before* anything is sent.
2. A call that fails after the request may have reached the server (``maybe_applied``:
   a timeout, a dropped connection, a 5xx on a write) sets ``check_before_send``; so does
   a crash, since ``start()`` turns every entry left ``in_flight`` back into a pending one
   to check. Such an entry is never simply sent again: ``was_applied`` asks the inventory
   system first, and if the write took effect its answer is recorded as delivered.
3. Only one relay delivers an outbox at a time (:class:`~scanner_app.outbox.relay_lock.
   RelayLock`), so an entry in flight in another process is never mistaken for a crash.

Read your own writes: a deliverer for a cloud system (a
:class:`~scanner_app.outbox.delivery.LocalEcho`) writes what the system answered into the
station's store (:class:`~scanner_app.outbox.local_copy.LocalCopy`) on this thread's
connection, in the transaction that marks the entry delivered, whether it was sent now or
found applied by ``was_applied``; subscribers hear "delivered" after both are committed.

What failures do is in :mod:`scanner_app.outbox.delivery`, and how they pause or hold the
relay and the entry in :mod:`scanner_app.outbox.relay_holds`. The relay tells subscribers
how it is doing on :attr:`OutboxRelay.status_changed` (``running``, ``waiting`` with why
and until when, ``paused`` until someone signs in again and calls :meth:`resume`,
``stopped``); entries' changes come on the outbox's ``entry_changed``. Both are emitted
on the relay's thread (or the caller's, for :meth:`resume`): a UI re-posts them.
"""

from __future__ import annotations

import dataclasses
import logging
import random
import sqlite3
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from scanner_app.events import Event
from scanner_app.outbox.delivery import Deliverer, LocalEcho, RetryPolicy
from scanner_app.outbox.entries import OPEN_STATES, EntryChange, OutboxEntry
from scanner_app.outbox.ledger import RelayLedger
from scanner_app.outbox.local_copy import LocalCopy
from scanner_app.outbox.relay_holds import RelayHolds
from scanner_app.outbox.relay_lock import RelayLock
from scanner_app.outbox.relay_status import NoDeliverer, RelayBusy, RelayStatus
from scanner_app.outbox.store import Outbox, OutboxError

log = logging.getLogger(__name__)

Waiter = Callable[[threading.Event, float], object]


def wait_on_event(wake: threading.Event, seconds: float) -> object:
    """The real wait: until ``wake`` is set or ``seconds`` pass."""
    return wake.wait(seconds)


class OutboxRelay:
    """Delivers ``outbox`` entries for ``target`` through ``deliverers`` (by kind).

    ``wait`` is how the worker waits (tests pass one that moves a fake clock on);
    the outbox's ``now`` is the clock the relay reads.
    """

    def __init__(self, outbox: Outbox, target: str, deliverers: Mapping[str, Deliverer], *,
                 policy: RetryPolicy | None = None, wait: Waiter = wait_on_event,
                 rng: random.Random | None = None, lock: RelayLock | None = None) -> None:
        self.outbox = outbox
        self.ledger = RelayLedger(outbox, target)
        self.deliverers = dict(deliverers)
        self.policy = policy or RetryPolicy()
        self.holds = RelayHolds(self.ledger, self.policy, rng or random.Random())
        self.status_changed: Event[RelayStatus] = Event()
        self._wait = wait
        self._lock = lock or RelayLock(outbox.store.path.with_name(outbox.store.path.name + ".relay-lock"))
        self._status = RelayStatus("stopped")
        self._status_lock = threading.RLock()  # one status at a time, in order, to subscribers
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._progress = threading.Condition()
        self._attempting = False  # an entry is being tried: its change may not be announced yet
        self._thread: threading.Thread | None = None

    @property
    def target(self) -> str:
        return self.ledger.target

    @property
    def status(self) -> RelayStatus:
        return self._status

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # -- life ----------------------------------------------------------------------------

    def recover(self) -> list[OutboxEntry]:
        """Take the relay lock (RelayBusy if another relay has it) and turn entries left
        ``in_flight`` by a crash into pending ones to check. ``start()`` does this."""
        if not self._lock.acquire():
            raise RelayBusy(f"another scanner-app process is delivering the outbox of {self.outbox.store.path}")
        return self.ledger.recover_in_flight()

    def start(self) -> None:
        """Recover, then deliver on the ``outbox-relay`` thread until :meth:`stop`."""
        if self.running:
            return
        recovered = self.recover()
        if recovered:
            log.info("outbox: %d entries were in flight when the station stopped; checking them first",
                     len(recovered))
        self._stopping.clear()
        self.outbox.entry_changed.connect(self._on_entry_changed)
        self._thread = threading.Thread(target=self._run, name="outbox-relay")
        self._thread.start()
        self._publish_status()

    def stop(self) -> None:
        """Stop after the call in progress (if any) and wait for the thread; idempotent."""
        self._stopping.set()
        self._wake.set()
        thread, self._thread = self._thread, None
        if thread is not None:
            thread.join()
            self.outbox.entry_changed.disconnect(self._on_entry_changed)
        self._lock.release()
        self._publish_status()
        with self._progress:
            self._progress.notify_all()

    def wake(self) -> None:
        """Look for due entries now (new entries are noticed without this, see announce)."""
        self._wake.set()

    def resume(self) -> None:
        """Deliver again after a pause for sign-in (the person signed in again)."""
        self.holds.resume()
        self._publish_status()
        self.wake()

    def flush(self, timeout: float) -> list[OutboxEntry]:
        """Deliver now (pending entries' waits are cut short, a rate limit is still
        honoured) and wait up to ``timeout`` seconds until nothing deliverable is left, or
        the relay pauses for sign-in. Returns what is left: every entry neither delivered
        nor discarded (failed and parked ones included)."""
        if not self.running:
            raise OutboxError("the outbox relay is not running: start() it first")
        self.ledger.make_due_now()
        self.holds.cut_short()
        self.wake()
        deadline = time.monotonic() + timeout
        with self._progress:
            # an attempt's result is committed before it is announced: wait for both, so a
            # subscriber (a workflow's line states) has heard every change when flush returns
            while (self.holds.paused is None and self.running
                   and (self._attempting or self.ledger.deliverable_count() > 0)):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self._progress.wait(min(remaining, 0.5))
        return self.outbox.entries(states=OPEN_STATES)

    # -- the worker ------------------------------------------------------------------------

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()
            delay = self.policy.idle_poll_seconds
            try:
                self.deliver_due()
                delay = self._seconds_to_next_work()
            except Exception:  # the database itself failed (disk full, ...): keep the thread alive
                log.exception("outbox relay: delivering failed; trying again in %.0f s", delay)
            self._publish_status()
            with self._progress:
                self._progress.notify_all()
            if not self._stopping.is_set():
                self._wait(self._wake, delay)

    def _on_entry_changed(self, change: EntryChange) -> None:
        if change.entry.state == "pending" and change.previous_state != "in_flight":
            self.wake()  # recorded (announce) or retried by a person
        elif change.entry.state == "discarded":
            self.wake()  # the next entry of its document may go now

    def deliver_due(self) -> int:
        """Deliver due entries one by one until none is due, or the relay must wait,
        pause or stop; returns how many were tried. The worker's loop; tests call it
        directly after :meth:`recover`."""
        tried = 0
        while not self._stopping.is_set():
            now = self.outbox.now()
            if self.holds.holding(now):
                break
            entry = self.ledger.next_due(now)
            if entry is None:
                break
            self._attempting = True
            try:
                self._attempt(entry)
            finally:
                with self._progress:
                    self._attempting = False
                    self._progress.notify_all()
            tried += 1
        return tried

    def _attempt(self, entry: OutboxEntry) -> None:
        claimed = self.ledger.claim(entry)
        if claimed is None:
            return  # a person discarded it meanwhile
        deliverer = self.deliverers.get(claimed.kind)
        if deliverer is None:
            problem = NoDeliverer(f"this station cannot deliver {claimed.kind!r} to {self.target}")
            self.ledger.set_aside(claimed, "failed", attempts=claimed.attempts,
                                  check_before_send=claimed.check_before_send, error=problem)
            return
        handed = dataclasses.replace(claimed, earlier_results=self.ledger.earlier_results(claimed))
        check = claimed.check_before_send
        try:
            if check:
                found = deliverer.was_applied(handed)
                if found is not None:
                    log.info("outbox entry %d had been applied already; not sending it again", claimed.entry_id)
                    self._delivered(claimed, found, deliverer, handed)
                    return
                check = False  # certainly not applied: sending is safe
            result = deliverer.deliver(handed)
        except Exception as error:  # noqa: BLE001 - any failure of a delivery is the entry's, held or retried
            if self.holds.failed(claimed, error, check, self.outbox.now()):
                self._publish_status()
            return
        self._delivered(claimed, result, deliverer, handed)

    def _delivered(self, entry: OutboxEntry, result: Mapping[str, Any], deliverer: Deliverer,
                   handed: OutboxEntry) -> None:
        also = None
        if isinstance(deliverer, LocalEcho):  # a cloud system: its local copy shows the delivery at once
            def also(conn: sqlite3.Connection) -> None:
                deliverer.record_locally(LocalCopy(conn, now=self.outbox.now), handed, result)
        self.ledger.delivered(entry, result, also=also)
        self.holds.delivered()

    # -- status ------------------------------------------------------------------------------

    def _seconds_to_next_work(self) -> float:
        now = self.outbox.now()
        held = self.holds.seconds_held(now)
        if held is not None:
            return held
        soonest = self.ledger.soonest_waiting()
        delay = self.policy.idle_poll_seconds
        if soonest is not None:
            delay = min(delay, soonest.next_attempt_at - now)
        return max(delay, 0.001)

    def _current_status(self) -> RelayStatus:
        if not self.running:
            return RelayStatus("stopped")
        now = self.outbox.now()
        held = self.holds.status(now)
        if held is not None:
            return held
        soonest = self.ledger.soonest_waiting()
        if soonest is not None and soonest.next_attempt_at > now and self.ledger.next_due(now) is None:
            return RelayStatus("waiting", soonest.last_error or "", soonest.next_attempt_at)
        return RelayStatus("running")

    def _publish_status(self) -> None:
        with self._status_lock:
            status = self._current_status()
            if status != self._status:
                self._status = status
                self.status_changed.emit(status)
