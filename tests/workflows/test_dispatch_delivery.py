"""A dispatch delivered end to end: through the relay into the embedded store, and to the
fake Zoho on loopback (success, and a serial Zoho refuses, with Zoho's words shown).
Serial states follow the outbox entries live."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from scanner_app.backends.zoho import ZohoClient
from scanner_app.inventory.importer import import_document
from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox import SERIAL_VALIDATE_AND_MAP, Outbox, OutboxRelay, RetryPolicy, zoho_target
from scanner_app.outbox.embedded_serials import EmbeddedSerialMappingDeliverer
from scanner_app.outbox.zoho_serials import ZohoSerialMappingDeliverer
from scanner_app.scanning.pipeline import ScanPipeline
from scanner_app.scanning.scan import Scan, ScanSource
from scanner_app.workflows.dispatch import DispatchWorkflow
from scanner_app.workflows.dispatch_answers import DispatchAnswer
from tests.backends.conftest import TEST_POLICY as HTTP_POLICY
from tests.backends.fake_clock import FakeClock
from tests.backends.fake_zoho import FakeZoho

QUICK = RetryPolicy(max_attempts=3, backoff_seconds=0.01, max_backoff_seconds=0.05, idle_poll_seconds=0.2)


@pytest.fixture
def relay(outbox: Outbox, store: InventoryStore) -> Iterator[OutboxRelay]:
    r = OutboxRelay(outbox, "embedded", {SERIAL_VALIDATE_AND_MAP: EmbeddedSerialMappingDeliverer(store)},
                    policy=QUICK)
    r.start()
    yield r
    r.stop()


def test_embedded_end_to_end_serials_go_out_mapped_to_the_document(
        workflow: DispatchWorkflow, scan: Callable[[str], DispatchAnswer], store: InventoryStore,
        relay: OutboxRelay) -> None:
    seen: list[list[str]] = []
    workflow.changed.connect(lambda wf: seen.append([s.state for s in wf.serials()]))
    workflow.start("salesorder", "SO-1", "W1")
    for code in ("SN-0001", "SN-0004", "SCN-1", "SC-1"):
        assert scan(code).accepted
    workflow.complete()
    assert relay.flush(10) == []
    assert [(s.serialnumber, s.state) for s in workflow.serials()] == [
        ("SN-0001", "mapped"), ("SN-0004", "mapped"), ("SC-1", "mapped")]
    assert ["validating"] * 3 in seen  # the states were heard as they changed
    conn = store.connection()
    assert conn.execute("SELECT serialnumber, entity_type, entity_id, bin_id FROM embedded_serial_mappings"
                        " ORDER BY serialnumber").fetchall() == [
        ("SC-1", "salesorder", "SO-1", "B2"), ("SN-0001", "salesorder", "SO-1", "B1"),
        ("SN-0004", "salesorder", "SO-1", "B2")]
    assert conn.execute("SELECT count(*) FROM serial_numbers WHERE is_transacted_out = 1"
                        " AND serialnumber IN ('SN-0001', 'SN-0004', 'SC-1')").fetchone() == (3,)
    # and a later dispatch can no longer take them
    workflow.start("salesorder", "SO-2", "W1")
    assert scan("SN-0001").verdict == "transacted_out"


def test_embedded_refusal_marks_the_serials_failed_with_the_reason(
        workflow: DispatchWorkflow, scan: Callable[[str], DispatchAnswer], store: InventoryStore,
        relay: OutboxRelay) -> None:
    workflow.start("salesorder", "SO-1", "W1")
    assert scan("A-01-02").accepted
    assert scan("SN-0001").accepted  # the store has it in B1: the embedded backend refuses the scanned B2
    workflow.complete()
    left = relay.flush(10)
    assert [e.state for e in left] == ["failed"]
    (only,) = workflow.serials()
    assert only.state == "failed" and "SN-0001 is in another bin (A-01-01)" in (only.reason or "")


@pytest.fixture
def zoho() -> Iterator[FakeZoho]:
    with FakeZoho() as server:
        yield server


@pytest.fixture
def zoho_dispatch(zoho: FakeZoho, tmp_path) -> Iterator[tuple[DispatchWorkflow, ScanPipeline, OutboxRelay]]:  # type: ignore[no-untyped-def]
    drill = str(zoho.inventory.add_item("Drill", sku="DRL-18", track_serial_number=True)["item_id"])
    for number in ("Z-1", "Z-2", "Z-TAKEN"):
        zoho.inventory.add_serial(drill, number, is_transacted_out=number == "Z-TAKEN")
    store = InventoryStore(tmp_path / "zoho-station.sqlite3")
    import_document(store, {  # the station's synced copy; it has not heard that Z-TAKEN went out
        "warehouses": [{"warehouse_id": "W1", "warehouse_name": "Main"}],
        "bins": [{"bin_id": "B1", "warehouse_id": "W1", "code": "A-01", "name": "A 1"}],
        "items": [{"item_id": drill, "name": "Drill", "sku": "DRL-18", "track_serial_number": True}],
        "serial_numbers": [{"serialnumber_id": f"s-{n}", "serialnumber": n, "item_id": drill, "warehouse_id": "W1",
                            "storage_location_id": "B1"} for n in ("Z-1", "Z-2", "Z-TAKEN")]})
    client = ZohoClient(zoho.settings(), zoho.secrets(), clock=FakeClock(), policy=HTTP_POLICY)
    outbox = Outbox(store)
    target = zoho_target(zoho.organization_id)
    relay = OutboxRelay(outbox, target, {SERIAL_VALIDATE_AND_MAP: ZohoSerialMappingDeliverer(lambda: client)},
                        policy=QUICK)
    workflow = DispatchWorkflow(outbox, target)
    relay.start()
    try:
        yield workflow, ScanPipeline(store), relay
    finally:
        relay.stop()
        workflow.close()
        client.close()
        store.close()


def run(workflow: DispatchWorkflow, pipeline: ScanPipeline, *codes: str) -> None:
    workflow.start("salesorder", "4815000000044208", "W1")
    for code in codes:
        assert workflow.handle(pipeline.process(Scan(code, ScanSource.CLI))).accepted, code
    workflow.complete()


def test_zoho_maps_the_serials_to_the_document(zoho: FakeZoho, zoho_dispatch) -> None:  # type: ignore[no-untyped-def]
    workflow, pipeline, relay = zoho_dispatch
    run(workflow, pipeline, "DRL-18", "Z-1", "Z-2")
    assert relay.flush(10) == []
    assert [s.state for s in workflow.serials()] == ["mapped", "mapped"]
    (call,) = zoho.inventory.serial_mappings
    assert (call["serial_numbers"], call["entity_type"], call["entity_id"], call["warehouse_id"],
            call["location_id"]) == (["Z-1", "Z-2"], "salesorder", "4815000000044208", "W1", "B1")


def test_a_serial_zoho_refuses_is_failed_with_zohos_message(zoho: FakeZoho, zoho_dispatch) -> None:  # type: ignore[no-untyped-def]
    workflow, pipeline, relay = zoho_dispatch
    run(workflow, pipeline, "Z-1", "Z-TAKEN")
    assert [e.state for e in relay.flush(10)] == ["failed"]
    states = {s.serialnumber: (s.state, s.reason) for s in workflow.serials()}
    assert states["Z-TAKEN"][0] == "failed" and states["Z-1"][0] == "failed"  # Zoho refuses the call whole
    assert "Serial number(s) Z-TAKEN are not available for this item." in (states["Z-TAKEN"][1] or "")
    assert zoho.inventory.serial_mappings == []
