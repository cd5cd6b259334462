"""Read your own writes on a Zoho station: once the relay delivers an entry to the fake Zoho,
the station's store (Zoho's local copy) shows it at once, in the transaction that marks the
entry delivered: a mapped serial is no longer offered to another dispatch, a new batch is
found by ``scanner-app lookup``, and a built assembly moves the kit's and the components'
stock, exactly once. A local copy that cannot be written never holds up a delivery."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from scanner_app.backends.zoho import ZohoClient
from scanner_app.inventory.importer import import_document
from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox import (
    SERIAL_VALIDATE_AND_MAP,
    Outbox,
    OutboxEntry,
    OutboxRelay,
    PickedSerial,
    enqueue_serial_mappings,
    group_serial_mappings,
    zoho_target,
)
from scanner_app.outbox.batch_receipts import BATCH_ASSIGN, SERIAL_RECEIVE
from scanner_app.outbox.bundles import AssemblyRecord, ConsumedComponent, enqueue_assembly
from scanner_app.outbox.local_copy import LocalCopy
from scanner_app.outbox.zoho_batch_receipts import ZohoBatchAssignmentDeliverer, ZohoSerialReceiptDeliverer
from scanner_app.outbox.zoho_bundles import zoho_bundle_deliverers
from scanner_app.outbox.zoho_serials import ZohoSerialMappingDeliverer
from scanner_app.scanning.pipeline import ScanPipeline
from scanner_app.scanning.scan import Scan, ScanSource
from scanner_app.workflows.dispatch import DispatchWorkflow
from scanner_app.workflows.receiving import ReceivingWorkflow
from scanner_app.workflows.receiving_rules import BatchFields
from tests.backends.fake_zoho import FakeZoho, dropped_connection
from tests.workflows.helpers import places, run_json
from tests.workflows.receiving_catalogue import TODAY

FLUSH_S = 15.0


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def store(home: Path) -> Iterator[InventoryStore]:
    """The station's store where ``scanner-app --home HOME`` finds it."""
    s = InventoryStore(home / "data" / "inventory.sqlite3")
    yield s
    s.close()


@pytest.fixture
def ids(zoho: FakeZoho, store: InventoryStore) -> dict[str, str]:
    """The same catalogue in Zoho and in the station's synced copy (with stock per bin)."""
    inv = zoho.inventory
    drill = inv.add_item("Drill", sku="DRL-18", track_serial_number=True)["item_id"]
    milk = inv.add_item("Milk powder", sku="MLK-1", track_batch_number=True)["item_id"]
    screw = inv.add_item("Screw pack", sku="SCR-10")["item_id"]
    kit = inv.add_composite("Repair kit", [(screw, 2), (drill, 1)], sku="KIT-REP")["composite_item_id"]
    for number in ("Z-1", "Z-2", "Z-3"):
        inv.add_serial(drill, number)

    def stock(*rows: tuple[str | None, float]) -> list[dict[str, Any]]:
        return [{"location_id": "W1", "location_stock_on_hand": sum(q for _, q in rows),
                 "storages": [{"storage_location_id": b, "quantity": q} for b, q in rows if b]}]

    import_document(store, {
        **places(),
        "items": [{"item_id": drill, "name": "Drill", "sku": "DRL-18", "track_serial_number": True,
                   "locations": stock(("B1", 1))},
                  {"item_id": milk, "name": "Milk powder", "sku": "MLK-1", "track_batch_number": True},
                  {"item_id": screw, "name": "Screw pack", "sku": "SCR-10", "locations": stock(("B1", 3), (None, 5))}],
        "composite_items": [{"composite_item_id": kit, "name": "Repair kit", "sku": "KIT-REP",
                             "mapped_items": [{"item_id": screw, "quantity": 2}, {"item_id": drill, "quantity": 1}]}],
        "serial_numbers": [{"serialnumber_id": f"local-{n}", "serialnumber": n, "item_id": drill, "status": "active",
                            "warehouse_id": "W1", "storage_location_id": "B1"} for n in ("Z-1", "Z-2", "Z-3")]})
    return {"drill": str(drill), "milk": str(milk), "screw": str(screw), "kit": str(kit)}


@pytest.fixture
def relay(make_relay: Callable[..., OutboxRelay], zoho: FakeZoho, client: ZohoClient) -> Iterator[OutboxRelay]:
    made = make_relay(target=zoho_target(zoho.organization_id), deliverers={
        SERIAL_VALIDATE_AND_MAP: ZohoSerialMappingDeliverer(lambda: client),
        BATCH_ASSIGN: ZohoBatchAssignmentDeliverer(lambda: client),
        SERIAL_RECEIVE: ZohoSerialReceiptDeliverer(lambda: client),
        **zoho_bundle_deliverers(lambda: client)})
    yield made
    made.stop()


