"""Readable (non-JSON) text for the CLI's answers."""

from __future__ import annotations

from scanner_app.scanning.scan import ScanOutcome


def format_lookup(outcome: ScanOutcome) -> str:
    r, c = outcome.result, outcome.classification
    lines = [f"{r.status.upper().replace('_', ' ')}: {c.display}"]
    if r.reason:
        lines.append(f"  {r.reason}")
    lines.extend(f"  Warning: {note}" for note in r.notes)
    if r.item is not None:
        item = r.item
        lines.append(f"  Item: {item.name}")
        for label, value in (("SKU", item.sku), ("GTIN", item.gtin14), ("Part number", item.part_number),
                             ("ISBN", item.isbn), ("Unit", item.unit)):
            if value:
                lines.append(f"  {label}: {value}")
        tracking = "serial numbers" if item.track_serial_number else "batches" if item.track_batch_number else "none"
        lines.append(f"  Tracking: {tracking}")
        for line in item.stock:
            lines.append(f"  Stock: {line.warehouse_name} {line.bin_code or ''} {line.quantity:g}".rstrip())
        for b in item.batches:
            lines.append(f"  Batch {b.batch_number}: expiry {b.expiry_date or '-'}, {b.balance_quantity:g} {b.status}")
    if r.serial is not None:
        s = r.serial
        state = "shipped" if s.is_transacted_out else s.status
        lines.append(f"  Serial {s.serialnumber}: {state}, {s.warehouse_name or '?'} {s.bin_code or ''}".rstrip())
    if r.batch is not None:
        lines.append(f"  Batch {r.batch.batch_number}: expiry {r.batch.expiry_date or '-'}")
    if r.bin is not None:
        lines.append(f"  Bin {r.bin.code}: {r.bin.name} ({r.bin.warehouse_name or r.bin.warehouse_id})")
    if r.gs1:
        lines.append("  GS1: " + " ".join(f"({ai}){v}" for ai, v in r.gs1.items()))
    return "\n".join(lines)
