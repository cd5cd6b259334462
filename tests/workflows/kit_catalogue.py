"""A catalogue for the assemble tests: kits (one of them a kit of kits, one with a component
out of stock) whose components are plain, serial-tracked and batch-tracked, in two
warehouses and their bins; and helpers to scan into an assembly."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox import EMBEDDED_TARGET, Outbox
from scanner_app.workflows.assembly import AssemblyWorkflow
from scanner_app.workflows.assembly_answers import AssemblyAnswer
from tests.workflows.helpers import catalogue_store, places, scanner_for

SCREW_GTIN = "04000001990016"  # Screw pack
GLUE_GTIN = "04000001990023"  # Glue (batch-tracked)


def stock(*places: tuple[str, str | None, float]) -> list[dict[str, Any]]:
    """Zoho ``locations`` for (warehouse, bin or None, quantity) places."""
    by_warehouse: dict[str, list[tuple[str | None, float]]] = {}
    for warehouse, bin_id, quantity in places:
        by_warehouse.setdefault(warehouse, []).append((bin_id, quantity))
    return [{"location_id": w, "location_stock_on_hand": sum(q for _, q in rows),
             "storages": [{"storage_location_id": b, "quantity": q} for b, q in rows if b]}
            for w, rows in by_warehouse.items()]


def kit_catalogue() -> dict[str, Any]:
    def serial(number: str, warehouse: str = "W1", bin_id: str | None = "B1", **extra: Any) -> dict[str, Any]:
        record = {"serialnumber_id": f"sn-{number}", "serialnumber": number, "item_id": "DRL",
                  "status": "active", "warehouse_id": warehouse, **extra}
        if bin_id:
            record["storage_location_id"] = bin_id
        return record

    def batch(number: str, expiry: str, balance: float, warehouse: str = "W1", bin_id: str | None = "B1",
              **extra: Any) -> dict[str, Any]:
        record = {"batch_id": f"bt-{number}", "item_id": "GLU", "batch_number": number, "expiry_date": expiry,
                  "balance_quantity": balance, "status": "active", "location_id": warehouse, **extra}
        if bin_id:
            record["storage_location_id"] = bin_id
        return record

    return {
        **places(),
        "items": [
            {"item_id": "SCR", "name": "Screw pack", "sku": "SCR-10", "ean": SCREW_GTIN[1:],
             "locations": stock(("W1", "B1", 50), ("W1", None, 10), ("W1", "B2", 5))},
            {"item_id": "DRL", "name": "Drill", "sku": "DRL-18", "track_serial_number": True,
             "locations": stock(("W1", "B1", 3), ("W2", "B9", 1))},
            {"item_id": "GLU", "name": "Glue", "sku": "GLU-50", "ean": GLUE_GTIN[1:], "track_batch_number": True,
             "locations": stock(("W1", "B1", 20), ("W2", "B9", 4))},
            {"item_id": "BOX", "name": "Box", "sku": "BOX-1", "locations": stock(("W1", "B1", 2))},
            {"item_id": "MAN", "name": "Manual", "sku": "MAN-1"},
            {"item_id": "OLD", "name": "Old tool", "sku": "OLD-1", "status": "inactive",
             "locations": stock(("W1", "B1", 5))},
        ],
        "composite_items": [
            {"composite_item_id": "KREP", "name": "Repair kit", "sku": "KIT-REP", "part_number": "RK-1",
             "mapped_items": [{"item_id": "SCR", "quantity": 2}, {"item_id": "DRL", "quantity": 1},
                              {"item_id": "GLU", "quantity": 2}]},
            {"composite_item_id": "KWS", "name": "Workshop kit", "sku": "KIT-WS",
             "mapped_items": [{"item_id": "KREP", "quantity": 1}, {"item_id": "BOX", "quantity": 1}]},
            {"composite_item_id": "KMAN", "name": "Manual kit", "sku": "KIT-MAN",
             "mapped_items": [{"item_id": "MAN", "quantity": 1}, {"item_id": "SCR", "quantity": 1},
                              {"item_id": "OLD", "quantity": 1}]},
            {"composite_item_id": "KOLD", "name": "Retired kit", "sku": "KIT-OLD", "status": "inactive",
             "mapped_items": [{"item_id": "SCR", "quantity": 1}]},
        ],
        "serial_numbers": [serial("SN-1"), serial("SN-2"), serial("SN-3", bin_id="B2"),
                           serial("SN-OUT", is_transacted_out=True), serial("SN-OFF", status="inactive"),
                           serial("SN-N", warehouse="W2", bin_id="B9")],
        "batches": [batch("GL-OK", "2031-01-31", 5), batch("GL-MORE", "2032-06-30", 15),
                    batch("GL-OLD", "2024-11-30", 10), batch("GL-OFF", "2031-01-31", 10, status="inactive"),
                    batch("GL-N", "2031-01-31", 4, warehouse="W2", bin_id="B9")],
    }


TODAY = dt.date(2026, 1, 15)
ScanInto = Callable[[str], AssemblyAnswer]


@pytest.fixture
def kit_store(tmp_path: Path) -> Iterator[InventoryStore]:
    yield from catalogue_store(tmp_path, kit_catalogue())


@pytest.fixture
def kit_outbox(kit_store: InventoryStore) -> Outbox:
    return Outbox(kit_store)


@pytest.fixture
def bench(kit_outbox: Outbox) -> Iterator[AssemblyWorkflow]:
    """An assemble workflow at warehouse W1, bin B1 (A-01-01), building one kit."""
    workflow = AssemblyWorkflow(kit_outbox, EMBEDDED_TARGET, today=lambda: TODAY)
    workflow.choose("W1", "B1", 1)
    yield workflow
    workflow.close()


@pytest.fixture
def kit_scan(kit_store: InventoryStore, bench: AssemblyWorkflow) -> ScanInto:
    return scanner_for(kit_store, bench)
