"""Which catalogue item each Pack.cloud product is: the ``packcloud_products`` table
(migration 0004), read by :class:`ProductLinks` and written by the importer.

A serial-number register (:mod:`scanner_app.inventory.serial_register`) answers with its
own product ids; the station's catalogue has items. One product names one item; an item
may be several products (the same article under two product records). Every query is one
primary-key or index search.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping

from scanner_app.inventory.models import Item
from scanner_app.inventory.store import InventoryStore

_UPSERT = """
INSERT INTO packcloud_products (product_id, item_id) VALUES (?, ?)
ON CONFLICT (product_id) DO UPDATE SET item_id = excluded.item_id
"""


def write_product_links(conn: sqlite3.Connection, links: Mapping[str, str]) -> None:
    """Link each product id to its item id (a product linked before is re-linked)."""
    conn.executemany(_UPSERT, sorted(links.items()))


class ProductLinks:
    """The product links of one store (reads only; the importer writes them)."""

    def __init__(self, store: InventoryStore) -> None:
        self._store = store

    def item_id_for(self, product_id: str) -> str | None:
        row = self._store.connection().execute(
            "SELECT item_id FROM packcloud_products WHERE product_id = ?", (product_id,)
        ).fetchone()
        return None if row is None else str(row[0])

    def item_for(self, product_id: str) -> Item | None:
        """The catalogue item the product is, or None when it is not linked."""
        item_id = self.item_id_for(product_id)
        return None if item_id is None else self._store.get_item(item_id)

    def products_of(self, item_id: str) -> list[str]:
        """The product ids linked to an item (empty when none is)."""
        rows = self._store.connection().execute(
            "SELECT product_id FROM packcloud_products WHERE item_id = ? ORDER BY product_id", (item_id,)
        )
        return [str(row[0]) for row in rows]

    def count(self) -> int:
        return int(self._store.connection().execute("SELECT count(*) FROM packcloud_products").fetchone()[0])
