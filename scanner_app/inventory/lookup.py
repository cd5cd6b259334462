"""Answering a scan from the embedded inventory: a ``Classification`` in, a
``LookupResult`` out.

What each kind of scan is matched against:

* GTIN / ISBN: the item whose upc, ean or isbn has that GTIN-14. When no item has it,
  the digits are tried as a text code too (a numeric SKU or serial number passes the
  GS1 check digit one time in ten), with a note saying so.
* GS1 element string: AI 01 (or 02) names the item; with AI 21 the result is that serial
  number *of that item* (kind ``serial``), with AI 10 that batch of that item, matched by
  batch number or manufacturer batch number (kind ``batch``). A GS1 label without a GTIN
  is matched by AI 414 (GLN), then AI 00 (SSCC) as text codes, then AI 21 as a serial
  and AI 10 as a batch. ``result.gs1`` is always the decoded element string.
* Text: item SKU, item part number, serial number, batch number, manufacturer batch
  number, bin code, in that order (``code_keys.KIND_ORDER``), case-insensitively. When
  the code names several things the first wins and a note names the others.
* Invalid / empty: status ``invalid`` with the classifier's reason; nothing is queried.

A serial or batch asked for by a GS1 label that the item does not have is ``not_found``
with the item still attached, so the screen can say *which* item lacks it.

Every query is a B-tree search on a primary key or index (a test checks the plans).

Any ``Classification`` is answered, never an exception: lone surrogates (which SQLite
cannot take) are read as U+FFFD first (``codes.display.without_surrogates``; a ``Scan``
already does this for every scan source, so this only guards other callers).
"""

from __future__ import annotations

import sqlite3
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from scanner_app.codes.classification import Classification, CodeKind
from scanner_app.codes.display import has_surrogates, without_surrogates
from scanner_app.inventory import code_keys as K
from scanner_app.inventory.models import Batch, Item, LookupResult, SerialNumber
from scanner_app.inventory.records import load_batch, load_bin, load_item, load_serial

_PER_KIND = 16  # matches read per kind: enough to say "also matches 3 serial numbers"

_BY_GTIN_SQL = "SELECT target_id FROM codes WHERE code = ? AND kind = 'gtin' ORDER BY target_id LIMIT 2"
# One statement, one bounded index search per kind: a batch number shared by thousands
# of items can neither slow the lookup down nor crowd out the SKU that takes precedence.
_BY_TEXT_SQL = " UNION ALL ".join(
    f"SELECT * FROM (SELECT kind, target_id FROM codes WHERE code = :key AND kind = '{kind}' LIMIT {_PER_KIND})"
    for kind in K.KIND_ORDER
)
_SERIAL_OF_ITEM_SQL = """
SELECT s.serialnumber_id FROM codes AS c
JOIN serial_numbers AS s ON s.serialnumber_id = c.target_id
WHERE c.code = ? AND c.kind = 'serial' AND s.item_id = ?
ORDER BY s.serialnumber = ? DESC LIMIT 1
"""
_BATCH_OF_ITEM_SQL = """
SELECT b.batch_id FROM codes AS c
JOIN batches AS b ON b.batch_id = c.target_id
WHERE c.code = ? AND c.kind IN ('batch', 'mfr_batch') AND b.item_id = ?
ORDER BY c.kind = 'batch' DESC, b.status = 'active' DESC, b.expiry_date DESC LIMIT 1
"""

# Which entity a code kind points at.
_ENTITY = {K.GTIN: "item", K.SKU: "item", K.PART_NUMBER: "item", K.SERIAL: "serial",
           K.BATCH: "batch", K.MFR_BATCH: "batch", K.BIN: "bin"}


def lookup(conn: sqlite3.Connection, c: Classification, today: str) -> LookupResult:
    """What ``c`` names in the inventory at ``conn``; ``today`` (ISO date) marks expiry."""
    c = _storable(c)
    if c.kind in (CodeKind.INVALID, CodeKind.EMPTY):
        reason = c.reason or ("Nothing was scanned" if c.kind is CodeKind.EMPTY else "Not a valid code")
        return LookupResult("invalid", gs1=c.gs1, reason=reason)
    if c.kind in (CodeKind.GTIN, CodeKind.ISBN):
        return _by_gtin_scan(conn, c, today)
    if c.kind is CodeKind.GS1:
        return _by_gs1(conn, c, today)
    text = c.text if c.text is not None else c.raw.strip()
    found = _by_text(conn, text, K.KIND_ORDER, c.gs1, today)
    if found is not None:
        return found
    return LookupResult(
        "not_found", gs1=c.gs1, reason=f"No item, serial, batch or bin with code '{_shown(c, text)}'"
    )


