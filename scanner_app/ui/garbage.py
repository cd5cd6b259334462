"""Python's cycle collector and the UI thread's frame budget.

A full (generation 2) collection walks every tracked object of the process, and it runs on
whichever thread happens to allocate when it is due; in the window that is usually the UI
thread. After start-up the process holds a few hundred thousand long-lived objects (PySide6,
httpx, the modules, the window), so a full collection took 40-56 ms in the middle of a
receipt (benchmarks/receive_1000.py: the longest stall, 56 ms, was one gen-2 collection
with 56 ms of UI-thread CPU). ``gc.freeze()`` moves everything alive at that moment into
a permanent generation the collector no longer walks: later collections see only what the
session creates. Objects made before the freeze are still freed by reference counting;
only cycles among them would outlive their use, and start-up objects live as long as the
window anyway.
"""

from __future__ import annotations

import gc
import logging
import time

log = logging.getLogger(__name__)


def load_http_stack() -> None:
    """Import the cloud backends' HTTP stack (httpx, httpcore, ssl; otherwise loaded on first
    use), so that a cloud station freezes it with the rest of start-up: left out, its tens of
    thousands of objects made a later full collection 15 ms. Run it off the UI thread."""
    import scanner_app.backends.http  # noqa: F401


def freeze_start_up_objects() -> int:
    """Collect once, then freeze what is left (call when start-up is done); returns how many
    objects were frozen."""
    started = time.perf_counter()
    gc.collect()
    gc.freeze()
    frozen = gc.get_freeze_count()
    log.info("start-up objects frozen for the cycle collector: %d (%.0f ms)", frozen,
             (time.perf_counter() - started) * 1000)
    return frozen
