"""Fixtures for the dispatch workflow: a real inventory file with serial-tracked items in
two warehouses and their bins (``catalogue``: a test module may give its own), an outbox,
a pipeline, and a workflow on them; and the assembly bench's (kit_catalogue), for every
module here."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox import EMBEDDED_TARGET, Outbox
from scanner_app.workflows.dispatch import DispatchWorkflow
from scanner_app.workflows.dispatch_answers import DispatchAnswer
from tests.workflows.helpers import catalogue_store, places, scanner_for
from tests.workflows.kit_catalogue import bench, kit_outbox, kit_scan, kit_store  # noqa: F401 (fixtures)


def serial(number: str, item_id: str, warehouse: str | None = "W1", bin_id: str | None = "B1",
           **extra: Any) -> dict[str, Any]:
    record: dict[str, Any] = {"serialnumber_id": f"id-{item_id}-{number}", "serialnumber": number,
                              "item_id": item_id, "status": "active", **extra}
    if warehouse:
        record["warehouse_id"] = warehouse
    if bin_id:
        record["storage_location_id"] = bin_id
    return record


def dispatch_catalogue() -> dict[str, Any]:
    return {
        **places(),
        "items": [
            {"item_id": "I2", "name": "Drill", "sku": "DRL-18", "track_serial_number": True},
            {"item_id": "I5", "name": "Scanner", "sku": "SCN-1", "track_serial_number": True},
            {"item_id": "I1", "name": "Tissues", "sku": "TIS-100"},
        ],
        "serial_numbers": [
            serial("SN-0001", "I2"), serial("SN-0002", "I2"), serial("SN-0003", "I2", bin_id=None),
            serial("SN-0004", "I2", bin_id="B2"),
            serial("SN-OUT", "I2", is_transacted_out=True), serial("SN-OFF", "I2", status="inactive"),
            serial("SN-NORTH", "I2", warehouse="W2", bin_id="B9"),
            serial("SC-1", "I5", bin_id="B2"), serial("SC-2", "I5", bin_id="B2"),
        ],
    }


@pytest.fixture
def catalogue() -> dict[str, Any]:
    return dispatch_catalogue()


@pytest.fixture
def store(tmp_path: Path, catalogue: dict[str, Any]) -> Iterator[InventoryStore]:
    yield from catalogue_store(tmp_path, catalogue)


@pytest.fixture
def outbox(store: InventoryStore) -> Outbox:
    return Outbox(store)


@pytest.fixture
def workflow(outbox: Outbox) -> Iterator[DispatchWorkflow]:
    wf = DispatchWorkflow(outbox, EMBEDDED_TARGET)
    yield wf
    wf.close()


@pytest.fixture
def scan(store: InventoryStore, workflow: DispatchWorkflow) -> Callable[[str], DispatchAnswer]:
    return scanner_for(store, workflow)
