"""Measuring how long the UI event loop is blocked: a 1 ms Qt timer records the gaps
between its ticks; any gap well over 1 ms is time the loop could not run (a stall).

Each gap also records the CPU time the UI thread used during it (``time.thread_time``):
a gap the UI thread spent working (a long handler, a paint) shows about as much CPU as
wall time; a gap it spent waiting (for the GIL, or for a CPU the scheduler gave to
another thread) shows almost none. ``cpu_hogs(n)`` runs ``n`` busy processes, a
repeatable stand-in for the other work a shared machine is doing.
"""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, QTimer


@dataclass(frozen=True)
class Gap:
    at: float  # perf_counter at the tick that ended the gap
    ms: float  # wall time since the previous tick
    ui_cpu_ms: float  # CPU time the UI thread used in that time

    @property
    def waiting(self) -> bool:
        """The UI thread mostly did not run (GIL or scheduler), rather than worked."""
        return self.ui_cpu_ms < self.ms / 2


class EventLoopStallMonitor(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(1)
        self._timer.timeout.connect(self._tick)
        self._last = 0.0
        self._last_cpu = 0.0
        self.gaps_ms: list[float] = []
        self.gaps: list[Gap] = []

    def start(self) -> None:
        self.gaps_ms.clear()
        self.gaps.clear()
        self._last, self._last_cpu = time.perf_counter(), time.thread_time()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        ms = (now - self._last) * 1000
        self.gaps_ms.append(ms)
        self.gaps.append(Gap(now, ms, (cpu - self._last_cpu) * 1000))
        self._last, self._last_cpu = now, cpu

    @property
    def longest_ms(self) -> float:
        return max(self.gaps_ms, default=0.0)

    def longest(self, n: int) -> list[Gap]:
        return sorted(self.gaps, key=lambda g: g.ms, reverse=True)[:n]


@contextlib.contextmanager
def cpu_hogs(n: int) -> Iterator[None]:
    """``n`` processes spinning on a core each while the block runs, each in its own session
    (as another program is: on Linux, its own scheduling group)."""
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"], start_new_session=True) for _ in range(n)]
    try:
        yield
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
