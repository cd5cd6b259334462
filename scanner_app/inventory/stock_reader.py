"""Where things are, as a catalogue file says it: warehouses (Zoho locations), bins
(Zoho storage locations) and an item's stock in them.

Part of the importer's reading pass (see ``catalogue_reader`` for the shapes). A
warehouse or bin may be declared in the file's ``warehouses``/``bins`` arrays, be
already in the store, or be introduced by an item's ``locations``/``storages`` entry
that carries its name; anything else is reported as unknown.
"""

from __future__ import annotations

from scanner_app.inventory.catalogue_rows import (
    BinRow,
    CatalogueRows,
    StockRow,
    WarehouseRow,
)
from scanner_app.inventory.code_keys import text_key
from scanner_app.inventory.existing import ExistingCatalogue
from scanner_app.inventory.place_fields import NamedPlace, named_place, resolve, stock_entries
from scanner_app.inventory.record_fields import FieldReader


class StockReader:
    def __init__(self, rows: CatalogueRows, existing: ExistingCatalogue, *, negative_stock: bool = False) -> None:
        self.negative_stock = negative_stock  # the inventory system's records: stock may be below zero
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
        """An item's stock from its ``locations`` (or ``warehouses``) rows, read by the
        one place rule (:mod:`~scanner_app.inventory.place_fields`)."""
        merged: dict[tuple[str, str | None], float] = {}
        for entry in stock_entries(r, self, negative_allowed=self.negative_stock):
            problems = FieldReader({})
            where = self._known_place(problems, entry.place)
            r.problems.extend(f"{entry.where}: {reason}" for reason in problems.problems)
            if where is not None:
                merged[where] = merged.get(where, 0.0) + entry.quantity
        return [StockRow(w, b, q) for (w, b), q in merged.items()]

    def _known_place(self, r: FieldReader, place: NamedPlace) -> tuple[str, str | None] | None:
        """(warehouse_id, bin_id) of a stock row's place, declaring a warehouse or bin the
        store does not know yet from the name the row gives it."""
        warehouse_id = place.warehouse_id
        if warehouse_id is None or not self._ensure_warehouse(r, warehouse_id, place.warehouse_name, "location_id"):
            return None
        if place.bin_id is None:
            return warehouse_id, None
        known = self.bin_warehouse(place.bin_id)
        if known is None:
            if place.label is None:
                r.problem(f"unknown storage_location_id {place.bin_id!r} (declare it under \"bins\" or give its name)")
                return None
            self.add_bin(r, BinRow(place.bin_id, warehouse_id, place.label, place.bin_name or place.label))
        elif known != warehouse_id:
            r.problem(f"bin {place.bin_id} is in warehouse {known}, not {warehouse_id}")
            return None
        return warehouse_id, place.bin_id

    def place(self, r: FieldReader) -> tuple[str | None, str | None]:
        """The (warehouse_id, bin_id) of a serial number or batch record, by the one
        place rule (:mod:`~scanner_app.inventory.place_fields`): ``location_id`` names the
        bin when ``warehouse_id`` is also given, and the warehouse when not."""
        place = resolve(named_place(r), self)
        warehouse_id, bin_id = place.warehouse_id, place.bin_id
        if bin_id is not None:
            bin_warehouse = self.bin_warehouse(bin_id)
            if bin_warehouse is None:
                r.problem(f"unknown bin {bin_id!r}")
                return warehouse_id if warehouse_id and self.warehouse_known(warehouse_id) else None, None
            if warehouse_id is not None and warehouse_id != bin_warehouse:
                r.problem(f"bin {bin_id} is in warehouse {bin_warehouse}, not {warehouse_id}")
            warehouse_id = bin_warehouse
        if warehouse_id is not None and not self.warehouse_known(warehouse_id):
            r.problem(f"unknown warehouse {warehouse_id!r}")
            return None, None
        return warehouse_id, bin_id
