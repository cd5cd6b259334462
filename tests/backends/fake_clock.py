"""Clocks for the backends. :class:`FakeClock`: ``sleep`` only moves time on, so a test can
wait out a Retry-After of a minute, or an hour of token lifetime, in no time.
:class:`SteppedClock`: time moves only when the test moves it, so a test can see which
threads are held, and until when."""

from __future__ import annotations

import threading
from collections.abc import Callable


class FakeClock:
    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self._wall = start
        self._mono = 1000.0
        self._lock = threading.Lock()
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        with self._lock:
            return self._mono

    def time(self) -> float:
        with self._lock:
            return self._wall

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
        self.advance(seconds)

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._wall += seconds
            self._mono += seconds

    @property
    def slept(self) -> float:
        return sum(self.sleeps)


class SteppedClock:
    """A clock that moves only when the test says so: ``sleep`` blocks its thread until the
    test has moved the time to the sleeper's deadline (:meth:`advance_to`). ``sleeping``
    holds the deadline of each thread asleep now, so a test can wait until every thread
    it started is held (or has gone on) without any real-time wait."""

    def __init__(self, start: float = 1000.0, wall_start: float = 1_800_000_000.0) -> None:
        self._mono = start
        self._wall_offset = wall_start - start
        self._changed = threading.Condition()
        self.sleeping: list[float] = []

    def monotonic(self) -> float:
        with self._changed:
            return self._mono

    def time(self) -> float:
        with self._changed:
            return self._mono + self._wall_offset

    def sleep(self, seconds: float) -> None:
        with self._changed:
            deadline = self._mono + seconds
            self.sleeping.append(deadline)
            self._changed.notify_all()
            try:
                while self._mono < deadline:
                    self._changed.wait()
            finally:
                self.sleeping.remove(deadline)
                self._changed.notify_all()

    def advance_to(self, when: float) -> None:
        with self._changed:
            self._mono = max(self._mono, when)
            self._changed.notify_all()

    def notify(self) -> None:
        """Something a :meth:`wait_for` condition reads has changed (a request arrived, a
        thread finished): check it again."""
        with self._changed:
            self._changed.notify_all()

    def wait_for(self, condition: Callable[[], bool], timeout: float = 10.0) -> bool:
        """Block until ``condition()`` (checked whenever a thread falls asleep or wakes, the
        time moves or :meth:`notify` is called) holds; False after ``timeout`` real seconds
        (only a guard against a hung test, never what a test asserts on)."""
        with self._changed:
            return self._changed.wait_for(condition, timeout)
