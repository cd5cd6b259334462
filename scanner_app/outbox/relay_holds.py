"""What holds the outbox relay back, and what one failed attempt does. Qt-free.

The whole relay is held by a pause (a person must sign in again, then
:meth:`RelayHolds.resume`) or by a wait until a time (offline, rate limited, the inventory
system failing several times in a row); one entry is held by its own ``next_attempt_at``.
:meth:`RelayHolds.failed` carries out :func:`~scanner_app.outbox.delivery.judge`'s verdict
on a failed attempt: the entry set aside (failed, or parked once its counted attempts reach
``RetryPolicy.max_attempts``) or put back with its wait, and the relay paused or held.

The relay's worker thread changes these holds; ``resume`` and ``flush`` come from other
threads, so every read and change is under one lock.
"""

from __future__ import annotations

import logging
import random
import threading

from scanner_app.outbox.delivery import RetryPolicy, judge
from scanner_app.outbox.entries import OutboxEntry
from scanner_app.outbox.ledger import RelayLedger
from scanner_app.outbox.relay_status import RelayStatus

# the relay's logger: a failed delivery is logged as the relay's, as it always was
log = logging.getLogger("scanner_app.outbox.relay")


class RelayHolds:
    """The pause and waits of one relay delivering through ``ledger``, timed by ``policy``."""

    def __init__(self, ledger: RelayLedger, policy: RetryPolicy, rng: random.Random) -> None:
        self.ledger = ledger
        self.policy = policy
        self._rng = rng
        self._lock = threading.Lock()
        self._paused: str | None = None  # why, while paused
        self._wait_until = 0.0  # the whole relay waits until then (offline, rate limited)
        self._wait_reason = ""
        self._waiting_for_rate_limit = False
        self._failures_in_a_row = 0

    @property
    def paused(self) -> str | None:
        """Why the relay is paused for sign-in, or None."""
        return self._paused

    def holding(self, now: float) -> bool:
        """Must the whole relay wait at ``now`` (paused, or waiting)?"""
        with self._lock:
            return self._paused is not None or self._wait_until > now

    def resume(self) -> None:
        """A person signed in again: no pause, no wait, no failures counted."""
        with self._lock:
            self._paused = None
            self._wait_until, self._failures_in_a_row = 0.0, 0

    def cut_short(self) -> None:
        """End the relay's wait now, unless it is a rate limit (that one is honoured)."""
        with self._lock:
            if not self._waiting_for_rate_limit:
                self._wait_until = 0.0

    def delivered(self) -> None:
        """An entry went through: the failures in a row are over."""
        with self._lock:
            self._failures_in_a_row = 0

    def failed(self, entry: OutboxEntry, error: Exception, checking: bool, now: float) -> bool:
        """Record ``entry``'s failed attempt at ``now`` (``checking``: it must be checked with
        the inventory system before any resend); True when the relay is now paused."""
        judgement = judge(error)
        check = checking or judgement.may_have_applied
        attempts = entry.attempts + (1 if judgement.counts_attempt else 0)
        if judgement.verdict == "broken":
            log.error("outbox entry %d (%s) could not be delivered", entry.entry_id, entry.kind, exc_info=error)
        else:
            log.info("outbox entry %d (%s): %s", entry.entry_id, entry.kind, error)
        if judgement.verdict in ("refused", "broken"):
            self.ledger.set_aside(entry, "failed", attempts=attempts, check_before_send=check, error=error)
            with self._lock:
                self._failures_in_a_row = 0  # the inventory system answered
            return False
        if judgement.verdict == "pause":
            self.ledger.put_back(entry, next_attempt_at=now, attempts=attempts, check_before_send=check, error=error)
            with self._lock:
                self._paused = f"sign in again: {error}"
            return True
        if judgement.counts_attempt and attempts >= self.policy.max_attempts:
            self.ledger.set_aside(entry, "parked", attempts=attempts, check_before_send=check, error=error)
            return False
        relay_wait, entry_wait = self._waits(judgement.verdict, error, attempts)
        with self._lock:
            self._wait_until = max(self._wait_until, now + relay_wait)
            self._wait_reason = f"{judgement.verdict.replace('_', ' ')}: {error}"
            self._waiting_for_rate_limit = judgement.verdict == "rate_limited"
        self.ledger.put_back(entry, next_attempt_at=now + max(relay_wait, entry_wait), attempts=attempts,
                             check_before_send=check, error=error)
        return False

    def _waits(self, verdict: str, error: Exception, attempts: int) -> tuple[float, float]:
        """(how long the whole relay waits, how long this entry waits)."""
        if verdict == "rate_limited":
            told = getattr(error, "retry_after", None)
            return (told if told is not None else self.policy.rate_limit_wait_seconds), 0.0
        with self._lock:
            self._failures_in_a_row += 1
            in_a_row = self._failures_in_a_row
        if verdict == "offline":  # no network is no network for every entry
            return self.policy.backoff(in_a_row, self._rng), 0.0
        # one failure may be this entry's own doing: only it waits; failures in a row
        # mean the inventory system is in trouble, and the whole relay waits too
        relay_wait = self.policy.backoff(in_a_row - 1, self._rng) if in_a_row > 1 else 0.0
        return relay_wait, self.policy.backoff(max(attempts, 1), self._rng)

    def seconds_held(self, now: float) -> float | None:
        """How long the worker sleeps before looking again while the relay is held, or None."""
        with self._lock:
            if self._paused is not None:
                return self.policy.idle_poll_seconds
            if self._wait_until > now:
                return self._wait_until - now
        return None

    def status(self, now: float) -> RelayStatus | None:
        """``paused`` or the relay's ``waiting`` at ``now``, or None when nothing holds it."""
        with self._lock:
            if self._paused is not None:
                return RelayStatus("paused", self._paused)
            if self._wait_until > now:
                return RelayStatus("waiting", self._wait_reason, self._wait_until)
        return None
