"""Finding a warehouse or a bin by what a person or a script calls it: its id, its name
or (for a bin) the code on its label, case-insensitively. Qt-free."""

from __future__ import annotations

from scanner_app.inventory.models import Bin, Warehouse
from scanner_app.inventory.store import InventoryStore


class PlaceNotFound(LookupError):
    """No warehouse or bin goes by that name; ``str()`` says so and lists the choices."""


def find_warehouse(store: InventoryStore, text: str) -> Warehouse:
    wanted = text.strip().casefold()
    warehouses = store.warehouses()
    for match in ([w for w in warehouses if w.warehouse_id.casefold() == wanted],
                  [w for w in warehouses if w.name.casefold() == wanted]):
        if match:
            return match[0]
    names = ", ".join(f"{w.name} ({w.warehouse_id})" for w in warehouses) or "none"
    raise PlaceNotFound(f"there is no warehouse {text!r}; the inventory has: {names}")


def find_bin(store: InventoryStore, warehouse_id: str, text: str) -> Bin:
    wanted = text.strip().casefold()
    bins = store.bins(warehouse_id)
    for match in ([b for b in bins if b.bin_id.casefold() == wanted], [b for b in bins if b.code.casefold() == wanted],
                  [b for b in bins if b.name.casefold() == wanted]):
        if match:
            return match[0]
    raise PlaceNotFound(f"there is no bin {text!r} in warehouse {warehouse_id}")
