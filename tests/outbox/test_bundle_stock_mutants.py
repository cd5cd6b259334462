"""Assemblies in the embedded inventory and as the outbox records them, rule by rule (the
surviving mutants of ``scanner_app/outbox/embedded_bundle_stock.py`` and
``scanner_app/outbox/bundles.py``):

- a bin with nothing left (or less than nothing, after a sync) has nothing to give: a
  component short there is refused with how much the bin has;
- an assembly needs a reference, a kit and a warehouse, and builds at least one kit from
  at least one component: any of them missing is refused with the sentence a person reads
  (the entry's last_error when a payload is broken), and so is a payload whose
  ``line_items`` is not a list;
- a payload's empty bin means "no bin" (the warehouse's stock), not a bin called "".
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox.bundles import AssemblyRecord, ConsumedComponent
from scanner_app.outbox.embedded_bundle_stock import ShortOfStock, available, take
from tests.workflows.helpers import catalogue_store, places
from tests.workflows.kit_catalogue import stock

SCREWS = (ConsumedComponent("SCR", "Screw pack", 4),)


@pytest.fixture
def bins(tmp_path: Path) -> Iterator[InventoryStore]:
    """Screws in W1: bin B1 empty, bin B2 below zero (a sync wrote -2), 3 without a bin."""
    yield from catalogue_store(tmp_path, {
        **places(), "items": [{"item_id": "SCR", "name": "Screw pack", "sku": "SCR-10",
                               "locations": stock(("W1", None, 3))}]})


def set_stock(store: InventoryStore, bin_id: str, quantity: float) -> None:
    with store.transaction() as conn:
        conn.execute("INSERT INTO item_stock (item_id, warehouse_id, bin_id, quantity) VALUES ('SCR', 'W1', ?, ?)",
                     (bin_id, quantity))


def test_an_empty_bin_has_nothing_to_give(bins: InventoryStore) -> None:
    set_stock(bins, "B1", 0)
    set_stock(bins, "B2", -2)
    conn = bins.connection()
    assert (available(conn, "SCR", "W1", "B1"), available(conn, "SCR", "W1", "B2")) == (0, 0)
    assert available(conn, "SCR", "W1", None) == 3  # the rows below zero take nothing off the rest
    with pytest.raises(ShortOfStock) as short, bins.transaction() as conn:
        take(conn, "SCR", 1, "W1", "B1")
    assert str(short.value) == "1 needed, 0 in stock"


def test_a_bin_with_half_a_unit_left_gives_half(bins: InventoryStore) -> None:
    set_stock(bins, "B1", 0.5)
    assert available(bins.connection(), "SCR", "W1", "B1") == 0.5
    with pytest.raises(ShortOfStock) as short, bins.transaction() as conn:
        take(conn, "SCR", 1, "W1", "B1")
    assert str(short.value) == "1 needed, 0.5 in stock"


# -- the assembly record ------------------------------------------------------------------------------

def assembly(**changes: Any) -> AssemblyRecord:
    fields: dict[str, Any] = {"reference": "ASM-1", "date": "2026-01-15", "kit_item_id": "KREP",
                              "kit_name": "Repair kit", "quantity": 1, "warehouse_id": "W1", "bin_id": None,
                              "components": SCREWS}
    fields.update(changes)
    return AssemblyRecord(**fields)


@pytest.mark.parametrize("missing", ["reference", "kit_item_id", "warehouse_id"])
def test_an_assembly_needs_a_reference_a_kit_and_a_warehouse(missing: str) -> None:
    with pytest.raises(ValueError) as refused:
        assembly(**{missing: ""})
    assert str(refused.value) == "an assembly needs a reference, a kit and a warehouse"


@pytest.mark.parametrize("changes", [{"quantity": 0}, {"quantity": -1}, {"components": ()}],
                         ids=["no kit", "fewer than none", "no component"])
def test_an_assembly_builds_at_least_one_kit_from_at_least_one_component(changes: dict[str, Any]) -> None:
    with pytest.raises(ValueError) as refused:
        assembly(**changes)
    assert str(refused.value) == "an assembly builds at least one kit from at least one component"


def test_a_payload_whose_lines_are_not_a_list_is_refused() -> None:
    payload = assembly().to_payload()
    payload["line_items"] = {"item_id": "SCR"}
    with pytest.raises(ValueError) as refused:
        AssemblyRecord.from_payload(payload)
    assert str(refused.value) == "line_items is not a list"


def test_a_payloads_empty_bin_is_no_bin() -> None:
    payload = assembly(bin_id="B1").to_payload()
    payload["bin_id"] = ""
    assert AssemblyRecord.from_payload(payload).bin_id is None