def _storable(c: Classification) -> Classification:
    """``c`` with no lone surrogate in what the queries use (raw, text, GS1 values)."""
    parts = [c.raw, c.text or "", *(c.gs1 or {}).values()]
    if not any(has_surrogates(part) for part in parts):
        return c
    gs1 = {ai: without_surrogates(value) for ai, value in c.gs1.items()} if c.gs1 is not None else None
    return replace(c, raw=without_surrogates(c.raw), text=None if c.text is None else without_surrogates(c.text),
                   gs1=gs1, display=without_surrogates(c.display))


def _shown(c: Classification, text: str) -> str:
    return c.display if c.display else text


def _gtin_of(c: Classification) -> str | None:
    if c.gtin14:
        return c.gtin14
    if c.isbn13:
        return c.isbn13.zfill(14)
    return None


def _item_by_gtin(conn: sqlite3.Connection, gtin14: str) -> tuple[Item | None, list[str]]:
    ids = [r[0] for r in conn.execute(_BY_GTIN_SQL, (gtin14,))]
    if not ids:
        return None, []
    notes = [f"GTIN {gtin14} is on more than one item; showing the first"] if len(ids) > 1 else []
    return load_item(conn, ids[0]), notes


def _by_gtin_scan(conn: sqlite3.Connection, c: Classification, today: str) -> LookupResult:
    gtin = _gtin_of(c)
    if gtin is None:
        return LookupResult("invalid", gs1=c.gs1, reason=c.reason or "The GTIN could not be read")
    item, notes = _item_by_gtin(conn, gtin)
    if item is not None:
        return _item_result(item, c.gs1, notes)
    # A numeric SKU, part number or serial can pass the check digit by chance.
    digits = c.text or _strip_symbology(c)
    found = _by_text(conn, digits, K.KIND_ORDER, c.gs1, today) if digits else None
    if found is not None:
        note = f"No item has GTIN {gtin}; '{digits}' matched as a code instead"
        return _with_notes(found, [note])
    what = "ISBN" if c.kind is CodeKind.ISBN else "GTIN"
    shown = c.isbn13 if c.kind is CodeKind.ISBN and c.isbn13 else gtin
    return LookupResult("not_found", gs1=c.gs1, reason=f"No item with {what} {shown}")


def _strip_symbology(c: Classification) -> str:
    raw = c.raw.strip()
    if c.symbology and raw.startswith(c.symbology):
        raw = raw[len(c.symbology):]
    return raw


def _by_gs1(conn: sqlite3.Connection, c: Classification, today: str) -> LookupResult:
    ai = c.gs1 or {}
    gtin = ai.get("01") or ai.get("02") or c.gtin14
    if gtin is None:
        return _gs1_without_gtin(conn, c, ai, today)
    item, notes = _item_by_gtin(conn, gtin)
    if item is None:
        return LookupResult("not_found", gs1=c.gs1, reason=f"No item with GTIN {gtin}")
    serial_text, batch_text = ai.get("21"), ai.get("10")
    if serial_text:
        row = conn.execute(
            _SERIAL_OF_ITEM_SQL, (K.text_key(serial_text), item.item_id, serial_text)
        ).fetchone()
        serial = load_serial(conn, row[0]) if row else None
        if serial is None:
            return LookupResult(
                "not_found", item=item, gs1=c.gs1,
                reason=f"{item.name} has no serial number '{serial_text}'",
            )
        notes += _serial_notes(serial)
        if batch_text and serial.batch_id:
            batch = load_batch(conn, serial.batch_id)
            if batch is not None and K.text_key(batch_text) not in (
                K.text_key(batch.batch_number), K.text_key(batch.manufacturer_batch_number or "")
            ):
                notes.append(f"The label says batch '{batch_text}' but the serial is in batch {batch.batch_number}")
        return LookupResult("found", "serial", item=item, serial=serial, gs1=c.gs1, notes=tuple(notes))
    if batch_text:
        row = conn.execute(_BATCH_OF_ITEM_SQL, (K.text_key(batch_text), item.item_id)).fetchone()
        batch = load_batch(conn, row[0]) if row else None
        if batch is None:
            return LookupResult(
                "not_found", item=item, gs1=c.gs1,
                reason=f"{item.name} has no batch '{batch_text}'",
            )
        notes += _batch_notes(batch, today)
        label_expiry = _gs1_date(ai.get("17"))
        if label_expiry and batch.expiry_date and label_expiry != batch.expiry_date:
            notes.append(f"The label's expiry {label_expiry} differs from the batch's {batch.expiry_date}")
        return LookupResult("found", "batch", item=item, batch=batch, gs1=c.gs1, notes=tuple(notes))
    return _item_result(item, c.gs1, notes)


