"""The importer's writing pass: checked rows into the store, inside the caller's
transaction, with ``executemany`` so that 100,000 items take seconds.

Re-importing a record updates it in place (``INSERT ... ON CONFLICT DO UPDATE``, never
``REPLACE``, which would delete the row and cascade to its serials and batches). The
codes of everything written are replaced in the lookup index; an item's stock lines and
a kit's components are replaced only when the record mentioned them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from scanner_app.inventory import code_keys as K
from scanner_app.inventory.catalogue_rows import CatalogueRows
from scanner_app.inventory.product_links import write_product_links

_UPSERT_WAREHOUSE = """
INSERT INTO warehouses (warehouse_id, name) VALUES (?, ?)
ON CONFLICT (warehouse_id) DO UPDATE SET name = excluded.name
"""
_UPSERT_BIN = """
INSERT INTO bins (bin_id, warehouse_id, code, name) VALUES (?, ?, ?, ?)
ON CONFLICT (bin_id) DO UPDATE SET
    warehouse_id = excluded.warehouse_id, code = excluded.code, name = excluded.name
"""
_ITEM_COLUMNS = (
    "item_id", "name", "sku", "upc", "ean", "isbn", "part_number", "unit", "status", "description",
    "track_serial_number", "track_batch_number", "is_composite", "gtin14",
)
_UPSERT_ITEM = (
    f"INSERT INTO items ({', '.join(_ITEM_COLUMNS)}) VALUES ({', '.join('?' * len(_ITEM_COLUMNS))}) "
    "ON CONFLICT (item_id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in _ITEM_COLUMNS[1:])
)
_BATCH_COLUMNS = (
    "batch_id", "item_id", "batch_number", "manufacturer_batch_number", "manufactured_date",
    "expiry_date", "balance_quantity", "status", "warehouse_id", "bin_id",
)
_UPSERT_BATCH = (
    f"INSERT INTO batches ({', '.join(_BATCH_COLUMNS)}) VALUES ({', '.join('?' * len(_BATCH_COLUMNS))}) "
    "ON CONFLICT (batch_id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in _BATCH_COLUMNS[1:])
)
_SERIAL_COLUMNS = (
    "serialnumber_id", "serialnumber", "item_id", "status", "is_transacted_out",
    "warehouse_id", "bin_id", "batch_id",
)
_UPSERT_SERIAL = (
    f"INSERT INTO serial_numbers ({', '.join(_SERIAL_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(_SERIAL_COLUMNS))}) "
    "ON CONFLICT (serialnumber_id) DO UPDATE SET "
    + ", ".join(f"{c} = excluded.{c}" for c in _SERIAL_COLUMNS[1:])
)
_INSERT_CODE = "INSERT OR IGNORE INTO codes (code, kind, target_id) VALUES (?, ?, ?)"


def _replace_codes(
    conn: sqlite3.Connection, kinds: tuple[str, ...], targets: Iterable[str],
    codes: Iterable[tuple[str, str, str]], fresh: bool,
) -> None:
    if not fresh:
        placeholders = ", ".join("?" * len(kinds))
        conn.executemany(
            f"DELETE FROM codes WHERE target_id = ? AND kind IN ({placeholders})",
            ((target, *kinds) for target in targets),
        )
    # in key order: the B-tree fills page by page instead of jumping around
    conn.executemany(_INSERT_CODE, sorted(codes))


def write_catalogue(conn: sqlite3.Connection, rows: CatalogueRows, *, fresh: bool) -> int:
    """Write ``rows``; ``fresh`` (the store was empty) skips clearing old rows.

    Returns the number of stock lines written.
    """
    conn.executemany(_UPSERT_WAREHOUSE, ((w.warehouse_id, w.name) for w in rows.warehouses.values()))
    bins = rows.bins.values()
    conn.executemany(_UPSERT_BIN, ((b.bin_id, b.warehouse_id, b.code, b.name) for b in bins))
    _replace_codes(conn, (K.BIN,), rows.bins, ((K.text_key(b.code), K.BIN, b.bin_id) for b in bins), fresh)

    items = rows.items.values()
    conn.executemany(_UPSERT_ITEM, (
        (i.item_id, i.name, i.sku, i.upc, i.ean, i.isbn, i.part_number, i.unit, i.status, i.description,
         int(i.track_serial_number), int(i.track_batch_number), int(i.is_composite), i.gtin14)
        for i in items
    ))
    _replace_codes(conn, K.ITEM_KINDS, rows.items, _item_codes(rows), fresh)

    stocked = [i for i in items if i.stock is not None]
    if not fresh:
        conn.executemany("DELETE FROM item_stock WHERE item_id = ?", ((i.item_id,) for i in stocked))
    stock_rows = [(i.item_id, s.warehouse_id, s.bin_id, s.quantity) for i in stocked for s in i.stock or ()]
    conn.executemany(
        "INSERT INTO item_stock (item_id, warehouse_id, bin_id, quantity) VALUES (?, ?, ?, ?)", stock_rows
    )
    kits = [i for i in items if i.mapped is not None]
    if not fresh:
        conn.executemany(
            "DELETE FROM composite_mapped_items WHERE composite_item_id = ?", ((i.item_id,) for i in kits)
        )
    conn.executemany(
        "INSERT INTO composite_mapped_items (composite_item_id, item_id, quantity, item_order) "
        "VALUES (?, ?, ?, ?)",
        ((k.item_id, m.item_id, m.quantity, m.item_order) for k in kits for m in k.mapped or ()),
    )

    batches = rows.batches.values()
    conn.executemany(_UPSERT_BATCH, (
        (b.batch_id, b.item_id, b.batch_number, b.manufacturer_batch_number, b.manufactured_date,
         b.expiry_date, b.balance_quantity, b.status, b.warehouse_id, b.bin_id)
        for b in batches
    ))
    batch_codes = [(K.text_key(b.batch_number), K.BATCH, b.batch_id) for b in batches]
    batch_codes += [
        (K.text_key(b.manufacturer_batch_number), K.MFR_BATCH, b.batch_id)
        for b in batches if b.manufacturer_batch_number
    ]
    _replace_codes(conn, (K.BATCH, K.MFR_BATCH), rows.batches, batch_codes, fresh)

    serials = rows.serials.values()
    conn.executemany(_UPSERT_SERIAL, (
        (s.serialnumber_id, s.serialnumber, s.item_id, s.status, int(s.is_transacted_out),
         s.warehouse_id, s.bin_id, s.batch_id)
        for s in serials
    ))
    _replace_codes(
        conn, (K.SERIAL,), rows.serials,
        ((K.text_key(s.serialnumber), K.SERIAL, s.serialnumber_id) for s in serials), fresh,
    )
    write_product_links(conn, rows.product_links)
    return len(stock_rows)


def _item_codes(rows: CatalogueRows) -> Iterable[tuple[str, str, str]]:
    for item in rows.items.values():
        for key in item.gtin_keys:
            yield key, K.GTIN, item.item_id
        if item.sku:
            yield K.text_key(item.sku), K.SKU, item.item_id
        if item.part_number:
            yield K.text_key(item.part_number), K.PART_NUMBER, item.item_id
