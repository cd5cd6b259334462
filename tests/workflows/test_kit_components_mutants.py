"""How many kits the stock at the bench is enough for (issue #14, mutation testing).

``kit_components.buildable``: for each component, the whole number of kits its stock
covers (stock / per kit, rounded down, a floating-point hair below a whole number
counting as that number: 0.3 / 0.1 is 3 kits); the kit count is the least of them. A
component with no quantity per kit does not limit it; with no component that limits,
none can be built.

Through the assemble workflow (``kit_components.shortage_note``, ``consumed``,
``component_lines``): a kit started where stock is short says, in the packer's words,
what is short and how many kits can be built ("At most 1 kit(s)" included); an inactive
component alone is said without any count when the stock is enough; units of one batch
ticked one by one are consumed as one batch line with their sum; a component the
catalogue dropped after the kit was read is left out, the others kept.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scanner_app.inventory.removal import remove_items
from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox import EMBEDDED_TARGET, Outbox
from scanner_app.workflows.assembly import AssemblyWorkflow
from scanner_app.workflows.assembly_answers import ComponentLine
from scanner_app.workflows.kit_components import buildable
from tests.workflows.helpers import catalogue_store, scanner_for
from tests.workflows.kit_catalogue import GLUE_GTIN, TODAY, ScanInto, kit_catalogue


def line(per_kit: float, in_stock: float, item_id: str = "I1") -> ComponentLine:
    return ComponentLine(item_id, f"Part {item_id}", per_kit=per_kit, needed=per_kit, in_stock=in_stock)


@pytest.mark.parametrize(
    ("lines", "kits"),
    [
        ([line(2.0, 7.0)], 3),  # 7 / 2 = 3.5: three kits
        ([line(0.5, 2.0)], 4),  # half a unit per kit
        ([line(0.1, 0.3)], 3),  # 0.3 / 0.1 is 2.999...: still three kits
        ([line(1.0, 5.0, "I1"), line(3.0, 7.0, "I2")], 2),  # the scarcest part decides
        ([line(1.0, 0.0)], 0),
        ([line(0.0, 0.0, "I1"), line(1.0, 4.0, "I2")], 4),  # no quantity per kit: not a limit
        ([line(0.5, 9.0, "I1"), line(0.5, 2.0, "I2")], 4),  # under one per kit still limits
        ([line(0.0, 5.0)], 0),
        ([], 0),
    ],
)
def test_kits_the_stock_is_enough_for(lines: list[ComponentLine], kits: int) -> None:
    assert buildable(lines) == kits


# -- through the assemble workflow: what the bench says is short, and what is consumed ---------

def shortage_catalogue() -> dict[str, Any]:
    """The assemble catalogue, and two more kits at bin A-01-01: a pair of boxes (2 boxes,
    2 in stock, and a screw pack) and a kit with the inactive Old tool (5 in stock)."""
    catalogue = kit_catalogue()
    catalogue["composite_items"] += [
        {"composite_item_id": "KBOX", "name": "Box pair", "sku": "KIT-BOX",
         "mapped_items": [{"item_id": "BOX", "quantity": 2}, {"item_id": "SCR", "quantity": 1}]},
        {"composite_item_id": "KOLDC", "name": "Old tool kit", "sku": "KIT-OLDC",
         "mapped_items": [{"item_id": "OLD", "quantity": 1}, {"item_id": "SCR", "quantity": 1}]},
    ]
    return catalogue


@pytest.fixture
def shortage_bench(tmp_path: Path) -> Iterator[tuple[AssemblyWorkflow, ScanInto]]:
    """An assemble workflow at warehouse W1, bin B1 (A-01-01) on :func:`shortage_catalogue`."""
    for store in catalogue_store(tmp_path, shortage_catalogue()):
        workflow = AssemblyWorkflow(Outbox(store), EMBEDDED_TARGET, today=lambda: TODAY)
        try:
            yield workflow, scanner_for(store, workflow)
        finally:
            workflow.close()


@pytest.mark.parametrize(
    ("kit", "kits", "note"),
    [
        ("KIT-REP", 4, "Drill: 4 needed, only 3 in stock in bin A-01-01; "
                       "At most 3 kit(s) can be built in bin A-01-01"),
        ("KIT-BOX", 2, "Box: 4 needed, only 2 in stock in bin A-01-01; "
                       "At most 1 kit(s) can be built in bin A-01-01"),  # one kit is still a kit
        ("KIT-OLDC", 5, "Old tool is inactive"),  # stock for exactly the 5 kits: nothing else to say
        ("KIT-OLDC", 1, "Old tool is inactive"),
    ],
)
def test_the_kit_says_what_is_short_here_and_how_many_kits_can_be_built(
        shortage_bench: tuple[AssemblyWorkflow, ScanInto], kit: str, kits: int, note: str) -> None:
    workflow, scan = shortage_bench
    workflow.choose("W1", "B1", kits)
    started = scan(kit)
    assert (started.verdict, started.note) == ("kit_started", note)
    assert workflow.shortage() == note


def test_units_of_one_batch_scanned_one_by_one_are_consumed_as_one_batch_line(
        bench: AssemblyWorkflow, kit_scan: ScanInto, kit_outbox: Outbox) -> None:
    """Two Glue scans of batch GL-OK, one unit each: the bundle consumes 2 of GL-OK."""
    assert kit_scan("KIT-REP").verdict == "kit_started"
    for code in ("SCR-10", "SCR-10", "SN-1", f"(01){GLUE_GTIN}(10)GL-OK", f"(01){GLUE_GTIN}(10)GL-OK"):
        assert kit_scan(code).verdict == "ticked", code
    bench.complete()
    (create, *_) = kit_outbox.entries()
    lines = create.payload["line_items"]
    assert [(line["item_id"], line["quantity_consumed"], line["serial_numbers"],
             [(b["batch_number"], b["quantity"]) for b in line["batches"]]) for line in lines] == [
        ("SCR", 2, [], []), ("DRL", 1, ["SN-1"], []), ("GLU", 2, [], [("GL-OK", 2)])]


def test_a_component_the_catalogue_dropped_after_the_kit_was_read_is_left_out(
        bench: AssemblyWorkflow, kit_store: InventoryStore) -> None:
    """The kit was read (a scan's lookup) before a catalogue sync removed its first
    component, the Screw pack, and the assembly starts with that kit: the Screw pack is
    left out, the other components are all there. (No scan can hand the workflow such a
    kit but through that race, so the test calls ``start``, the scan's next step.)"""
    kit = kit_store.get_item("KREP")
    assert kit is not None and [m.item_id for m in kit.mapped_items] == ["SCR", "DRL", "GLU"]
    with kit_store.transaction() as conn:
        assert remove_items(conn, ["SCR"]) == 1
    started = bench.start(kit)
    assert (started.verdict, started.message) == ("kit_started", "Repair kit: 1 kit(s), 2 component(s) in bin "
                                                                 "A-01-01: scan each component")
    assert [(line.name, line.needed) for line in bench.lines()] == [("Drill", 1), ("Glue", 2)]
