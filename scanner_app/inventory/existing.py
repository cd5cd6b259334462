"""What the store already holds, asked the way the importer checks a file against it:
does this warehouse, bin, item or batch exist, and who else owns this code.

Every question is one primary-key or index search. When the store is empty (a first
import), nothing is asked at all: that keeps a 100,000-item first import fast.
"""

from __future__ import annotations

import sqlite3


class ExistingCatalogue:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self.empty = conn.execute(
            "SELECT NOT EXISTS (SELECT 1 FROM items) AND NOT EXISTS (SELECT 1 FROM warehouses)"
        ).fetchone()[0] == 1

    def _one(self, sql: str, *args: str) -> tuple[object, ...] | None:
        if self.empty:
            return None
        row: tuple[object, ...] | None = self._conn.execute(sql, args).fetchone()
        return row

    def warehouse_exists(self, warehouse_id: str) -> bool:
        return self._one("SELECT 1 FROM warehouses WHERE warehouse_id = ?", warehouse_id) is not None

    def bin_warehouse(self, bin_id: str) -> str | None:
        row = self._one("SELECT warehouse_id FROM bins WHERE bin_id = ?", bin_id)
        return None if row is None else str(row[0])

    def bin_with_code(self, warehouse_id: str, code: str) -> str | None:
        """The id of another bin in ``warehouse_id`` printed with ``code`` (any case)."""
        row = self._one(
            "SELECT b.bin_id FROM codes AS c JOIN bins AS b ON b.bin_id = c.target_id "
            "WHERE c.code = ? AND c.kind = 'bin' AND b.warehouse_id = ? LIMIT 1",
            code.strip().casefold(), warehouse_id,
        )
        return None if row is None else str(row[0])

    def item(self, item_id: str) -> tuple[str, bool, bool] | None:
        """(name, track_serial_number, track_batch_number) of a stored item."""
        row = self._one(
            "SELECT name, track_serial_number, track_batch_number FROM items WHERE item_id = ?", item_id
        )
        return None if row is None else (str(row[0]), bool(row[1]), bool(row[2]))

    def batch_item(self, batch_id: str) -> str | None:
        row = self._one("SELECT item_id FROM batches WHERE batch_id = ?", batch_id)
        return None if row is None else str(row[0])

    def code_owners(self, key: str, kind: str) -> list[str]:
        """The ids of what the stored code ``key`` of ``kind`` names."""
        if self.empty:
            return []
        rows = self._conn.execute(
            "SELECT target_id FROM codes WHERE code = ? AND kind = ? LIMIT 8", (key, kind)
        )
        return [str(r[0]) for r in rows]

    def serial_id(self, item_id: str, serialnumber: str) -> str | None:
        row = self._one(
            "SELECT serialnumber_id FROM serial_numbers WHERE item_id = ? AND serialnumber = ?",
            item_id, serialnumber,
        )
        return None if row is None else str(row[0])

    def batch_id(self, item_id: str, batch_number: str) -> str | None:
        row = self._one(
            "SELECT b.batch_id FROM codes AS c JOIN batches AS b ON b.batch_id = c.target_id "
            "WHERE c.code = ? AND c.kind = 'batch' AND b.item_id = ? LIMIT 1",
            batch_number.strip().casefold(), item_id,
        )
        return None if row is None else str(row[0])
