"""Test data for the embedded inventory: a small Zoho-shaped catalogue exercising every
kind of code, valid GTINs, and a way to count what is in the store."""

from __future__ import annotations

from typing import Any

from scanner_app.codes.classification import Classification, CodeKind
from scanner_app.codes.gtin import gs1_check_digit
from scanner_app.inventory.store import InventoryStore


def with_check(body: str) -> str:
    return body + str(gs1_check_digit(body))


UPC_A = with_check("03600029145")  # 036000291452
EAN_13 = with_check("400638133393")  # 4006381333931
ISBN_13 = with_check("978030640615")  # 9780306406157
ISBN_10 = "0306406152"  # the same book


def catalogue() -> dict[str, Any]:
    """A small catalogue in Zoho's shapes, exercising every kind of code."""
    return {
        "warehouses": [
            {"warehouse_id": "W1", "warehouse_name": "Main"},
            {"location_id": "W2", "location_name": "Overflow"},
        ],
        "bins": [
            {"bin_id": "B1", "warehouse_id": "W1", "code": "A-01-01", "name": "Aisle A shelf 1"},
            {"storage_location_id": "B2", "location_id": "W1", "storage_location_name": "A-01-02"},
        ],
        "items": [
            {
                "item_id": "I1", "name": "Tissues", "sku": "TIS-100", "upc": UPC_A, "part_number": "PN-TIS",
                "unit": "box", "status": "active",
                "locations": [
                    {"location_id": "W1", "location_name": "Main", "location_stock_on_hand": "30",
                     "storages": [{"storage_location_id": "B1", "quantity": 20}]},
                    {"location_id": "W2", "location_name": "Overflow", "location_stock_on_hand": 5},
                ],
            },
            {"item_id": "I2", "name": "Drill", "sku": "DRL-18", "ean": EAN_13, "track_serial_number": True},
            {"item_id": "I3", "name": "Glue", "sku": "GLU-50", "part_number": "EPX50", "track_batch_number": "true"},
            {"item_id": "I4", "name": "Handbook", "sku": "BK-1", "isbn": ISBN_10},
        ],
        "composite_items": [
            {"composite_item_id": "K1", "name": "Drill kit", "sku": "KIT-DRL",
             "mapped_items": [{"item_id": "I2", "quantity": 1}, {"item_id": "I3", "quantity": 2}]},
        ],
        "batches": [
            {"batch_id": "BA1", "item_id": "I3", "batch_number": "LOT-2030", "manufacturer_batch_number": "M-77",
             "manufactured_date": "2025-01-01", "expiry_date": "2030-06-30", "balance_quantity": 12,
             "location_id": "W1", "storage_location_id": "B2"},
            {"batch_id": "BA2", "item_id": "I3", "batch_number": "LOT-2024",
             "expiry_date": "2024-03-31", "balance_quantity": 1},
        ],
        "serial_numbers": [
            {"serialnumber_id": "S1", "serialnumber": "SN-0001", "item_id": "I2", "status": "active",
             "is_transacted_out": False, "warehouse_id": "W1", "location_id": "B1"},
            {"serialnumber_id": "S2", "serial_number": "SN-0002", "item_id": "I2", "is_transacted_out": True},
            {"serialnumber": "SN-0003", "item_id": "I2", "status": "inactive", "storage_location_id": "B2"},
        ],
    }


def table_counts(store: InventoryStore) -> dict[str, int]:
    conn = store.connection()
    tables = ["warehouses", "bins", "items", "item_stock", "batches", "serial_numbers",
              "composite_mapped_items", "codes"]
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


def text_scan(text: str) -> Classification:
    return Classification(raw=text, kind=CodeKind.TEXT, display=text, text=text)


def gtin_scan(digits: str, gtin_format: str = "EAN-13") -> Classification:
    return Classification(raw=digits, kind=CodeKind.GTIN, display=digits, gtin14=digits.zfill(14),
                          gtin_format=gtin_format)


def gs1_scan(ais: dict[str, str]) -> Classification:
    raw = "".join(f"({k}){v}" for k, v in ais.items())
    return Classification(raw=raw, kind=CodeKind.GS1, display=raw, gs1=dict(ais),
                          gtin14=ais.get("01") or ais.get("02"))
