"""A receiving bench's catalogue for the receive tests: a batch-tracked item with a GTIN
and one known batch, a serial-tracked item with a GTIN and one known serial, an untracked
item, two warehouses and their bins; and GS1 labels as a scanner sends them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.workflows.helpers import places

TODAY = dt.date(2025, 6, 1)
MILK_GTIN = "09506000134352"
DRILL_GTIN = "09506000134376"
GS = "\x1d"


def receiving_catalogue() -> dict[str, Any]:
    return {
        **places(("RCV-01", "Receiving 1")),
        "items": [
            {"item_id": "I1", "name": "Milk powder", "sku": "MLK-1", "ean": MILK_GTIN[1:], "track_batch_number": True},
            {"item_id": "I2", "name": "Drill", "sku": "DRL-18", "ean": DRILL_GTIN[1:], "track_serial_number": True},
            {"item_id": "I3", "name": "Tissues", "sku": "TIS-100"},
            {"item_id": "I4", "name": "Old syrup", "sku": "SYR-OLD", "track_batch_number": True, "status": "inactive"},
        ],
        "batches": [{"batch_id": "BA1", "item_id": "I1", "batch_number": "L-KNOWN", "manufactured_date": "2025-01-10",
                     "expiry_date": "2026-01-10", "balance_quantity": 5}],
        "serial_numbers": [{"serialnumber_id": "S1", "serialnumber": "SN-OLD", "item_id": "I2", "status": "active",
                            "warehouse_id": "W1"}],
    }


def gs1(*pairs: tuple[str, str]) -> str:
    """A GS1 element string as a scanner with FNC1 sends it (]C1, separators after
    variable-length fields)."""
    fixed = {"01", "11", "17"}
    parts = []
    for i, (ai, value) in enumerate(pairs):
        parts.append(ai + value + ("" if ai in fixed or i == len(pairs) - 1 else GS))
    return "]C1" + "".join(parts)

