"""A kit's components for one assembly: what is needed for N kits, what is in stock at
the bench's place (the same rule the embedded backend builds with:
:func:`scanner_app.outbox.embedded_bundle_stock.available`), what the scans ticked, and
how the ticked units become the assembly's consumed components. Qt-free."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import replace

from scanner_app.inventory.models import Batch, Bin, Item
from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox.bundles import ConsumedBatch, ConsumedComponent
from scanner_app.outbox.embedded_bundle_stock import available
from scanner_app.workflows.assembly_answers import EPSILON, ComponentLine, amount
from scanner_app.workflows.assembly_records import UnitRow


def place_words(warehouse_name: str, bin_: Bin | None) -> str:
    """Where the assembly takes its components from, as a phrase: "in bin A-01-01"."""
    return f"in bin {bin_.code}" if bin_ is not None else f"in {warehouse_name}"


def component_lines(store: InventoryStore, kit: Item, quantity: int, warehouse_id: str,
                    bin_id: str | None) -> dict[str, ComponentLine]:
    """The kit's components (in the kit's order) for ``quantity`` kits, with stock here."""
    conn = store.connection()
    lines: dict[str, ComponentLine] = {}
    for mapped in kit.mapped_items:
        item = store.get_item(mapped.item_id)
        if item is None:
            continue  # the importer never lets a kit name an unknown item
        lines[item.item_id] = ComponentLine(
            item_id=item.item_id, name=item.name, per_kit=mapped.quantity, needed=mapped.quantity * quantity,
            in_stock=available(conn, item.item_id, warehouse_id, bin_id),
            track_serial_number=item.track_serial_number, track_batch_number=item.track_batch_number,
            is_composite=item.is_composite, status=item.status, sku=item.sku)
    return lines


def with_ticks(lines: dict[str, ComponentLine], units: Iterable[UnitRow]) -> dict[str, ComponentLine]:
    """The lines with their ticked quantities summed from ``units``."""
    ticked: dict[str, float] = {}
    for unit in units:
        ticked[unit.item_id] = ticked.get(unit.item_id, 0.0) + unit.quantity
    return {item_id: replace(line, ticked=ticked.get(item_id, 0.0)) for item_id, line in lines.items()}


def buildable(lines: Iterable[ComponentLine]) -> int:
    """How many kits the stock here is enough for."""
    counts = [math.floor((line.in_stock + EPSILON) / line.per_kit) for line in lines if line.per_kit > 0]
    return min(counts) if counts else 0


def shortage_note(lines: dict[str, ComponentLine], quantity: int, place: str) -> str | None:
    """What stops ``quantity`` kits being built here, and how many can be; None when nothing."""
    reasons = [why for line in lines.values() if (why := line.shortage(place)) is not None]
    inactive = [f"{line.name} is {line.status}" for line in lines.values() if line.status != "active"]
    if not reasons and not inactive:
        return None
    most = buildable(lines.values())
    can = (f"at most {most} kit(s) can be built {place}" if most < quantity and most > 0
           else f"no kit can be built {place} yet" if most < quantity else "")
    return "; ".join(reasons + inactive + ([can[0].upper() + can[1:]] if can else []))


def remaining_words(lines: Iterable[ComponentLine]) -> str:
    """ "Drill 2 more, Tape 1 more" for the lines not ticked off yet."""
    return ", ".join(f"{line.name} {amount(line.remaining)} more" for line in lines if not line.done)


def consumed(lines: dict[str, ComponentLine], units: Iterable[UnitRow],
             batches: dict[str, Batch]) -> tuple[ConsumedComponent, ...]:
    """The assembly's component lines (kit order): quantities, serials and batches."""
    serials: dict[str, list[str]] = {}
    per_batch: dict[str, dict[str, float]] = {}
    totals: dict[str, float] = {}
    for unit in units:
        totals[unit.item_id] = totals.get(unit.item_id, 0.0) + unit.quantity
        if unit.serialnumber:
            serials.setdefault(unit.item_id, []).append(unit.serialnumber)
        if unit.batch_id:
            used = per_batch.setdefault(unit.item_id, {})
            used[unit.batch_id] = used.get(unit.batch_id, 0.0) + unit.quantity
    return tuple(
        ConsumedComponent(line.item_id, line.name, totals.get(line.item_id, 0.0),
                          tuple(serials.get(line.item_id, ())),
                          tuple(ConsumedBatch(b, batches[b].batch_number if b in batches else b, q)
                                for b, q in per_batch.get(line.item_id, {}).items()))
        for line in lines.values() if totals.get(line.item_id))
