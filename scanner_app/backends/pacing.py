"""Pacing the calls to a vendor: the clock they run on and a client-side request budget.

Zoho Inventory allows about 100 requests per minute per organisation and answers 429
beyond it; Pack.cloud has limits of its own. A station keeps under the limit itself
(:class:`RequestBudget`, a token bucket) instead of learning it from 429s, and when a
429 does come, every thread of the client waits it out together (:meth:`RequestBudget.hold`).
Any :class:`Budget` will do for a client: :class:`~scanner_app.backends.shared_budget.SharedRequestBudget`
is one bucket for every process of the station.

Time comes from a :class:`Clock` so tests can run a minute of pacing in no time.
"""

from __future__ import annotations

import threading
import time
from typing import Protocol


class Clock(Protocol):
    """Where the backends get the time from; tests pass one whose ``sleep`` only advances it."""

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back (for intervals)."""
        ...

    def time(self) -> float:
        """Seconds since the epoch (for expiry times that outlive the process)."""
        ...

    def sleep(self, seconds: float) -> None:
        ...


class SystemClock:
    """The real clock."""

    def monotonic(self) -> float:
        return time.monotonic()

    def time(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class Budget(Protocol):
    """What paces a client's requests (:class:`RequestBudget` and the station-wide one)."""

    def acquire(self) -> float:
        """Wait until one request may be sent and take it from the budget; returns the wait."""
        ...

    def hold(self, seconds: float) -> None:
        """Send nothing for ``seconds`` from now (extends, never shortens, a hold)."""
        ...


_TOKEN_TOLERANCE = 1e-9


class RequestBudget:
    """At most ``requests_per_minute`` on average, at most ``burst`` at once. Thread-safe.

    ``acquire()`` blocks until a request may be sent; ``hold(seconds)`` stops every
    caller for that long (the vendor said Retry-After).
    """

    def __init__(self, requests_per_minute: float, burst: int, clock: Clock) -> None:
        if requests_per_minute <= 0 or burst < 1:
            raise ValueError("requests_per_minute must be positive and burst at least 1")
        self._rate = requests_per_minute / 60.0  # tokens per second
        self._capacity = float(burst)
        self._tokens = float(burst)
        self._clock = clock
        self._lock = threading.Lock()
        self._last = clock.monotonic()
        self._held_until = 0.0

    def acquire(self) -> float:
        """Take one request from the budget, waiting as long as needed; returns the wait."""
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock.monotonic()
                self._tokens = min(self._capacity, self._tokens + (now - self._last) * self._rate)
                self._last = now
                wait = self._held_until - now
                if wait <= 0:
                    # A hair under one token counts as one: the wait for the last femtoseconds
                    # would not move a clock at 1000 s (float spacing), and acquire would spin.
                    if self._tokens >= 1 - _TOKEN_TOLERANCE:
                        self._tokens = max(0.0, self._tokens - 1)
                        return waited
                    wait = (1 - self._tokens) / self._rate
            self._clock.sleep(wait)
            waited += wait

    def hold(self, seconds: float) -> None:
        """Send nothing for ``seconds`` from now (extends, never shortens, a hold)."""
        with self._lock:
            self._held_until = max(self._held_until, self._clock.monotonic() + seconds)
