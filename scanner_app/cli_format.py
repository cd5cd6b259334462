"""Readable (non-JSON) text for the CLI's answers, safe for a terminal.

Item names, serials, vendor messages and scanned codes come from outside; printed raw, an
ESC or a C1 CSI in one would drive the terminal (retitle it, clear it, hide a line) and a
bidi override would make a code read backwards. :func:`shown` turns every such character
in a value into a visible token (``<ESC>``, ``<0x9B>``, ``<U+202E>``; ``codes.display``);
:func:`say` is ``print`` for human output, doing the same to every line it prints. Every
command's human printer goes through :func:`say` (and :func:`shown` where a value must not
break its line). JSON output is not touched: ``json.dump`` escapes controls itself.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, TextIO

from scanner_app.codes.display import visible

if TYPE_CHECKING:
    from scanner_app.scanning.scan import ScanOutcome

_WHOLE = sys.maxsize  # values are shown whole: cutting is the printer's choice, not ours


def shown(value: object) -> str:
    """``value`` as text with every control, format (bidi) and separator character as a
    visible token, line breaks included; nothing is cut."""
    text = value if isinstance(value, str) else str(value)
    if text.isprintable():  # C speed; false for every unsafe character
        return text
    return visible(text, _WHOLE)


def say(text: object = "", *, file: TextIO | None = None) -> None:
    """``print`` for the CLI's human output: each line of ``text`` made safe by :func:`shown`
    (the line breaks between lines kept, as the printer meant them)."""
    print("\n".join(shown(line) for line in str(text).split("\n")), file=file)


def format_lookup(outcome: ScanOutcome) -> str:
    r, c = outcome.result, outcome.classification
    lines = [f"{r.status.upper().replace('_', ' ')}: {shown(c.display)}"]
    if r.reason:
        lines.append(f"  {shown(r.reason)}")
    lines.extend(f"  Warning: {shown(note)}" for note in r.notes)
    if r.item is not None:
        item = r.item
        lines.append(f"  Item: {shown(item.name)}")
        for label, value in (("SKU", item.sku), ("GTIN", item.gtin14), ("Part number", item.part_number),
                             ("ISBN", item.isbn), ("Unit", item.unit)):
            if value:
                lines.append(f"  {label}: {shown(value)}")
        tracking = "serial numbers" if item.track_serial_number else "batches" if item.track_batch_number else "none"
        lines.append(f"  Tracking: {tracking}")
        for line in item.stock:
            where = f"{shown(line.warehouse_name)} {shown(line.bin_code or '')}"
            lines.append(f"  Stock: {where} {line.quantity:g}".rstrip())
        for b in item.batches:
            lines.append(f"  Batch {shown(b.batch_number)}: expiry {b.expiry_date or '-'}, "
                         f"{b.balance_quantity:g} {shown(b.status)}")
    if r.serial is not None:
        s = r.serial
        state = "shipped" if s.is_transacted_out else s.status
        lines.append(f"  Serial {shown(s.serialnumber)}: {shown(state)}, {shown(s.warehouse_name or '?')} "
                     f"{shown(s.bin_code or '')}".rstrip())
    if r.batch is not None:
        lines.append(f"  Batch {shown(r.batch.batch_number)}: expiry {r.batch.expiry_date or '-'}")
    if r.bin is not None:
        warehouse = shown(r.bin.warehouse_name or r.bin.warehouse_id)
        lines.append(f"  Bin {shown(r.bin.code)}: {shown(r.bin.name)} ({warehouse})")
    if r.gs1:
        lines.append("  GS1: " + " ".join(f"({ai}){shown(v)}" for ai, v in r.gs1.items()))
    return "\n".join(lines)
