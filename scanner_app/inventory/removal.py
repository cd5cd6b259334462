"""Taking items out of the embedded inventory: what a full catalogue sync does with items
the cloud inventory no longer lists (deleted there), so a scan of one says "not found"
instead of showing a product that is gone.

An item goes with everything that hangs off it: its stock lines, serial numbers and
batches (the schema cascades those), its place in kits (as a kit or as a component),
and every code of the lookup index that named it, its serials or its batches (the
``codes`` table has no foreign keys, so those are deleted here). Warehouses and bins stay.
Runs inside the caller's write transaction.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterator, Sequence

CHUNK = 500  # ids per statement, well under SQLite's limit on bound parameters


def _chunks(ids: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(ids), CHUNK):
        yield ids[start:start + CHUNK]


def stored_item_ids(conn: sqlite3.Connection) -> set[str]:
    return {str(row[0]) for row in conn.execute("SELECT item_id FROM items")}


def remove_items(conn: sqlite3.Connection, item_ids: Collection[str]) -> int:
    """Delete ``item_ids`` and what belongs to them; returns how many items were deleted."""
    removed = 0
    for chunk in _chunks(sorted(item_ids)):
        marks = ", ".join("?" * len(chunk))
        owned = [str(row[0]) for row in conn.execute(
            f"SELECT serialnumber_id FROM serial_numbers WHERE item_id IN ({marks}) "
            f"UNION ALL SELECT batch_id FROM batches WHERE item_id IN ({marks})", (*chunk, *chunk))]
        targets = [*chunk, *owned]
        conn.executemany("DELETE FROM codes WHERE target_id = ?", ((target,) for target in targets))
        conn.execute(f"DELETE FROM composite_mapped_items WHERE composite_item_id IN ({marks}) "
                     f"OR item_id IN ({marks})", (*chunk, *chunk))
        # serials before batches: a serial may name a batch of the same item
        conn.execute(f"DELETE FROM serial_numbers WHERE item_id IN ({marks})", tuple(chunk))
        removed += conn.execute(f"DELETE FROM items WHERE item_id IN ({marks})", tuple(chunk)).rowcount
    return removed
