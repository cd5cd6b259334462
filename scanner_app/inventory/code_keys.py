"""How a code becomes a key in the lookup index (the ``codes`` table), and which kind
of thing wins when one code names several.

* GTINs (an item's ``upc``, ``ean`` and ``isbn``) are keyed by their GTIN-14, so every
  printed form of one GTIN (UPC-A, EAN-13 with a leading zero, ITF-14, ISBN-10 or -13)
  finds the same item. An 8-digit ``upc`` that is a valid UPC-E is keyed by its UPC-A
  expansion as well, because a scanner reading that label expands it.
* Every other code (SKU, part number, serial number, batch number, manufacturer batch
  number, bin code) is keyed by ``text_key``: surrounding white space stripped and
  case-folded. Matching is case-insensitive on purpose: a scanner on a keyboard wedge
  with Caps Lock on, or a person typing a SKU, flips case, and warehouses do not tell
  ``a-01-01`` from ``A-01-01``. The original spelling stays in the owning table and is
  what the screen shows.

Precedence (``KIND_ORDER``) when one text code names several things: item SKU, item
part number, serial number, batch number, manufacturer batch number, bin code. The
first wins; the lookup adds a note naming the others.
"""

from __future__ import annotations

from typing import Final

from scanner_app.codes.gtin import (
    expand_upc_e,
    gtin14_for_catalogue,
    has_valid_check_digit,
    to_gtin14,
)

GTIN: Final = "gtin"
SKU: Final = "sku"
PART_NUMBER: Final = "part_number"
SERIAL: Final = "serial"
BATCH: Final = "batch"
MFR_BATCH: Final = "mfr_batch"
BIN: Final = "bin"

ITEM_KINDS: Final = (GTIN, SKU, PART_NUMBER)
# Text lookups try these in this order; GTINs are matched only by GTIN scans.
KIND_ORDER: Final = (SKU, PART_NUMBER, SERIAL, BATCH, MFR_BATCH, BIN)
KIND_RANK: Final = {kind: rank for rank, kind in enumerate(KIND_ORDER)}

KIND_WORDS: Final = {
    GTIN: "GTIN",
    SKU: "SKU",
    PART_NUMBER: "part number",
    SERIAL: "serial number",
    BATCH: "batch number",
    MFR_BATCH: "manufacturer batch number",
    BIN: "bin code",
}


def text_key(code: str) -> str:
    """The match key of a SKU, part number, serial, batch number or bin code."""
    return code.strip().casefold()


def catalogue_gtin_keys(field: str, value: str) -> list[str]:
    """The GTIN-14 keys a catalogue ``upc``/``ean``/``isbn`` value is found by.

    Empty when the value is not a valid GTIN/ISBN (the importer reports that).
    """
    keys: list[str] = []
    compact = value if value.isdigit() else "".join(ch for ch in value if ch not in " -")
    primary = to_gtin14(compact) if len(compact) != 10 else gtin14_for_catalogue(compact)
    if primary is not None:
        keys.append(primary)
    if field == "upc" and len(compact) == 8:
        upc_a = expand_upc_e(compact)
        if upc_a is not None and has_valid_check_digit(upc_a) and upc_a.zfill(14) not in keys:
            keys.append(upc_a.zfill(14))
    return keys
