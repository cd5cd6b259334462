"""Assemblies delivered to the embedded inventory, rule by rule (the surviving mutants of
``scanner_app/outbox/embedded_bundles.py``):

- only the three assembly steps have a deliverer: any other kind is refused by name;
- each step answers with the assembly (its reference as ``bundle_id``) and the status it
  is in now; a step sent again (an answer lost) answers the same status and changes
  nothing; ``was_applied`` finds a step applied from that status, marked
  ``found_applied``, and finds nothing before it was applied;
- the store's ``embedded_bundles`` row keeps the assembly as the entry recorded it;
- a kit that does not exist or is not a composite item, or a component that does not
  exist, refuses the creation with a sentence naming it, the embedded inventory and the
  step (the entry's ``last_error``), and records nothing;
- confirming or building an assembly never created is refused (NotFound), and so is
  building one not confirmed (ValidationError: "it is draft");
- a build that cannot be done names every reason, joined by "; ", in the entry's
  ``vendor_message`` (unknown, inactive, transacted-out and other-warehouse serials,
  unknown and short batches, short stock), the whole sentence in ``last_error``;
- a batch can be used up to its last unit;
- without a bin, a component's stock is taken first from the bins its scanned serials
  or batches are in.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scanner_app.backends.errors import NotFound, ValidationError
from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox import EMBEDDED_TARGET, Outbox, OutboxEntry, OutboxRelay
from scanner_app.outbox.bundles import (
    BUNDLE_BUILD,
    BUNDLE_CONFIRM,
    BUNDLE_CREATE,
    AssemblyRecord,
    ConsumedBatch,
    ConsumedComponent,
    enqueue_assembly,
)
from scanner_app.outbox.embedded_bundles import EmbeddedBundleDeliverer
from tests.workflows.helpers import catalogue_store
from tests.workflows.kit_catalogue import kit_catalogue

SCREWS = ConsumedComponent("SCR", "Screw pack", 4)
CREATED_AT, BUILT_AT = 1_800_000_000.0, 1_800_000_060.0


@pytest.fixture
def kits(tmp_path: Path) -> Iterator[InventoryStore]:
    """The assembly bench's catalogue (tests/workflows/kit_catalogue.py) in a real inventory file."""
    yield from catalogue_store(tmp_path, kit_catalogue())


def assembly(*components: ConsumedComponent, kit: str = "KREP", bin_id: str | None = "B1",
             quantity: float = 1) -> AssemblyRecord:
    return AssemblyRecord("ASM-1", "2026-01-15", kit, "Repair kit", quantity, "W1", bin_id,
                          components or (SCREWS,))


def entry_for(record: AssemblyRecord, kind: str) -> OutboxEntry:
    return OutboxEntry(1, EMBEDDED_TARGET, record.document, kind, record.to_payload(), "in_flight", 0, 0.0, False,
                       None, None, None, 0.0, 0.0)


def step(store: InventoryStore, kind: str, clock: list[float] | None = None) -> EmbeddedBundleDeliverer:
    times = clock if clock is not None else [CREATED_AT]
    return EmbeddedBundleDeliverer(store, kind, now=lambda: times[0])


def deliver(store: InventoryStore, record: AssemblyRecord, *kinds: str) -> list[Any]:
    return [dict(step(store, kind).deliver(entry_for(record, kind))) for kind in kinds]


def bundle_row(store: InventoryStore) -> tuple[Any, ...] | None:
    return store.connection().execute(
        "SELECT reference, kit_item_id, quantity, warehouse_id, bin_id, status, payload, created_at, built_at"
        " FROM embedded_bundles").fetchone()


def stock(store: InventoryStore, item_id: str) -> dict[str | None, float]:
    rows = store.connection().execute("SELECT bin_id, quantity FROM item_stock WHERE item_id = ?"
                                      " AND warehouse_id = 'W1'", (item_id,))
    return dict(rows)


def balance(store: InventoryStore, batch_id: str) -> float:
    return float(store.connection().execute("SELECT balance_quantity FROM batches WHERE batch_id = ?",
                                            (batch_id,)).fetchone()[0])


# -- the steps and their answers ----------------------------------------------------------------------

def test_only_the_three_assembly_steps_have_a_deliverer(kits: InventoryStore) -> None:
    with pytest.raises(ValueError) as refused:
        EmbeddedBundleDeliverer(kits, "bundle.ship")
    assert str(refused.value) == "not an assembly step: bundle.ship"


