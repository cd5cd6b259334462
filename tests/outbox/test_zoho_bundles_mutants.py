"""An assembly's steps for Zoho Inventory, rule by rule (the surviving mutants of
``scanner_app/outbox/zoho_bundles.py``), against the fake Zoho on loopback through the real
ZohoClient, with each deliverer called as the relay calls it:

- the ``POST /bundles`` body carries every field compositeitems.yml's create-bundle-request
  names and the station has: the kit's name, a description naming the station's reference,
  each line's warehouse, consumed serial numbers and ``batches: [{batch_id, out_quantity}]``;
- the later steps use the id ``bundle.create`` got, with no search; with that answer gone
  (the create entry discarded after it reached Zoho) they find the assembly by its
  reference (``GET /bundles?composite_item_id=&reference_number=``, a documented filter);
  an assembly Zoho never got fails with a sentence naming the reference;
- checking before sending a create that never reached Zoho finds nothing (it is sent);
- once the build is delivered, the local copy takes each component first out of the bins
  its scanned serials or batches are in;
- a step that is not an assembly step is refused when the deliverer is made.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from scanner_app.backends.errors import NotFound
from scanner_app.backends.zoho import ZohoClient
from scanner_app.inventory.importer import import_document
from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox import Outbox, OutboxEntry, OutboxRelay, zoho_target
from scanner_app.outbox.bundles import (
    BUNDLE_BUILD,
    BUNDLE_CONFIRM,
    BUNDLE_CREATE,
    AssemblyRecord,
    ConsumedBatch,
    ConsumedComponent,
)
from scanner_app.outbox.local_copy import LocalCopy
from scanner_app.outbox.zoho_bundles import ZohoBundleDeliverer, zoho_bundle_deliverers
from tests.backends.fake_zoho import FakeZoho
from tests.workflows.helpers import places
from tests.workflows.kit_catalogue import stock

FLUSH_S = 15.0
BUNDLES = "/inventory/v1/bundles"
REFERENCE = "ASM-7F3A9C21D0"


@pytest.fixture
def kit(zoho: FakeZoho) -> AssemblyRecord:
    """Two repair kits (screws, drills by serial, glue by batch) built in W1, bin B1."""
    inv = zoho.inventory
    screw = inv.add_item("Screw pack", sku="SCR-10")["item_id"]
    drill = inv.add_item("Drill", sku="DRL-18", track_serial_number=True)["item_id"]
    glue = inv.add_item("Glue", sku="GLU-50", track_batch_number=True)["item_id"]
    batch = inv.add_batch(glue, "GL-OK", balance_quantity=10)["batch_id"]
    composite = inv.add_composite("Repair kit", [(screw, 2), (drill, 1), (glue, 2)], sku="KIT-REP")
    return AssemblyRecord(REFERENCE, "2026-01-15", composite["composite_item_id"], "Repair kit", 2, "W1", "B1", (
        ConsumedComponent(screw, "Screw pack", 4),
        ConsumedComponent(drill, "Drill", 2, ("SN-1", "SN-2")),
        ConsumedComponent(glue, "Glue", 4, batches=(ConsumedBatch(batch, "GL-OK", 4),))))


@pytest.fixture
def steps(client: ZohoClient) -> dict[str, ZohoBundleDeliverer]:
    return zoho_bundle_deliverers(lambda: client)


def entry_for(record: AssemblyRecord, step: str, earlier: dict[str, dict[str, Any]] | None = None) -> OutboxEntry:
    """The entry of ``step`` as the relay hands it over, with the document's earlier results."""
    return OutboxEntry(1, "zoho:10234695", record.document, step, record.to_payload(), "in_flight", 0, 0.0, False,
                       None, None, None, 0.0, 0.0, earlier_results=earlier or {})


def requests(zoho: FakeZoho) -> list[str]:
    """The assembly calls Zoho received, in order."""
    return [f"{r.method} {r.path}" for r in zoho.requests if r.path.startswith(BUNDLES)]


def created_in_zoho(zoho: FakeZoho, steps: dict[str, ZohoBundleDeliverer], record: AssemblyRecord) -> str:
    """Deliver the create step; the new assembly's id. The calls so far are forgotten."""
    steps[BUNDLE_CREATE].deliver(entry_for(record, BUNDLE_CREATE))
    [bundle_id] = zoho.inventory.bundles
    zoho.requests.clear()
    return bundle_id


# -- what POST /bundles carries ------------------------------------------------------------------

