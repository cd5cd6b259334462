"""Reading the inventory's rows back as the plain dataclasses of ``models``.

Every reader is a handful of indexed queries by primary key (or by ``item_id`` on an
index), so a lookup stays well under a millisecond with a large catalogue. Readers take
a connection and never write.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from scanner_app.inventory.models import (
    Batch,
    Bin,
    Item,
    MappedItem,
    SerialNumber,
    StockLine,
    Warehouse,
)

_ITEM_SQL = """
SELECT item_id, name, sku, upc, ean, isbn, part_number, unit, status, description,
       track_serial_number, track_batch_number, is_composite, gtin14
FROM items WHERE item_id = ?
"""

_STOCK_SQL = """
SELECT s.warehouse_id, w.name, s.quantity, s.bin_id, b.code
FROM item_stock AS s
JOIN warehouses AS w ON w.warehouse_id = s.warehouse_id
LEFT JOIN bins AS b ON b.bin_id = s.bin_id
WHERE s.item_id = ?
ORDER BY w.name, s.warehouse_id, b.code IS NULL, b.code
"""

_BATCH_COLUMNS = """batch_id, item_id, batch_number, manufacturer_batch_number,
       manufactured_date, expiry_date, balance_quantity, status, warehouse_id, bin_id"""

# Soonest expiry first (first-expired-first-out), batches without expiry last.
_ITEM_BATCHES_SQL = f"""
SELECT {_BATCH_COLUMNS} FROM batches WHERE item_id = ?
ORDER BY expiry_date IS NULL, expiry_date, batch_number
"""

_BATCH_SQL = f"SELECT {_BATCH_COLUMNS} FROM batches WHERE batch_id = ?"

_MAPPED_SQL = """
SELECT m.item_id, i.name, m.quantity, i.sku
FROM composite_mapped_items AS m
JOIN items AS i ON i.item_id = m.item_id
WHERE m.composite_item_id = ?
ORDER BY m.item_order, i.name
"""

_SERIAL_SQL = """
SELECT s.serialnumber_id, s.serialnumber, s.item_id, s.status, s.is_transacted_out,
       s.warehouse_id, w.name, s.bin_id, b.code, s.batch_id
FROM serial_numbers AS s
LEFT JOIN warehouses AS w ON w.warehouse_id = s.warehouse_id
LEFT JOIN bins AS b ON b.bin_id = s.bin_id
WHERE s.serialnumber_id = ?
"""

_BIN_COLUMNS = "b.bin_id, b.warehouse_id, b.code, b.name, w.name"
_BIN_SQL = f"""
SELECT {_BIN_COLUMNS} FROM bins AS b
JOIN warehouses AS w ON w.warehouse_id = b.warehouse_id
WHERE b.bin_id = ?
"""


def _batch(row: Any) -> Batch:
    return Batch(
        batch_id=row[0],
        item_id=row[1],
        batch_number=row[2],
        manufacturer_batch_number=row[3],
        manufactured_date=row[4],
        expiry_date=row[5],
        balance_quantity=float(row[6]),
        status=row[7],
        warehouse_id=row[8],
        bin_id=row[9],
    )


def load_item(conn: sqlite3.Connection, item_id: str) -> Item | None:
    """The item with its stock lines, batches and (for a kit) mapped items."""
    row = conn.execute(_ITEM_SQL, (item_id,)).fetchone()
    if row is None:
        return None
    stock = tuple(
        StockLine(warehouse_id=r[0], warehouse_name=r[1], quantity=float(r[2]), bin_id=r[3], bin_code=r[4])
        for r in conn.execute(_STOCK_SQL, (item_id,))
    )
    batches = tuple(_batch(r) for r in conn.execute(_ITEM_BATCHES_SQL, (item_id,)))
    mapped: tuple[MappedItem, ...] = ()
    if row[12]:
        mapped = tuple(
            MappedItem(item_id=r[0], name=r[1], quantity=float(r[2]), sku=r[3])
            for r in conn.execute(_MAPPED_SQL, (item_id,))
        )
    return Item(
        item_id=row[0],
        name=row[1],
        sku=row[2],
        upc=row[3],
        ean=row[4],
        isbn=row[5],
        part_number=row[6],
        unit=row[7],
        status=row[8],
        description=row[9],
        track_serial_number=bool(row[10]),
        track_batch_number=bool(row[11]),
        is_composite=bool(row[12]),
        gtin14=row[13],
        stock=stock,
        batches=batches,
        mapped_items=mapped,
    )


def load_serial(conn: sqlite3.Connection, serialnumber_id: str) -> SerialNumber | None:
    row = conn.execute(_SERIAL_SQL, (serialnumber_id,)).fetchone()
    if row is None:
        return None
    return SerialNumber(
        serialnumber_id=row[0],
        serialnumber=row[1],
        item_id=row[2],
        status=row[3],
        is_transacted_out=bool(row[4]),
        warehouse_id=row[5],
        warehouse_name=row[6],
        bin_id=row[7],
        bin_code=row[8],
        batch_id=row[9],
    )


def load_batch(conn: sqlite3.Connection, batch_id: str) -> Batch | None:
    row = conn.execute(_BATCH_SQL, (batch_id,)).fetchone()
    return None if row is None else _batch(row)


def _bin(row: Any) -> Bin:
    return Bin(bin_id=row[0], warehouse_id=row[1], code=row[2], name=row[3], warehouse_name=row[4])


def load_bin(conn: sqlite3.Connection, bin_id: str) -> Bin | None:
    row = conn.execute(_BIN_SQL, (bin_id,)).fetchone()
    return None if row is None else _bin(row)


def list_warehouses(conn: sqlite3.Connection) -> list[Warehouse]:
    rows = conn.execute("SELECT warehouse_id, name FROM warehouses ORDER BY name, warehouse_id")
    return [Warehouse(warehouse_id=r[0], name=r[1]) for r in rows]


def list_bins(conn: sqlite3.Connection, warehouse_id: str | None = None) -> list[Bin]:
    base = f"SELECT {_BIN_COLUMNS} FROM bins AS b JOIN warehouses AS w ON w.warehouse_id = b.warehouse_id"
    if warehouse_id is None:
        rows = conn.execute(base + " ORDER BY w.name, b.code")
    else:
        rows = conn.execute(base + " WHERE b.warehouse_id = ? ORDER BY b.code", (warehouse_id,))
    return [_bin(r) for r in rows]