def test_each_step_answers_the_assembly_and_its_status(kits: InventoryStore) -> None:
    record = assembly()
    assert deliver(kits, record, BUNDLE_CREATE, BUNDLE_CONFIRM, BUNDLE_BUILD) == [
        {"bundle_id": "ASM-1", "status": "draft"}, {"bundle_id": "ASM-1", "status": "confirmed"},
        {"bundle_id": "ASM-1", "status": "built"}]


def test_a_step_sent_again_answers_the_status_now_and_changes_nothing(kits: InventoryStore) -> None:
    record = assembly()
    deliver(kits, record, BUNDLE_CREATE, BUNDLE_CONFIRM, BUNDLE_BUILD)
    assert deliver(kits, record, BUNDLE_CREATE, BUNDLE_CONFIRM, BUNDLE_BUILD) == [
        {"bundle_id": "ASM-1", "status": "built"}] * 3
    assert stock(kits, "SCR")["B1"] == 46 and stock(kits, "KREP") == {"B1": 1}


def test_was_applied_finds_a_step_by_the_assemblys_status(kits: InventoryStore) -> None:
    record = assembly()

    def found() -> list[Any]:
        return [step(kits, kind).was_applied(entry_for(record, kind))
                for kind in (BUNDLE_CREATE, BUNDLE_CONFIRM, BUNDLE_BUILD)]

    assert found() == [None, None, None]
    deliver(kits, record, BUNDLE_CREATE)
    assert found() == [{"bundle_id": "ASM-1", "status": "draft", "found_applied": True}, None, None]
    deliver(kits, record, BUNDLE_CONFIRM, BUNDLE_BUILD)
    assert found() == [{"bundle_id": "ASM-1", "status": "built", "found_applied": True}] * 3


def test_the_store_keeps_the_assembly_as_the_entry_recorded_it(kits: InventoryStore) -> None:
    record = assembly(SCREWS, ConsumedComponent("DRL", "Drill", 1, ("SN-1",)), bin_id=None, quantity=1)
    clock = [CREATED_AT]
    step(kits, BUNDLE_CREATE, clock).deliver(entry_for(record, BUNDLE_CREATE))
    step(kits, BUNDLE_CONFIRM, clock).deliver(entry_for(record, BUNDLE_CONFIRM))
    clock[0] = BUILT_AT
    step(kits, BUNDLE_BUILD, clock).deliver(entry_for(record, BUNDLE_BUILD))
    row = bundle_row(kits)
    assert row is not None
    assert row[:6] == ("ASM-1", "KREP", 1, "W1", None, "built")
    assert json.loads(row[6]) == record.to_payload()
    assert row[7:] == (CREATED_AT, BUILT_AT)


# -- refusals -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("kit", "words"), [("KNONE", "kit KNONE does not exist"),
                                            ("SCR", "kit SCR is not a composite item")])
def test_a_kit_must_be_a_composite_item(kits: InventoryStore, kit: str,
                                        words: str) -> None:
    with pytest.raises(NotFound) as refused:
        deliver(kits, assembly(kit=kit), BUNDLE_CREATE)
    assert str(refused.value) == f"Embedded inventory: {words} (bundle.create)"
    assert bundle_row(kits) is None


def test_a_component_must_exist(kits: InventoryStore) -> None:
    with pytest.raises(NotFound) as refused:
        deliver(kits, assembly(SCREWS, ConsumedComponent("GHO", "Ghost", 1)), BUNDLE_CREATE)
    assert str(refused.value) == "Embedded inventory: component Ghost (GHO) does not exist (bundle.create)"
    assert bundle_row(kits) is None


@pytest.mark.parametrize("kind", [BUNDLE_CONFIRM, BUNDLE_BUILD])
def test_an_assembly_never_created_cannot_be_confirmed_or_built(kits: InventoryStore, kind: str) -> None:
    with pytest.raises(NotFound) as refused:
        deliver(kits, assembly(), kind)
    assert str(refused.value) == f"Embedded inventory: assembly ASM-1 was never created ({kind})"
    assert bundle_row(kits) is None


