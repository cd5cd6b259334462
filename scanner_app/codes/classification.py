"""What a scanned string is: the result type of code understanding.

``Classification`` is the one value every scan source (wedge scanner, camera, serial
port, manual entry) produces through :func:`scanner_app.codes.classify`. It is plain
data: the inventory lookup and the workflows read it, the UI shows it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class CodeKind(str, Enum):
    """The broad kind of a scanned string."""

    GTIN = "gtin"  # GTIN-8/12/13/14, UPC-E expanded; check digit verified
    ISBN = "isbn"  # ISBN-10 or ISBN-13 (978/979); also carries its GTIN-14
    GS1 = "gs1"  # GS1 element string (GS1-128/DataMatrix/QR) or GS1 Digital Link URI
    TEXT = "text"  # candidate SKU, part number, serial number, batch number or bin code
    INVALID = "invalid"  # looks like a code but is wrong (check digit, bad GS1, layout mismatch)
    EMPTY = "empty"  # nothing but white space / control characters


@dataclass(frozen=True)
class Classification:
    """A scanned string, understood.

    ``raw`` is what arrived (group separators as ASCII 29). ``display`` is safe to put on
    a screen: control characters are shown as visible tokens (``<GS>``), never raw.
    """

    raw: str
    kind: CodeKind
    display: str
    # GTIN family: the 14-digit form used for matching, and the printed form's name
    gtin14: str | None = None
    gtin_format: str | None = None  # "GTIN-8", "UPC-A", "UPC-E", "EAN-13", "GTIN-14"
    isbn13: str | None = None
    # GS1 element strings: AI -> value ("01", "10", "11", "17", "21", "30", "37", "414", "00" ...)
    gs1: dict[str, str] | None = None
    # AIM symbology identifier sent by the scanner/decoder, e.g. "]C1", "]d2", "]Q3", "]E0"
    symbology: str | None = None
    # the payload as a candidate SKU / part number / serial / batch / bin code (TEXT kind)
    text: str | None = None
    # for INVALID: why, in words a person understands
    reason: str | None = None
    # for a keyboard-layout mismatch: what the scanner most likely meant to send
    corrected: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_valid(self) -> bool:
        return self.kind not in (CodeKind.INVALID, CodeKind.EMPTY)
