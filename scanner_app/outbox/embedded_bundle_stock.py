"""Stock arithmetic of the embedded inventory for assemblies: where a component's stock
is taken from, and where the built kits go. The assemble workflow reads the same rule
(:func:`available`), so what the bench is told is in stock is what building takes.

The place of an assembly is a warehouse and, optionally, a bin (``item_stock`` rows):

- with a bin, components come out of that bin and the kits go into it;
- without one, the warehouse's stock counts wherever it is: components come first out of
  the bins their scanned serials or batches are in, then out of the warehouse's stock
  without a bin, then out of its bins in the order of their codes; the kits go to the
  warehouse's stock without a bin.

Functions take the caller's connection (inside its transaction for writes) and never commit.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

EPSILON = 1e-9  # quantities are REAL: 0.1 + 0.2 must still cover 0.3

_ROWS_SQL = """
SELECT s.bin_id, s.quantity FROM item_stock AS s LEFT JOIN bins AS b ON b.bin_id = s.bin_id
WHERE s.item_id = ? AND s.warehouse_id = ? AND s.quantity > 0
ORDER BY s.bin_id IS NOT NULL, b.code, s.bin_id
"""


class ShortOfStock(Exception):
    """Not enough of an item at the place; ``str()`` says how much there is."""


def available(conn: sqlite3.Connection, item_id: str, warehouse_id: str, bin_id: str | None) -> float:
    """Stock on hand of ``item_id`` at the place (the bin, or the whole warehouse)."""
    if bin_id is not None:
        row = conn.execute("SELECT quantity FROM item_stock WHERE item_id = ? AND warehouse_id = ? AND bin_id = ?",
                           (item_id, warehouse_id, bin_id)).fetchone()
        return max(float(row[0]), 0.0) if row else 0.0
    row = conn.execute("SELECT total(max(quantity, 0)) FROM item_stock WHERE item_id = ? AND warehouse_id = ?",
                       (item_id, warehouse_id)).fetchone()
    return float(row[0])


def take(conn: sqlite3.Connection, item_id: str, quantity: float, warehouse_id: str, bin_id: str | None,
         *, prefer_bins: Sequence[str] = ()) -> None:
    """Take ``quantity`` of ``item_id`` out of the place; ShortOfStock (changing nothing)
    when there is not that much."""
    if bin_id is not None:
        rows = [(bin_id, available(conn, item_id, warehouse_id, bin_id))]
    else:
        found = [(b, float(q)) for b, q in conn.execute(_ROWS_SQL, (item_id, warehouse_id))]
        first = [r for p in dict.fromkeys(prefer_bins) for r in found if r[0] == p]
        rows = first + [r for r in found if r not in first]
    have = sum(q for _, q in rows)
    if have + EPSILON < quantity:
        raise ShortOfStock(f"{_amount(quantity)} needed, {_amount(have)} in stock")
    left = quantity
    for row_bin, row_quantity in rows:
        if left <= EPSILON:
            break
        taken = min(row_quantity, left)
        _add(conn, item_id, warehouse_id, row_bin, -taken)
        left -= taken


def put(conn: sqlite3.Connection, item_id: str, quantity: float, warehouse_id: str, bin_id: str | None) -> None:
    """Add ``quantity`` of ``item_id`` to the place."""
    _add(conn, item_id, warehouse_id, bin_id, quantity)


def _add(conn: sqlite3.Connection, item_id: str, warehouse_id: str, bin_id: str | None, delta: float) -> None:
    cursor = conn.execute("UPDATE item_stock SET quantity = quantity + ? WHERE item_id = ? AND warehouse_id = ?"
                          " AND ifnull(bin_id, '') = ifnull(?, '')", (delta, item_id, warehouse_id, bin_id))
    if cursor.rowcount == 0:
        conn.execute("INSERT INTO item_stock (item_id, warehouse_id, bin_id, quantity) VALUES (?, ?, ?, ?)",
                     (item_id, warehouse_id, bin_id, delta))


def _amount(quantity: float) -> str:
    return f"{quantity:g}"
