"""One serial, one workflow: a unit ticked for an assembly not built yet cannot be dispatched,
a unit in an open dispatch cannot be assembled, and a new serial still being received is
said so by dispatch. Each refusal records nothing (no dispatch serial, no assembly unit, no
outbox entry). All on one real inventory file with the workflows side by side, as the
window has them."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox import EMBEDDED_TARGET, Outbox, OutboxRelay
from scanner_app.outbox.batch_receipts import SERIAL_RECEIVE
from scanner_app.outbox.embedded_batch_receipts import EmbeddedSerialReceiptDeliverer
from scanner_app.outbox.embedded_bundles import embedded_bundle_deliverers
from scanner_app.scanning.pipeline import ScanPipeline
from scanner_app.scanning.scan import Scan, ScanSource
from scanner_app.workflows.assembly import AssemblyWorkflow
from scanner_app.workflows.dispatch import DispatchWorkflow
from scanner_app.workflows.dispatch_answers import DispatchAnswer
from scanner_app.workflows.receiving import ReceivingWorkflow
from tests.workflows.helpers import saved_serials, scanner_for
from tests.workflows.kit_catalogue import GLUE_GTIN, TODAY, ScanInto


@pytest.fixture
def packer(kit_outbox: Outbox) -> Iterator[DispatchWorkflow]:
    """A dispatch of salesorder SO-7 from W1 with Drill chosen, beside the assembly bench."""
    workflow = DispatchWorkflow(kit_outbox, EMBEDDED_TARGET)
    workflow.start("salesorder", "SO-7", "W1")
    yield workflow
    workflow.close()


@pytest.fixture
def pack(kit_store: InventoryStore, packer: DispatchWorkflow) -> ScanInto:
    pipeline = ScanPipeline(kit_store)

    def scan(raw: str) -> DispatchAnswer:
        return packer.handle(pipeline.process(Scan(raw, ScanSource.CLI)))

    assert scan("DRL-18").verdict == "item_selected"
    return scan  # type: ignore[return-value]


def dispatched(store: InventoryStore, packer: DispatchWorkflow) -> list[str]:
    return [serialnumber for _item, serialnumber, _bin in saved_serials(store, packer)]


def assembled(store: InventoryStore) -> list[tuple[str, str | None]]:
    return store.connection().execute("SELECT item_id, serialnumber FROM assembly_units ORDER BY 1, 2").fetchall()


def test_a_serial_ticked_in_an_open_assembly_is_refused_by_dispatch(
        bench: AssemblyWorkflow, kit_scan: ScanInto, pack: ScanInto, packer: DispatchWorkflow,
        kit_store: InventoryStore, kit_outbox: Outbox) -> None:
    assert kit_scan("KIT-REP").verdict == "kit_started"
    assert kit_scan("SN-1").verdict == "ticked"
    assert bench.assembly is not None
    reference = bench.assembly.reference
    refused = pack("SN-1")
    assert (refused.verdict, refused.accepted, refused.message) == (
        "claimed", False, f"SN-1 of Drill is already a component of the assembly of Repair kit ({reference}), "
                          "not built yet")
    assert packer.serials() == [] and dispatched(kit_store, packer) == [] and kit_outbox.entries() == []
    assert pack("SN-2").verdict == "serial_added"  # another unit of the same item is free
    assert dispatched(kit_store, packer) == ["SN-2"]


def test_a_serial_of_a_completed_assembly_stays_refused_until_it_is_built_and_gone(
        bench: AssemblyWorkflow, kit_scan: ScanInto, pack: ScanInto, packer: DispatchWorkflow,
        kit_store: InventoryStore, kit_outbox: Outbox) -> None:
    kit_scan("KIT-REP")
    for code in ("SCR-10", "SCR-10", "SN-1", f"(01){GLUE_GTIN}(10)GL-OK(30)2"):
        assert kit_scan(code).verdict == "ticked", code
    bench.complete()
    assert bench.assembly is not None
    reference = bench.assembly.reference
    pending = pack("SN-1")  # completed, its three steps not delivered yet
    assert (pending.verdict, pending.message) == (
        "claimed", f"SN-1 of Drill is already a component of the assembly of Repair kit ({reference}), "
                   "completed but not built yet")
    assert dispatched(kit_store, packer) == [] and len(kit_outbox.entries()) == 3
    relay = OutboxRelay(kit_outbox, EMBEDDED_TARGET, embedded_bundle_deliverers(kit_store))
    try:
        assert relay.deliver_due() == 3
    finally:
        relay.stop()
    gone = pack("SN-1")  # built: the serial went into the kit
    assert (gone.verdict, gone.message) == ("transacted_out", "SN-1 of Drill has already gone out (transacted out)")
    assert dispatched(kit_store, packer) == []


def test_a_cancelled_assembly_gives_its_serials_back(bench: AssemblyWorkflow, kit_scan: ScanInto,
                                                     pack: ScanInto, kit_store: InventoryStore,
                                                     packer: DispatchWorkflow) -> None:
    kit_scan("KIT-REP")
    kit_scan("SN-1")
    assert pack("SN-1").verdict == "claimed"
    bench.cancel()
    assert pack("SN-1").verdict == "serial_added"
    assert dispatched(kit_store, packer) == ["SN-1"]


def test_a_serial_in_an_open_dispatch_is_refused_by_assembly(
        bench: AssemblyWorkflow, kit_scan: ScanInto, pack: ScanInto, kit_store: InventoryStore,
        kit_outbox: Outbox) -> None:
    assert pack("SN-2").verdict == "serial_added"
    kit_scan("KIT-REP")
    refused = kit_scan("SN-2")
    assert (refused.verdict, refused.accepted, refused.message) == (
        "claimed", False, "SN-2 of Drill is already being dispatched with salesorder SO-7")
    assert [line.ticked for line in bench.lines()] == [0, 0, 0] and assembled(kit_store) == []
    assert kit_outbox.entries() == []


def test_another_assembly_names_the_kit_that_holds_the_serial(bench: AssemblyWorkflow, kit_scan: ScanInto,
                                                              kit_store: InventoryStore, kit_outbox: Outbox) -> None:
    kit_scan("KIT-REP")
    kit_scan("SN-1")
    assert bench.assembly is not None
    other = AssemblyWorkflow(kit_outbox, EMBEDDED_TARGET, today=lambda: TODAY)
    try:
        other.choose("W1", "B1", 1)
        scan_other = scanner_for(kit_store, other)
        scan_other("KIT-REP")
        taken = scan_other("SN-1")
        assert (taken.verdict, taken.message) == (
            "claimed", f"SN-1 of Drill is already a component of the assembly of Repair kit "
                       f"({bench.assembly.reference}), not built yet")
        assert assembled(kit_store) == [("DRL", "SN-1")]
    finally:
        other.close()


def test_a_serial_still_being_received_is_said_so_by_dispatch(pack: ScanInto, packer: DispatchWorkflow,
                                                              kit_store: InventoryStore, kit_outbox: Outbox) -> None:
    receiving = ReceivingWorkflow(kit_outbox, EMBEDDED_TARGET, warning_days=30)
    try:
        receiving.start("PO-9", "W1", "B1")
        pipeline = ScanPipeline(kit_store)
        assert receiving.handle(pipeline.process(Scan("DRL-18", ScanSource.CLI))).accepted
        assert receiving.handle(pipeline.process(Scan("SN-NEW", ScanSource.CLI))).verdict == "line_added"
        assert receiving.receipt is not None
        receipt = receiving.receipt.receipt_id
        entries_before = [(e.entry_id, e.state) for e in kit_outbox.entries()]
        early = pack("SN-NEW")  # received on paper, not in the inventory yet
        assert (early.verdict, early.accepted, early.message) == (
            "being_received", False, f"SN-NEW of Drill is being received in receipt {receipt} (PO-9), not in the "
                                     "inventory yet: dispatch it once that receipt line is assigned")
        assert packer.serials() == [] and dispatched(kit_store, packer) == []
        assert [(e.entry_id, e.state) for e in kit_outbox.entries()] == entries_before
        relay = OutboxRelay(kit_outbox, EMBEDDED_TARGET, {SERIAL_RECEIVE: EmbeddedSerialReceiptDeliverer(kit_store)})
        try:
            assert relay.deliver_due() == 1
        finally:
            relay.stop()
        assert pack("SN-NEW").verdict == "serial_added"  # assigned: in stock, so it can go out
        assert pack("SN-UNHEARD").verdict == "not_of_item"  # in no receipt: the plain refusal
    finally:
        receiving.close()