def stock_of(store: InventoryStore, item_id: str) -> dict[str | None, float]:
    return dict(store.connection().execute(
        "SELECT bin_id, quantity FROM item_stock WHERE item_id = ? AND warehouse_id = 'W1'", (item_id,)).fetchall())


# -- serials ---------------------------------------------------------------------------------------

def test_a_mapped_serial_is_no_longer_offered_to_another_dispatch(
        zoho: FakeZoho, ids: dict[str, str], store: InventoryStore, outbox: Outbox, relay: OutboxRelay) -> None:
    relay.start()
    with store.transaction() as conn:  # a mapping recorded by another bench of the site, say
        entry_ids = enqueue_serial_mappings(outbox, conn, relay.target, group_serial_mappings(
            "salesorder", "SO-1", "W1", [PickedSerial(ids["drill"], "Z-1", "B1")]))
    outbox.announce(entry_ids)
    assert relay.flush(FLUSH_S) == []
    assert store.connection().execute(
        "SELECT serialnumber, entity_type, entity_id, bin_id FROM embedded_serial_mappings").fetchall() == [
        ("Z-1", "salesorder", "SO-1", "B1")]
    # Zoho leaves an unshipped order's serial "not transacted out", and so does its copy
    assert store.connection().execute("SELECT is_transacted_out FROM serial_numbers WHERE serialnumber = 'Z-1'"
                                      ).fetchone() == (0,)
    dispatch = DispatchWorkflow(outbox, relay.target)
    try:
        dispatch.start("salesorder", "SO-2", "W1")
        pipeline = ScanPipeline(store)
        assert dispatch.handle(pipeline.process(Scan("DRL-18", ScanSource.CLI))).accepted
        refused = dispatch.handle(pipeline.process(Scan("Z-1", ScanSource.CLI)))
        assert (refused.verdict, refused.accepted) == ("claimed", False)
        assert "mapped to salesorder SO-1" in refused.message
        assert dispatch.handle(pipeline.process(Scan("Z-2", ScanSource.CLI))).accepted
    finally:
        dispatch.close()


def test_a_mapping_found_applied_is_copied_too(zoho: FakeZoho, ids: dict[str, str], store: InventoryStore,
                                               outbox: Outbox, relay: OutboxRelay) -> None:
    zoho.inject(dropped_connection(after_apply=True, path=f"/inventory/v1/items/{ids['drill']}/serialnumber/"
                                                          "validateandmap"))
    relay.start()
    with store.transaction() as conn:
        entry_ids = enqueue_serial_mappings(outbox, conn, relay.target, group_serial_mappings(
            "salesorder", "SO-7", "W1", [PickedSerial(ids["drill"], "Z-3", "B1")]))
    outbox.announce(entry_ids)
    assert relay.flush(FLUSH_S) == [] and outbox.get(entry_ids[0]).result["found_applied"]  # type: ignore[index]
    assert store.connection().execute("SELECT entity_id FROM embedded_serial_mappings WHERE serialnumber = 'Z-3'"
                                      ).fetchone() == ("SO-7",)


# -- batches -----------------------------------------------------------------------------------------

