"""Where things are, as a catalogue file says it: warehouses (Zoho locations), bins
(Zoho storage locations) and an item's stock in them.

Part of the importer's reading pass (see ``catalogue_reader`` for the shapes). A
warehouse or bin may be declared in the file's ``warehouses``/``bins`` arrays, be
already in the store, or be introduced by an item's ``locations``/``storages`` entry
that carries its name; anything else is reported as unknown.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from scanner_app.inventory.catalogue_rows import (
    BinRow,
    CatalogueRows,
    StockRow,
    WarehouseRow,
)
from scanner_app.inventory.code_keys import text_key
from scanner_app.inventory.existing import ExistingCatalogue
from scanner_app.inventory.record_fields import FieldReader


class StockReader:
    def __init__(self, rows: CatalogueRows, existing: ExistingCatalogue) -> None:
        self.rows = rows
        self.existing = existing
        self._bin_codes: dict[tuple[str, str], str] = {}  # (warehouse_id, code key) -> bin_id

    def warehouse_known(self, warehouse_id: str) -> bool:
        return warehouse_id in self.rows.warehouses or self.existing.warehouse_exists(warehouse_id)

    def bin_warehouse(self, bin_id: str) -> str | None:
        row = self.rows.bins.get(bin_id)
        return row.warehouse_id if row else self.existing.bin_warehouse(bin_id)

    def add_bin(self, r: FieldReader, row: BinRow) -> None:
        """Declare a bin; two bins of one warehouse may not share a code."""
        key = (row.warehouse_id, text_key(row.code))
        other = self._bin_codes.get(key)
        if other is None:
            stored = self.existing.bin_with_code(row.warehouse_id, row.code)
            # a stored bin re-declared by this file is checked against the file instead
            if stored is not None and stored != row.bin_id and stored not in self.rows.bins:
                other = stored
        if other is not None and other != row.bin_id:
            r.problem(f"duplicate bin code {row.code!r} in warehouse {row.warehouse_id} (bin {other} has it)")
            return
        self._bin_codes[key] = row.bin_id
        self.rows.bins[row.bin_id] = row

    def _ensure_warehouse(self, r: FieldReader, warehouse_id: str, name: str | None, field: str) -> bool:
        if self.warehouse_known(warehouse_id):
            return True
        if name:
            self.rows.warehouses[warehouse_id] = WarehouseRow(warehouse_id, name)
            return True
        r.problem(f"unknown {field} {warehouse_id!r} (declare it under \"warehouses\" or give its name)")
        return False

    def stock(self, r: FieldReader) -> list[StockRow]:
        """An item's stock from its ``locations`` (or ``warehouses``) list."""
        key = "locations" if r.has("locations") else "warehouses"
        entries = r.record.get(key) or []
        if not isinstance(entries, list):
            r.problem(f"{key} must be a list")
            return []
        merged: dict[tuple[str, str | None], float] = {}
        for i, entry in enumerate(entries):
            loc = FieldReader(entry if isinstance(entry, Mapping) else {})
            self._location(loc, merged)
            for reason in loc.problems:
                r.problem(f"{key}[{i}]: {reason}")
        return [StockRow(w, b, q) for (w, b), q in merged.items()]

    def _location(self, loc: FieldReader, merged: dict[tuple[str, str | None], float]) -> None:
        warehouse_id = loc.text("location_id", "warehouse_id", required=True)
        name = loc.text("location_name", "warehouse_name")
        quantity = loc.quantity(
            "location_stock_on_hand", "warehouse_stock_on_hand", "stock_on_hand", "initial_stock"
        )
        if warehouse_id is None or not self._ensure_warehouse(loc, warehouse_id, name, "location_id"):
            return
        storages: Any = loc.record.get("storages") or []
        if not isinstance(storages, list):
            loc.problem("storages must be a list")
            return
        in_bins = 0.0
        for j, entry in enumerate(storages):
            storage = FieldReader(entry if isinstance(entry, Mapping) else {})
            bin_id = self._storage_bin(storage, warehouse_id)
            amount = storage.quantity("quantity", "stock_on_hand", "storage_stock_on_hand")
            for reason in storage.problems:
                loc.problem(f"storages[{j}]: {reason}")
            if bin_id is not None and not storage.problems:
                merged[(warehouse_id, bin_id)] = merged.get((warehouse_id, bin_id), 0.0) + amount
                in_bins += amount
        rest = quantity - in_bins
        if not storages or rest > 0:
            merged[(warehouse_id, None)] = merged.get((warehouse_id, None), 0.0) + rest

    def _storage_bin(self, storage: FieldReader, warehouse_id: str) -> str | None:
        bin_id = storage.text("storage_location_id", "bin_id", required=True)
        if bin_id is None:
            return None
        known = self.bin_warehouse(bin_id)
        if known is None:
            name = storage.text("storage_location_name", "bin_name", "name")
            code = storage.text("storage_location_code", "bin_code", "code") or name
            if code is None:
                storage.problem(f"unknown storage_location_id {bin_id!r} (declare it under \"bins\" or give its name)")
                return None
            self.add_bin(storage, BinRow(bin_id, warehouse_id, code, name or code))
        elif known != warehouse_id:
            storage.problem(f"bin {bin_id} is in warehouse {known}, not {warehouse_id}")
            return None
        return bin_id

    def place(self, r: FieldReader) -> tuple[str | None, str | None]:
        """The (warehouse_id, bin_id) of a serial number or batch record.

        As in Zoho's ``serialnumber/validateandmap``, ``location_id`` names the bin when
        ``warehouse_id`` is also given, and the warehouse (Zoho's newer word) when not.
        """
        warehouse_id = r.text("warehouse_id")
        if warehouse_id is not None:
            bin_id = r.text("bin_id", "storage_location_id", "location_id")
        else:
            warehouse_id = r.text("location_id")
            bin_id = r.text("bin_id", "storage_location_id")
        if bin_id is not None:
            bin_warehouse = self.bin_warehouse(bin_id)
            if bin_warehouse is None:
                r.problem(f"unknown bin {bin_id!r}")
                return warehouse_id, None
            if warehouse_id is not None and warehouse_id != bin_warehouse:
                r.problem(f"bin {bin_id} is in warehouse {bin_warehouse}, not {warehouse_id}")
            warehouse_id = bin_warehouse
        if warehouse_id is not None and not self.warehouse_known(warehouse_id):
            r.problem(f"unknown warehouse {warehouse_id!r}")
            return None, None
        return warehouse_id, bin_id