def test_the_create_request_carries_the_kit_name_the_description_and_each_lines_units(
        zoho: FakeZoho, kit: AssemblyRecord, steps: dict[str, ZohoBundleDeliverer]) -> None:
    steps[BUNDLE_CREATE].deliver(entry_for(kit, BUNDLE_CREATE))
    [created] = [r for r in zoho.requests if r.method == "POST" and r.path == BUNDLES]
    screw, drill, glue = (c.item_id for c in kit.components)
    assert json.loads(created.body) == {
        "reference_number": REFERENCE, "date": "2026-01-15", "composite_item_id": kit.kit_item_id,
        "composite_item_name": "Repair kit", "quantity_to_bundle": 2, "status": "draft",
        "warehouse_id": "W1", "location_id": "W1", "is_completed": True,
        "description": f"Assembled at a scanner-app kitting bench ({REFERENCE})",
        "line_items": [
            {"item_id": screw, "name": "Screw pack", "quantity_consumed": 4, "location_id": "W1",
             "warehouse_id": "W1"},
            {"item_id": drill, "name": "Drill", "quantity_consumed": 2, "location_id": "W1", "warehouse_id": "W1",
             "serial_numbers": ["SN-1", "SN-2"]},
            {"item_id": glue, "name": "Glue", "quantity_consumed": 4, "location_id": "W1", "warehouse_id": "W1",
             "batches": [{"batch_id": kit.components[2].batches[0].batch_id, "out_quantity": 4}]},
        ]}


# -- which assembly the later steps go to ---------------------------------------------------------

@pytest.mark.parametrize(("step", "path"), [(BUNDLE_CONFIRM, "confirmed"), (BUNDLE_BUILD, "bundled")])
def test_a_later_step_goes_straight_to_the_id_the_create_got(
        zoho: FakeZoho, kit: AssemblyRecord, steps: dict[str, ZohoBundleDeliverer], step: str, path: str) -> None:
    bundle_id = created_in_zoho(zoho, steps, kit)
    result = steps[step].deliver(entry_for(kit, step, {BUNDLE_CREATE: {"bundle_id": bundle_id, "status": "draft"}}))
    assert requests(zoho) == [f"POST {BUNDLES}/{bundle_id}/{path}"]  # no search: the id is known
    assert result["bundle_id"] == bundle_id


def test_with_the_create_answer_gone_the_confirm_finds_the_assembly_by_its_reference(
        zoho: FakeZoho, kit: AssemblyRecord, steps: dict[str, ZohoBundleDeliverer]) -> None:
    bundle_id = created_in_zoho(zoho, steps, kit)
    confirm = entry_for(kit, BUNDLE_CONFIRM)  # the create entry was discarded: no earlier result
    assert steps[BUNDLE_CONFIRM].was_applied(confirm) is None  # still a draft
    result = steps[BUNDLE_CONFIRM].deliver(confirm)
    assert result == {"bundle_id": bundle_id, "status": "confirmed", "reference_number": REFERENCE}
    assert zoho.inventory.bundles[bundle_id]["status"] == "confirmed"
    assert requests(zoho)[-1] == f"POST {BUNDLES}/{bundle_id}/confirmed"
    searches = [r.query for r in zoho.requests if r.method == "GET" and r.path == BUNDLES]
    assert searches and all(q["composite_item_id"] == kit.kit_item_id and q["reference_number"] == REFERENCE
                            for q in searches)


def test_with_the_create_answer_gone_a_built_assembly_is_found_built(
        zoho: FakeZoho, kit: AssemblyRecord, steps: dict[str, ZohoBundleDeliverer]) -> None:
    bundle_id = created_in_zoho(zoho, steps, kit)
    zoho.inventory.bundles[bundle_id]["status"] = "built"  # the build reached Zoho, its answer did not
    assert steps[BUNDLE_BUILD].was_applied(entry_for(kit, BUNDLE_BUILD)) == {
        "bundle_id": bundle_id, "status": "built", "reference_number": REFERENCE, "found_applied": True}
    assert not [r for r in zoho.requests if r.method == "POST" and r.path.startswith(BUNDLES)]


def test_the_search_asks_zoho_for_the_reference(zoho: FakeZoho, kit: AssemblyRecord,
                                                steps: dict[str, ZohoBundleDeliverer]) -> None:
    steps[BUNDLE_CREATE].was_applied(entry_for(kit, BUNDLE_CREATE))
    [search] = [r for r in zoho.requests if r.method == "GET" and r.path == BUNDLES]
    assert (search.query["composite_item_id"], search.query["reference_number"]) == (kit.kit_item_id, REFERENCE)


def test_checking_a_create_that_never_reached_zoho_finds_nothing(
        zoho: FakeZoho, kit: AssemblyRecord, steps: dict[str, ZohoBundleDeliverer]) -> None:
    other = AssemblyRecord("ASM-OTHER", "2026-01-14", kit.kit_item_id, "Repair kit", 1, "W1", None,
                           kit.components[:1])
    steps[BUNDLE_CREATE].deliver(entry_for(other, BUNDLE_CREATE))  # another assembly of the same kit
    assert steps[BUNDLE_CREATE].was_applied(entry_for(kit, BUNDLE_CREATE)) is None


