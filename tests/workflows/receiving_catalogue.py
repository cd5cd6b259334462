"""A receiving bench's catalogue for the receive tests: a batch-tracked item with a GTIN
and one known batch, a serial-tracked item with a GTIN and one known serial, an untracked
item, two warehouses and their bins; and helpers to scan into a receiving workflow."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from scanner_app.scanning.pipeline import ScanPipeline
from scanner_app.scanning.scan import Scan, ScanSource
from scanner_app.workflows.receiving import BatchDraft, ReceivingWorkflow
from scanner_app.workflows.receiving_answers import ReceiveAnswer

TODAY = dt.date(2025, 6, 1)
MILK_GTIN = "09506000134352"
DRILL_GTIN = "09506000134376"
GS = "\x1d"


def receiving_catalogue() -> dict[str, Any]:
    return {
        "warehouses": [{"warehouse_id": "W1", "warehouse_name": "Main"},
                       {"warehouse_id": "W2", "warehouse_name": "North"}],
        "bins": [{"bin_id": "B1", "warehouse_id": "W1", "code": "RCV-01", "name": "Receiving 1"},
                 {"bin_id": "B2", "warehouse_id": "W1", "code": "A-01-02", "name": "Aisle A 2"},
                 {"bin_id": "B9", "warehouse_id": "W2", "code": "N-09", "name": "North 9"}],
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


def scanner(pipeline: ScanPipeline, workflow: ReceivingWorkflow) -> Callable[..., ReceiveAnswer]:
    def scan(raw: str, draft: BatchDraft | None = None) -> ReceiveAnswer:
        return workflow.handle(pipeline.process(Scan(raw, ScanSource.CLI)), draft)

    return scan