def _gs1_without_gtin(
    conn: sqlite3.Connection, c: Classification, ai: dict[str, str], today: str
) -> LookupResult:
    attempts: list[tuple[str, Sequence[str]]] = [
        ("414", K.KIND_ORDER), ("00", K.KIND_ORDER), ("21", (K.SERIAL,)), ("10", (K.BATCH, K.MFR_BATCH)),
    ]
    tried = []
    for number, kinds in attempts:
        value = ai.get(number)
        if value:
            tried.append(f"({number}) {value}")
            found = _by_text(conn, value, kinds, c.gs1, today)
            if found is not None:
                return found
    detail = ", ".join(tried) if tried else "no GTIN, location, serial or batch on the label"
    return LookupResult("not_found", gs1=c.gs1, reason=f"Nothing in the inventory matches the GS1 label: {detail}")


def _gs1_date(value: str | None) -> str | None:
    """GS1 YYMMDD to ISO, for comparing with a batch's expiry; None when the day is 00
    ("end of the month") or the value is not a date. Years are read as 20YY."""
    if not value or len(value) != 6 or not value.isdigit():
        return None
    if value[4:] == "00":
        return None
    return f"20{value[0:2]}-{value[2:4]}-{value[4:6]}"


def _by_text(
    conn: sqlite3.Connection, text: str, kinds: Sequence[str], gs1: dict[str, str] | None, today: str
) -> LookupResult | None:
    key = K.text_key(text)
    if not key:
        return None
    allowed = set(kinds)
    matches = sorted(
        ((kind, target) for kind, target in conn.execute(_BY_TEXT_SQL, {"key": key}) if kind in allowed),
        key=lambda m: (K.KIND_RANK[m[0]], m[1]),
    )
    # One entity may match twice (its SKU and part number are the same): count it once.
    entities: dict[tuple[str, str], str] = {}
    for kind, target in matches:
        entities.setdefault((_ENTITY[kind], target), kind)
    if not entities:
        return None
    ordered = list(entities.items())
    (entity, target), kind = ordered[0]
    notes = _ambiguity_notes(text, kind, [k for _, k in ordered[1:]])
    if entity == "item":
        item = load_item(conn, target)
        if item is not None:
            return _item_result(item, gs1, notes)
    elif entity == "serial":
        serial = load_serial(conn, _exact_spelling(conn, text, target, [t for e, t in entities if e == "serial"]))
        if serial is not None:
            notes += _serial_notes(serial)
            return LookupResult("found", "serial", item=load_item(conn, serial.item_id), serial=serial,
                                gs1=gs1, notes=tuple(notes))
    elif entity == "batch":
        batch = load_batch(conn, target)
        if batch is not None:
            notes += _batch_notes(batch, today)
            return LookupResult("found", "batch", item=load_item(conn, batch.item_id), batch=batch,
                                gs1=gs1, notes=tuple(notes))
    else:
        found_bin = load_bin(conn, target)
        if found_bin is not None:
            return LookupResult("found", "bin", bin=found_bin, gs1=gs1, notes=tuple(notes))
    return None  # the index pointed at a row that is gone: treat as not found


def _ambiguity_notes(text: str, winner: str, others: list[str]) -> list[str]:
    if not others:
        return []
    counts = Counter(others)
    listed = ", ".join(
        f"{n}{'+' if n >= _PER_KIND else ''} {K.KIND_WORDS[k]}{'s' if n > 1 else ''}" for k, n in counts.items()
    )
    return [f"'{text}' also matches {listed}; showing the {K.KIND_WORDS[winner]} match"]


def _item_result(item: Item, gs1: dict[str, str] | None, notes: list[str]) -> LookupResult:
    if item.status != "active":
        notes = [*notes, f"{item.name} is {item.status}"]
    return LookupResult("found", "item", item=item, gs1=gs1, notes=tuple(notes))


def _exact_spelling(conn: sqlite3.Connection, text: str, first: str, serial_ids: list[str]) -> str:
    """Of serial numbers that differ only in case (``ab-1`` and ``AB-1``, one code key), the
    one spelled as scanned; ``first`` when none is, or when there is only one."""
    if len(serial_ids) < 2:
        return first
    marks = ", ".join("?" for _ in serial_ids)
    row = conn.execute("SELECT serialnumber_id FROM serial_numbers WHERE serialnumber = ?"
                       f" AND serialnumber_id IN ({marks}) ORDER BY serialnumber_id LIMIT 1",
                       (text.strip(), *serial_ids)).fetchone()
    return first if row is None else str(row[0])


def _serial_notes(serial: SerialNumber) -> list[str]:
    notes = []
    if serial.is_transacted_out:
        notes.append(f"Serial {serial.serialnumber} has been shipped (transacted out)")
    if serial.status != "active":
        notes.append(f"Serial {serial.serialnumber} is {serial.status}")
    return notes


def _batch_notes(batch: Batch, today: str) -> list[str]:
    notes = []
    if batch.is_expired(today):
        notes.append(f"Batch {batch.batch_number} expired on {batch.expiry_date}")
    if batch.status != "active":
        notes.append(f"Batch {batch.batch_number} is {batch.status}")
    return notes


def _with_notes(result: LookupResult, notes: list[str]) -> LookupResult:
    return replace(result, notes=tuple(notes) + result.notes)