@pytest.mark.parametrize("step", [BUNDLE_CONFIRM, BUNDLE_BUILD])
def test_a_step_of_an_assembly_zoho_never_got_fails_naming_the_reference(
        zoho: FakeZoho, kit: AssemblyRecord, steps: dict[str, ZohoBundleDeliverer], step: str) -> None:
    with pytest.raises(NotFound) as missing:
        steps[step].deliver(entry_for(kit, step))
    assert str(missing.value) == (f"Zoho Inventory: there is no assembly {REFERENCE} (it was not created)"
                                  " (GET /bundles)")
    assert not [r for r in zoho.requests if r.method == "POST" and r.path.startswith(BUNDLES)]


def test_the_person_reads_why_a_confirm_without_an_assembly_failed(
        zoho: FakeZoho, kit: AssemblyRecord, outbox: Outbox, make_relay: Callable[..., OutboxRelay],
        steps: dict[str, ZohoBundleDeliverer]) -> None:
    relay = make_relay(target=zoho_target(zoho.organization_id), deliverers=steps)
    with outbox.store.transaction() as conn:  # the create was discarded before it was sent
        confirm = outbox.enqueue(conn, target=relay.target, document=kit.document, kind=BUNDLE_CONFIRM,
                                 payload=kit.to_payload())
    outbox.announce([confirm])
    relay.start()
    assert [e.entry_id for e in relay.flush(FLUSH_S)] == [confirm]
    failed = outbox.get(confirm)
    assert failed.state == "failed"
    assert failed.last_error == (f"Zoho Inventory: there is no assembly {REFERENCE} (it was not created)"
                                 " (GET /bundles)")
    assert zoho.inventory.bundles == {}


def test_only_the_three_steps_have_a_deliverer(client: ZohoClient) -> None:
    with pytest.raises(ValueError) as refused:
        ZohoBundleDeliverer(lambda: client, "bundle.delete")
    assert str(refused.value) == "not an assembly step: bundle.delete"


# -- the local copy after the build ----------------------------------------------------------------

@pytest.fixture
def local_store(store: InventoryStore) -> InventoryStore:
    """Drills and glue in W1, some in bin B2 (where serial SN-3 and batch GL-OK are), some without a bin."""
    import_document(store, {
        **places(),
        "items": [{"item_id": "DRL", "name": "Drill", "sku": "DRL-18", "track_serial_number": True,
                   "locations": stock(("W1", "B2", 1), ("W1", None, 1))},
                  {"item_id": "GLU", "name": "Glue", "sku": "GLU-50", "track_batch_number": True,
                   "locations": stock(("W1", "B2", 2), ("W1", None, 2))},
                  {"item_id": "KREP", "name": "Repair kit", "sku": "KIT-REP"}],
        "serial_numbers": [{"serialnumber_id": "sn-3", "serialnumber": "SN-3", "item_id": "DRL", "status": "active",
                            "warehouse_id": "W1", "storage_location_id": "B2"}],
        "batches": [{"batch_id": "bt-GL-OK", "item_id": "GLU", "batch_number": "GL-OK", "balance_quantity": 2,
                     "status": "active", "location_id": "W1", "storage_location_id": "B2"}]})
    return store


def stock_of(store: InventoryStore, item_id: str) -> dict[str | None, float]:
    return dict(store.connection().execute(
        "SELECT bin_id, quantity FROM item_stock WHERE item_id = ? AND warehouse_id = 'W1'", (item_id,)).fetchall())


def no_client() -> ZohoClient:
    raise AssertionError("writing the local copy asks Zoho nothing")


def test_after_the_build_the_scanned_units_come_out_of_their_own_bins(local_store: InventoryStore) -> None:
    built = AssemblyRecord("ASM-LOCAL-2", "2026-01-15", "KREP", "Repair kit", 1, "W1", None, (
        ConsumedComponent("DRL", "Drill", 1, ("SN-3",)),
        ConsumedComponent("GLU", "Glue", 2, batches=(ConsumedBatch("bt-GL-OK", "GL-OK", 2),))))
    build = ZohoBundleDeliverer(no_client, BUNDLE_BUILD)
    with local_store.transaction() as conn:
        build.record_locally(LocalCopy(conn, now=lambda: 1_800_000_000.0), entry_for(built, BUNDLE_BUILD),
                             {"bundle_id": "B-1", "status": "built", "reference_number": "ASM-LOCAL-2"})
    # the warehouse's stock without a bin is left: the units scanned were the ones in B2
    assert stock_of(local_store, "DRL") == {"B2": 0, None: 1}
    assert stock_of(local_store, "GLU") == {"B2": 0, None: 2}
    assert stock_of(local_store, "KREP") == {None: 1}

