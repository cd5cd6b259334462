"""The one scan pipeline: every source (wedge, manual, camera, serial port, CLI) hands
its raw string here; it is understood (``codes.classify``), looked up in the local
inventory and answered. Subscribers (the window, the history writer, workflows) hear
about each outcome through ``scanned``.

``process`` only reads: an indexed SQLite lookup that takes well under a millisecond
(``benchmarks/lookup_latency.py``), so the UI thread may call it directly and paint the
answer in the same frame. Writing the history is left to the subscriber that owns the
database-writer thread.
"""

from __future__ import annotations

import time
from typing import Protocol

from scanner_app import days
from scanner_app.codes import classify
from scanner_app.codes.classification import Classification
from scanner_app.config import ScannerSettings
from scanner_app.events import Event
from scanner_app.inventory.models import LookupResult
from scanner_app.scanning.scan import Scan, ScanOutcome


class Lookup(Protocol):
    def lookup(self, c: Classification, *, today: str | None = None) -> LookupResult: ...


class ScanPipeline:
    def __init__(
        self,
        inventory: Lookup,
        settings: ScannerSettings | None = None,
        today: days.Today = days.today,
    ) -> None:
        self.inventory = inventory
        self.settings = settings or ScannerSettings()
        self._today = today
        self.scanned: Event[ScanOutcome] = Event()

    def process(self, scan: Scan) -> ScanOutcome:
        """Understand and answer one scan, tell the subscribers, and return the outcome."""
        t0 = time.perf_counter()
        classification = classify(scan.raw, gs_substitute=self.settings.gs_substitute or None)
        t1 = time.perf_counter()
        result = self.inventory.lookup(classification, today=self._today().isoformat())
        t2 = time.perf_counter()
        timings = {"classify": (t1 - t0) * 1000, "lookup": (t2 - t1) * 1000}
        if scan.capture_ms is not None:
            timings["capture"] = scan.capture_ms
        outcome = ScanOutcome(scan, classification, result, timings)
        self.scanned.emit(outcome)
        return outcome