def test_an_assembly_is_confirmed_before_it_is_built(kits: InventoryStore) -> None:
    record = assembly()
    deliver(kits, record, BUNDLE_CREATE)
    with pytest.raises(ValidationError) as refused:
        deliver(kits, record, BUNDLE_BUILD)
    assert str(refused.value) == "Embedded inventory: assembly ASM-1 is draft: confirm it first (bundle.build)"
    assert refused.value.vendor_message == "it is draft"
    assert stock(kits, "SCR")["B1"] == 50 and stock(kits, "KREP") == {}


def test_a_build_that_cannot_be_done_names_every_reason(kits: InventoryStore) -> None:
    drills = ConsumedComponent("DRL", "Drill", 4, ("SN-X", "SN-OFF", "SN-OUT", "SN-N"))
    glue = ConsumedComponent("GLU", "Glue", 7, batches=(ConsumedBatch("bt-GONE", "GL-GONE", 1),
                                                       ConsumedBatch("bt-GL-OK", "GL-OK", 6)))
    record = assembly(drills, glue)
    kit_outbox = Outbox(kits)
    with kits.transaction() as conn:
        ids = enqueue_assembly(kit_outbox, conn, EMBEDDED_TARGET, record)
    kit_outbox.announce(ids)
    relay = OutboxRelay(kit_outbox, EMBEDDED_TARGET,
                        {kind: step(kits, kind) for kind in (BUNDLE_CREATE, BUNDLE_CONFIRM, BUNDLE_BUILD)})
    relay.recover()
    try:
        relay.deliver_due()
    finally:
        relay.stop()
    create, confirm, build = kit_outbox.entries()
    assert (create.state, confirm.state, build.state) == ("delivered", "delivered", "failed")
    words = ("SN-X is not a serial number of Drill; SN-OFF of Drill is inactive; "
             "SN-OUT of Drill has been transacted out already; SN-N of Drill is in another warehouse (W2); "
             "Drill: 4 needed, 3 in stock; "  # each component's reasons in turn
             "batch GL-GONE of Glue does not exist; batch GL-OK of Glue has 5 left, 6 needed")
    assert build.vendor_message == words
    assert build.last_error == f"Embedded inventory: assembly ASM-1 cannot be built: {words} (bundle.build)"
    assert balance(kits, "bt-GL-OK") == 5 and stock(kits, "GLU") == {"B1": 20}


# -- what a build consumes ----------------------------------------------------------------------------

def test_a_batch_can_be_used_up_to_its_last_unit(kits: InventoryStore) -> None:
    glue = ConsumedComponent("GLU", "Glue", 5, batches=(ConsumedBatch("bt-GL-OK", "GL-OK", 5),))
    assert deliver(kits, assembly(glue), BUNDLE_CREATE, BUNDLE_CONFIRM, BUNDLE_BUILD)[-1]["status"] == "built"
    assert balance(kits, "bt-GL-OK") == 0 and stock(kits, "GLU") == {"B1": 15}


def test_without_a_bin_a_serials_bin_gives_first(kits: InventoryStore) -> None:
    with kits.transaction() as conn:  # SN-3 is recorded in B2, and B2 holds one drill
        conn.execute("INSERT INTO item_stock (item_id, warehouse_id, bin_id, quantity) VALUES ('DRL', 'W1', 'B2', 1)")
    drill = ConsumedComponent("DRL", "Drill", 1, ("SN-3",))
    deliver(kits, assembly(drill, bin_id=None), BUNDLE_CREATE, BUNDLE_CONFIRM, BUNDLE_BUILD)
    assert stock(kits, "DRL") == {"B1": 3, "B2": 0}
    assert stock(kits, "KREP") == {None: 1}


def test_without_a_bin_a_batchs_bin_gives_first(kits: InventoryStore) -> None:
    with kits.transaction() as conn:  # GL-MORE is kept in B2, with 15 of glue there
        conn.execute("UPDATE batches SET bin_id = 'B2' WHERE batch_id = 'bt-GL-MORE'")
        conn.execute("INSERT INTO item_stock (item_id, warehouse_id, bin_id, quantity) VALUES ('GLU', 'W1', 'B2', 15)")
    glue = ConsumedComponent("GLU", "Glue", 3, batches=(ConsumedBatch("bt-GL-MORE", "GL-MORE", 3),))
    deliver(kits, assembly(glue, bin_id=None), BUNDLE_CREATE, BUNDLE_CONFIRM, BUNDLE_BUILD)
    assert stock(kits, "GLU") == {"B1": 20, "B2": 12}
    assert balance(kits, "bt-GL-MORE") == 12
