"""AIM symbology identifiers (ISO/IEC 15424): the ``]Cm`` prefix a scanner may send.

Many scanners and decoders can prefix each scan with ``]`` + a code character (which
symbology) + a modifier (options, e.g. "FNC1 in first position" = GS1). It says how to
read the rest: ``]C1`` is GS1-128, ``]E0`` EAN/UPC. It is split off here and kept.

Only identifiers with a known code character are split off, so a SKU that happens to
start with ``]`` is left alone unless it also has a valid-looking identifier. (``]Y``,
system expansion, has a variable-length modifier and is not recognised.)
"""

from __future__ import annotations

import re

# Code characters from ISO/IEC 15424 (plus J, DotCode), all but Y (system expansion).
_IDENTIFIER = re.compile(r"\][A-XZcdeopsz][0-9A-Za-z]")

# Symbologies whose data is a GS1 element string (FNC1 in first position).
GS1_CONTENT = frozenset({"]C1", "]e0", "]e1", "]e2", "]d2", "]Q3", "]J1"})
# EAN/UPC: ]E0 EAN-13/UPC-A/UPC-E, ]E3 the same with an add-on, ]E4 EAN-8.
EAN_UPC = frozenset({"]E0", "]E3", "]E4"})

_NAMES = {
    "]A": "Code 39",
    "]C": "Code 128",
    "]E": "EAN/UPC",
    "]F": "Codabar",
    "]G": "Code 93",
    "]I": "Interleaved 2 of 5",
    "]J": "DotCode",
    "]L": "PDF417",
    "]Q": "QR Code",
    "]d": "Data Matrix",
    "]e": "GS1 DataBar",
    "]z": "Aztec",
}
_GS1_NAMES = {
    "]C1": "GS1-128",
    "]d2": "GS1 DataMatrix",
    "]Q3": "GS1 QR Code",
    "]e0": "GS1 DataBar",
    "]J1": "GS1 DotCode",
    "]I1": "ITF-14",
    "]E4": "EAN-8",
}


def split_symbology(payload: str) -> tuple[str | None, str]:
    """Split a leading AIM identifier off ``payload``: ``(identifier or None, rest)``."""
    if _IDENTIFIER.match(payload):
        return payload[:3], payload[3:]
    return None, payload


def is_gs1_content(symbology: str | None) -> bool:
    """True when the scanner says the data is a GS1 element string."""
    return symbology in GS1_CONTENT


def is_ean_upc(symbology: str | None) -> bool:
    """True when the scanner says the data is an EAN/UPC number."""
    return symbology in EAN_UPC


def symbology_name(symbology: str) -> str:
    """A person's name for an identifier: "GS1-128", "QR Code", or the identifier itself."""
    return _GS1_NAMES.get(symbology) or _NAMES.get(symbology[:2]) or symbology
