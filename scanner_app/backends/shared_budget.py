"""One request budget for every process of a station: :class:`SharedRequestBudget`.

A vendor's rate limit is per organisation, not per process: the window, a cron'd
``scanner-app sync`` and a script dispatching orders on the same station all count against
it. :class:`~scanner_app.backends.pacing.RequestBudget` paces the threads of one process;
this is the same token bucket, kept in a small file in the home folder (e.g.
``data/zoho-request-budget.json``, locked through ``data/zoho-request-budget.lock``) and
changed only under that station-wide lock
(:class:`~scanner_app.backends.station_files.StationLock`), so the configured requests per
minute hold for all of them together, and a 429's hold (:meth:`SharedRequestBudget.hold`)
stops every process.

What the file holds: the tokens left, the wall-clock time they were counted at, and until
when (wall clock) requests are held. Wall-clock time (``Clock.time``), because monotonic
clocks are not comparable between processes; a clock set back is treated as no time
passing, and a hold never lasts longer than ``max_hold_seconds`` from now. A missing or
unreadable file is a full bucket. A waiting process sleeps outside the lock.

The file is written whole (a temporary file and ``os.replace``) without waiting for the
disk: after a power cut the bucket may be full again, which is all that could be lost.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass
from pathlib import Path

from scanner_app.backends.pacing import Clock
from scanner_app.backends.station_files import StationLock, read_file, write_private

log = logging.getLogger(__name__)

# The clock resolution the bucket counts in. Shared state is on the wall clock (~1.8e9 s,
# where floats are ~2.4e-7 s apart), so a wait for the last millionths of a token would not
# move the clock and acquire would spin: a token this close to whole counts as whole, and
# no wait is shorter than this.
RESOLUTION_SECONDS = 1e-3


@dataclass
class _Bucket:
    tokens: float
    counted_at: float  # wall clock
    held_until: float  # wall clock


class SharedRequestBudget:
    """At most ``requests_per_minute`` on average, at most ``burst`` at once, for all the
    processes using ``path``. Thread-safe; a :class:`~scanner_app.backends.pacing.Budget`."""

    def __init__(self, path: Path, requests_per_minute: float, burst: int, clock: Clock, *,
                 max_hold_seconds: float = 900.0) -> None:
        if requests_per_minute <= 0 or burst < 1:
            raise ValueError("requests_per_minute must be positive and burst at least 1")
        self.path = path
        self._rate = requests_per_minute / 60.0  # tokens per second
        self._capacity = float(burst)
        self._clock = clock
        self._max_hold = max_hold_seconds
        self._tolerance = self._rate * RESOLUTION_SECONDS
        self._lock = StationLock(path.with_suffix(".lock"))

    def acquire(self) -> float:
        """Take one request from the station's budget, waiting as long as needed (asleep,
        not holding the lock); returns the wait."""
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock.time()
                bucket = self._read(now)
                wait = bucket.held_until - now
                if wait <= 0:
                    if bucket.tokens >= 1 - self._tolerance:
                        bucket.tokens = max(0.0, bucket.tokens - 1)
                        self._write(bucket)
                        return waited
                    wait = (1 - bucket.tokens) / self._rate
                self._write(bucket)  # as counted now (after a clock was set back, from now on)
            wait = max(wait, RESOLUTION_SECONDS)
            self._clock.sleep(wait)
            waited += wait

    def hold(self, seconds: float) -> None:
        """No process sends anything for ``seconds`` from now (extends, never shortens, a hold)."""
        with self._lock:
            now = self._clock.time()
            bucket = self._read(now)
            bucket.held_until = max(bucket.held_until, now + min(seconds, self._max_hold))
            self._write(bucket)

    def _read(self, now: float) -> _Bucket:
        """The bucket as of ``now``: refilled for the time since it was counted."""
        bucket = self._load()
        if bucket is None:
            return _Bucket(self._capacity, now, 0.0)
        elapsed = max(0.0, now - bucket.counted_at)  # the clock was set back: no time passed
        bucket.tokens = min(self._capacity, max(0.0, bucket.tokens) + elapsed * self._rate)
        bucket.counted_at = now
        bucket.held_until = min(bucket.held_until, now + self._max_hold)
        return bucket

    def _load(self) -> _Bucket | None:
        data = read_file(self.path)
        if data is None:
            return None
        try:
            saved = json.loads(data)
            bucket = _Bucket(float(saved["tokens"]), float(saved["counted_at"]), float(saved["held_until"]))
        except (ValueError, TypeError, KeyError):
            bucket = None
        if bucket is None or not all(map(math.isfinite, (bucket.tokens, bucket.counted_at, bucket.held_until))):
            log.warning("%s is unreadable; starting with a full request budget", self.path)
            return None
        return bucket

    def _write(self, bucket: _Bucket) -> None:
        record = {"tokens": bucket.tokens, "counted_at": bucket.counted_at, "held_until": bucket.held_until}
        try:
            write_private(self.path, json.dumps(record).encode())
        except OSError as exc:
            # Pacing goes on in this process's view; the next writer puts the file right.
            log.warning("could not save the request budget to %s (%s)", self.path, exc)
