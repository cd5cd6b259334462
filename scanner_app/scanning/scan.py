"""A scan as it arrives from any source, and the answer the pipeline gives it."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import Enum

from scanner_app.codes.classification import Classification
from scanner_app.inventory.models import LookupResult


class ScanSource(str, Enum):
    WEDGE = "wedge"  # USB HID keyboard-wedge scanner
    MANUAL = "manual"  # typed into the manual entry field
    CAMERA = "camera"
    SERIAL = "serial"  # serial-port (CDC/COM) scanner
    CLI = "cli"


@dataclass(frozen=True)
class Scan:
    raw: str
    source: ScanSource
    received_at: float = field(default_factory=time.time)  # wall clock, for the history
    capture_ms: float | None = None  # first key to terminator, for wedge scans


@dataclass(frozen=True)
class ScanOutcome:
    scan: Scan
    classification: Classification
    result: LookupResult
    timings_ms: dict[str, float]  # stage -> milliseconds ("capture", "classify", "lookup")
