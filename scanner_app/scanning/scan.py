"""A scan as it arrives from any source, and the answer the pipeline gives it.

Whatever a source hands over becomes text that can go anywhere (SQLite, a log, a label,
a terminal) before anything reads it: :func:`scanned_text` decodes bytes as UTF-8 with
replacement and turns lone surrogates (a command line's undecodable bytes under
``surrogateescape``, a wedge's stray UTF-16 halves) into U+FFFD. ``Scan`` applies it to
``raw`` itself, so no scan path can forget it. Control characters stay: they are data
(GS1 separators) and are shown as visible tokens (``codes.display.visible``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from enum import Enum

from scanner_app.codes.classification import Classification
from scanner_app.codes.display import without_surrogates
from scanner_app.inventory.models import LookupResult


class ScanSource(str, Enum):
    WEDGE = "wedge"  # USB HID keyboard-wedge scanner
    MANUAL = "manual"  # typed into the manual entry field
    CAMERA = "camera"
    SERIAL = "serial"  # serial-port (CDC/COM) scanner
    CLI = "cli"


def scanned_text(data: str | bytes | bytearray | None) -> str:
    """What a source sent, as text safe to store and show: never raises."""
    if data is None:
        return ""
    if isinstance(data, (bytes, bytearray)):
        return bytes(data).decode("utf-8", errors="replace")
    if not isinstance(data, str):
        return scanned_text(str(data))
    return without_surrogates(data)


@dataclass(frozen=True)
class Scan:
    raw: str  # decoded by scanned_text: bytes and lone surrogates are made safe on the way in
    source: ScanSource
    received_at: float = field(default_factory=time.time)  # wall clock, for the history
    capture_ms: float | None = None  # first key to terminator, for wedge scans

    def __post_init__(self) -> None:
        if type(self.raw) is not str or not self.raw.isascii():
            object.__setattr__(self, "raw", scanned_text(self.raw))


@dataclass(frozen=True)
class ScanOutcome:
    scan: Scan
    classification: Classification
    result: LookupResult
    timings_ms: dict[str, float]  # stage -> milliseconds ("capture", "classify", "lookup")