def test_lookup_finds_a_new_batch_straight_after(zoho: FakeZoho, ids: dict[str, str], outbox: Outbox,
                                                 relay: OutboxRelay, home: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    zoho.inventory.add_batch(ids["milk"], "L-THEIRS", expiry_date="2027-03-31", manufacturer_batch_number="M-77")
    workflow = ReceivingWorkflow(outbox, relay.target, today=lambda: TODAY)
    try:
        workflow.start("PO-42", "W1", "B1")
        milk = workflow.store.get_item(ids["milk"])
        for number, expiry in (("L-NEW", "2026-12-31"), ("L-THEIRS", "2027-03-31")):
            assert workflow.receive_batch(BatchFields(number, None, None, expiry, 4.0), item=milk).accepted
        assert run_json(capsys, home, "lookup", "L-NEW")[0] == 1  # not in the store before delivery
        relay.start()
        assert relay.flush(FLUSH_S) == []
    finally:
        workflow.close()
    [created] = [b for b in zoho.inventory.batches.values() if b["batch_number"] == "L-NEW"]
    code, found = run_json(capsys, home, "lookup", "L-NEW")
    assert (code, found["status"], found["kind"]) == (0, "found", "batch")
    assert (found["batch"]["batch_id"], found["batch"]["expiry_date"]) == (created["batch_id"], "2026-12-31")
    assert found["item"]["item_id"] == ids["milk"]
    code, reused = run_json(capsys, home, "lookup", "M-77")  # a reused batch, by its manufacturer's number
    assert (code, reused["kind"], reused["batch"]["batch_number"]) == (0, "batch", "L-THEIRS")


def test_a_confirmed_serial_is_scannable_at_once(zoho: FakeZoho, ids: dict[str, str], outbox: Outbox,
                                                 store: InventoryStore, relay: OutboxRelay) -> None:
    zoho.inventory.add_serial(ids["drill"], "Z-NEW")  # recorded on the purchase receive in Zoho
    workflow = ReceivingWorkflow(outbox, relay.target, today=lambda: TODAY)
    try:
        workflow.start("PO-43", "W1", "B1")
        assert workflow.receive_serial("Z-NEW", item=workflow.store.get_item(ids["drill"])).accepted
        relay.start()
        assert relay.flush(FLUSH_S) == []
    finally:
        workflow.close()
    serial = store.get_serial(next(s["serialnumber_id"] for s in zoho.inventory.serials.values()
                                   if s["serialnumber"] == "Z-NEW"))
    assert serial is not None and (serial.item_id, serial.warehouse_id, serial.bin_id) == (ids["drill"], "W1", "B1")


# -- assemblies ----------------------------------------------------------------------------------------

def repair_kits(ids: dict[str, str], quantity: int = 2) -> AssemblyRecord:
    return AssemblyRecord("ASM-LOCAL-1", "2026-01-15", ids["kit"], "Repair kit", quantity, "W1", "B1", (
        ConsumedComponent(ids["screw"], "Screw pack", 2 * quantity),
        ConsumedComponent(ids["drill"], "Drill", quantity, tuple(f"Z-{n}" for n in range(1, quantity + 1)))))


@pytest.mark.parametrize("lost_answers", [0, 2], ids=["answered", "confirm-and-build-answers-lost"])
def test_the_kits_stock_goes_up_once_after_the_build(zoho: FakeZoho, ids: dict[str, str], store: InventoryStore,
                                                     outbox: Outbox, relay: OutboxRelay, lost_answers: int) -> None:
    if lost_answers:  # confirm and build reached Zoho, their answers did not: found, not sent again
        zoho.inject(dropped_connection(after_apply=True, method="POST", path="/inventory/v1/bundles/",
                                       times=lost_answers))
    with store.transaction() as conn:
        entry_ids = enqueue_assembly(outbox, conn, relay.target, repair_kits(ids))
    outbox.announce(entry_ids)
    relay.start()
    assert relay.flush(FLUSH_S) == []
    assert [b["status"] for b in zoho.inventory.bundles.values()] == ["built"]
    assert zoho.count("POST", "/inventory/v1/bundles/") == 2
    if lost_answers:
        assert outbox.get(entry_ids[2]).result["found_applied"]  # type: ignore[index]
    assert stock_of(store, ids["kit"]) == {"B1": 2}
    # 4 screws: the bench's bin (3) first, then the warehouse's stock without a bin
    assert stock_of(store, ids["screw"]) == {"B1": 0, None: 4}
    assert stock_of(store, ids["drill"]) == {"B1": 0}  # 2 consumed, 1 known here: never below nothing


def test_creating_and_confirming_move_no_stock(zoho: FakeZoho, ids: dict[str, str], store: InventoryStore,
                                               outbox: Outbox, relay: OutboxRelay) -> None:
    record = repair_kits(ids, 1)
    with store.transaction() as conn:
        entry_ids = [outbox.enqueue(conn, target=relay.target, document=record.document, kind=step,
                                    payload=record.to_payload()) for step in ("bundle.create", "bundle.confirm")]
    outbox.announce(entry_ids)
    relay.start()
    assert relay.flush(FLUSH_S) == []
    assert [b["status"] for b in zoho.inventory.bundles.values()] == ["confirmed"]
    assert (stock_of(store, ids["kit"]), stock_of(store, ids["screw"])) == ({}, {"B1": 3, None: 5})


# -- the seam --------------------------------------------------------------------------------------------

class Echoing:
    """A deliverer whose local copy write fails half-way."""

    def __init__(self, fail: bool) -> None:
        self.fail = fail

    def deliver(self, entry: OutboxEntry) -> Mapping[str, Any]:
        return {"ok": True}

    def was_applied(self, entry: OutboxEntry) -> Mapping[str, Any] | None:
        return None

    def record_locally(self, local: LocalCopy, entry: OutboxEntry, result: Mapping[str, Any]) -> None:
        local.serials_mapped("I-NONE", ["X-1"], entity_type="salesorder", entity_id="SO-9", warehouse_id=None,
                             bin_id=None)
        if self.fail:
            raise RuntimeError("disk trouble")


@pytest.mark.parametrize("fail", [False, True])
def test_the_local_copy_is_written_with_the_delivery_or_not_at_all(
        store: InventoryStore, outbox: Outbox, make_relay: Callable[..., OutboxRelay], fail: bool) -> None:
    relay = make_relay(target="zoho:1", deliverers={"echo.test": Echoing(fail)})
    relay.recover()
    with store.transaction() as conn:
        entry_id = outbox.enqueue(conn, target="zoho:1", document="d", kind="echo.test", payload={})
    assert relay.deliver_due() == 1
    assert outbox.get(entry_id).state == "delivered"
    rows = store.connection().execute("SELECT serialnumber FROM embedded_serial_mappings").fetchall()
    assert rows == ([] if fail else [("X-1",)])
