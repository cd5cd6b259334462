"""The places half of the fake Zoho: warehouses and bins in each shape an organisation can
have, and an item's stock rows and a serial's place written in each shape Zoho's records
name places in (the one place rule: ``scanner_app.inventory.place_fields``).

Organisations (``FakePlaces.org``):

* ``"locations"``: the Locations feature (``GET /locations``; ``/settings/warehouses``
  answers too, as Zoho keeps the older list for such organisations).
* ``"warehouses"``: only the older warehouses settings (``GET /locations`` answers an
  error code, as for a feature that is not enabled).
* ``"none"``: neither list answers (the station falls back to the items' stock rows).

``bins_enabled`` False makes ``GET /storagelocations`` answer an error code (bin
locations not enabled). ``bins_without_place`` lists bins without their
``location_id`` unless the request filters by one.

Record shapes (``shape`` of :meth:`stock_rows` and :meth:`serial_place`):

* ``"storages"``: the docs' item shape (items.yml): a ``locations`` row per warehouse
  (``location_id``, ``location_name``, ``location_stock_on_hand``) with its bins in
  ``storages``; a serial names ``location_id`` (its warehouse) and ``storage_location_id``.
* ``"warehouse_and_location"``: a row per bin naming ``warehouse_id`` and the bin as
  ``location_id`` (as validateandmap names them); a serial the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

Answer = tuple[int, dict[str, Any]]
Pager = Callable[[list[dict[str, Any]], dict[str, str], str], Answer]
SHAPES = ("storages", "warehouse_and_location")


class FakePlaces:
    def __init__(self, new_id: Callable[[], str], page: Pager) -> None:
        self._new_id = new_id
        self._page = page
        self.org = "locations"
        self.bins_enabled = True
        self.bins_without_place = False
        self.warehouses: dict[str, dict[str, Any]] = {}
        self.bins: dict[str, dict[str, Any]] = {}

    def routes(self) -> list[tuple[str, str, Callable[..., Answer]]]:
        return [("GET", "/locations", self._list_locations), ("GET", "/settings/warehouses", self._list_warehouses),
                ("GET", "/storagelocations", self._list_bins)]

    # -- seeding ----------------------------------------------------------------------------

    def add_warehouse(self, name: str, *, parent: str | None = None) -> str:
        warehouse_id = self._new_id()
        self.warehouses[warehouse_id] = {"id": warehouse_id, "name": name, "parent": parent}
        return warehouse_id

    def add_bin(self, warehouse_id: str, name: str) -> str:
        bin_id = self._new_id()
        self.bins[bin_id] = {"id": bin_id, "name": name, "warehouse_id": warehouse_id}
        return bin_id

    def stock_rows(self, shape: str, stock: Sequence[tuple[str, str | None, float]]) -> list[dict[str, Any]]:
        """An item's ``locations`` rows for ``(warehouse_id, bin_id or None, quantity)``."""
        if shape == "storages":
            rows: dict[str, dict[str, Any]] = {}
            for warehouse_id, bin_id, quantity in stock:
                row = rows.setdefault(warehouse_id, {
                    "location_id": warehouse_id, "location_name": self.warehouses[warehouse_id]["name"],
                    "status": "active", "is_primary": False, "location_stock_on_hand": 0.0,
                    "location_available_stock": 0.0, "location_actual_available_stock": 0.0, "storages": []})
                for key in ("location_stock_on_hand", "location_available_stock", "location_actual_available_stock"):
                    row[key] += quantity
                if bin_id is not None:
                    row["storages"].append({"storage_location_id": bin_id,
                                            "storage_location_name": self.bins[bin_id]["name"], "quantity": quantity})
            return list(rows.values())
        if shape == "warehouse_and_location":
            out = []
            for warehouse_id, bin_id, quantity in stock:
                row: dict[str, Any] = {"warehouse_id": warehouse_id,
                                       "warehouse_name": self.warehouses[warehouse_id]["name"]}
                if bin_id is not None:
                    row.update(location_id=bin_id, location_name=self.bins[bin_id]["name"],
                               location_stock_on_hand=quantity)
                else:
                    row["warehouse_stock_on_hand"] = quantity
                out.append(row)
            return out
        raise ValueError(f"unknown shape {shape!r}")

    def serial_place(self, shape: str, warehouse_id: str, bin_id: str | None) -> dict[str, Any]:
        """The place fields of a serial number (or batch) record in ``shape``."""
        if shape == "storages":
            place = {"location_id": warehouse_id, "location_name": self.warehouses[warehouse_id]["name"]}
            if bin_id is not None:
                place["storage_location_id"] = bin_id
            return place
        place = {"warehouse_id": warehouse_id, "warehouse_name": self.warehouses[warehouse_id]["name"]}
        if bin_id is not None:
            place.update(location_id=bin_id, location_name=self.bins[bin_id]["name"])
        return place

    # -- answers ------------------------------------------------------------------------------

    def _list_locations(self, query: dict[str, str], body: Any) -> Answer:
        if self.org != "locations":
            return 400, {"code": 1025, "message": "Locations feature is not enabled for this organization."}
        records = [{"location_id": w["id"], "location_name": w["name"], "type": "general", "status": "active",
                    "parent_location_id": w["parent"] or "", "is_primary": n == 0}
                   for n, w in enumerate(self.warehouses.values())]
        return 200, {"code": 0, "message": "success", "locations": records}

    def _list_warehouses(self, query: dict[str, str], body: Any) -> Answer:
        if self.org == "none":
            return 404, {"code": 5, "message": "Invalid URL Passed"}
        records = [{"warehouse_id": w["id"], "warehouse_name": w["name"], "status": "active", "is_primary": n == 0}
                   for n, w in enumerate(self.warehouses.values())]
        return 200, {"code": 0, "message": "success", "warehouses": records}

    def _list_bins(self, query: dict[str, str], body: Any) -> Answer:
        if not self.bins_enabled:
            return 400, {"code": 36001, "message": "Bin locations are not enabled for this organization."}
        wanted = query.get("location_id") or query.get("warehouse_id")
        records = []
        for b in self.bins.values():
            if wanted and b["warehouse_id"] != wanted:
                continue
            record = {"storage_id": b["id"], "name": b["name"], "status": "active", "zone_name": "Zone A",
                      "balance_quantity": 0}
            if not self.bins_without_place or wanted:
                record["location_id"] = b["warehouse_id"]
            records.append(record)
        return self._page(records, query, "storage_locations")
