"""The dispatch workflow's scan rules: each rejection its own verdict and words, changing
nothing; items, bins and serials taken in; serial-first scans; mixed items."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from scanner_app.inventory.store import InventoryStore
from scanner_app.jobs.ownership import JobInUse
from scanner_app.workflows.dispatch import DispatchWorkflow
from scanner_app.workflows.dispatch_answers import DispatchAnswer, DispatchNotReady
from tests.workflows.helpers import assert_refused, saved_serials

Scan = Callable[[str], DispatchAnswer]


@pytest.fixture
def started(workflow: DispatchWorkflow, scan: Scan) -> Scan:
    workflow.start("salesorder", "SO-1", "W1")
    assert scan("DRL-18").verdict == "item_selected"
    return scan


def test_a_scan_before_a_dispatch_is_refused(scan: Scan) -> None:
    assert scan("SN-0001").verdict == "no_dispatch"


def test_an_accepted_serial_takes_the_stores_bin_and_is_saved(started: Scan, workflow: DispatchWorkflow,
                                                             store: InventoryStore) -> None:
    answer = started("SN-0001")
    assert answer.verdict == "serial_added" and answer.accepted
    assert "A-01-01" in answer.message
    assert saved_serials(store, workflow) == [("I2", "SN-0001", "B1")]
    assert [s.state for s in workflow.serials()] == ["scanned"]


@pytest.mark.parametrize(("code", "verdict", "words"), [
    ("SN-OFF", "serial_inactive", "SN-OFF of Drill is inactive"),
    ("SN-OUT", "transacted_out", "SN-OUT of Drill has already gone out"),
    ("SN-NORTH", "other_warehouse", "SN-NORTH of Drill is in North, not in this warehouse"),
    ("SC-1", "other_item", "SC-1 is a serial number of Scanner, not of Drill"),
    ("NOPE-1", "not_of_item", "NOPE-1 is not a serial number of Drill"),
    ("TIS-100", "not_serial_tracked", "Tissues is not tracked by serial number"),
    ("N-09", "bin_other_warehouse", "Bin N-09 is in North"),
    ("", "invalid", "Nothing was scanned"),
])
def test_each_rejection_has_its_own_words_and_changes_nothing(started: Scan, workflow: DispatchWorkflow,
                                                              store: InventoryStore, code: str, verdict: str,
                                                              words: str) -> None:
    assert_refused(started(code), verdict, words)
    assert workflow.serials() == [] and saved_serials(store, workflow) == []
    assert workflow.current_item is not None and workflow.current_item.name == "Drill"
    assert workflow.current_bin is None


def test_a_serial_scanned_twice_is_refused_the_second_time(started: Scan, workflow: DispatchWorkflow) -> None:
    assert started("SN-0001").accepted
    again = started("sn-0001")  # codes are matched case-insensitively
    assert again.verdict == "duplicate" and "already scanned in this dispatch" in again.message
    assert len(workflow.serials()) == 1


def test_a_serial_in_another_open_dispatch_is_refused(outbox, store: InventoryStore, started: Scan) -> None:  # type: ignore[no-untyped-def]
    from scanner_app.outbox import EMBEDDED_TARGET
    from scanner_app.scanning.pipeline import ScanPipeline
    from scanner_app.scanning.scan import Scan as RawScan
    from scanner_app.scanning.scan import ScanSource

    assert started("SN-0001").accepted
    other = DispatchWorkflow(outbox, EMBEDDED_TARGET)
    try:
        other.dispatch = other.records.create("salesorder", "SO-2", "W1")
        answer = other.handle(ScanPipeline(store).process(RawScan("SN-0001", ScanSource.CLI)))
    finally:
        other.close()
    assert answer.verdict == "claimed"
    assert "SN-0001 of Drill is already being dispatched with salesorder SO-1" in answer.message


def test_a_serial_mapped_to_another_document_is_refused(store: InventoryStore, started: Scan) -> None:
    with store.transaction() as conn:
        conn.execute("INSERT INTO embedded_serial_mappings VALUES ('I2', 'SN-0002', 'invoice', 'INV-9', 'W1', 'B1', 0)")
    answer = started("SN-0002")
    assert answer.verdict == "claimed" and "mapped to invoice INV-9" in answer.message


def test_a_scanned_bin_sets_the_bin_of_the_serials_that_follow(started: Scan, workflow: DispatchWorkflow,
                                                              store: InventoryStore) -> None:
    assert started("SN-0001").serial.bin_id == "B1"  # type: ignore[union-attr]
    assert started("A-01-02").verdict == "bin_selected"
    second = started("SN-0003")  # the store knows no bin for it
    assert second.serial is not None and (second.serial.bin_id, second.serial.bin_from_scan) == ("B2", True)
    third = started("SN-0002")  # the store says B1: the scanned bin wins, with a note
    assert third.serial is not None and third.serial.bin_id == "B2" and "A-01-01" in (third.note or "")
    assert saved_serials(store, workflow) == [("I2", "SN-0001", "B1"), ("I2", "SN-0003", "B2"), ("I2", "SN-0002", "B2")]


def test_serials_without_a_bin_block_completion_until_they_get_one(started: Scan,
                                                                   workflow: DispatchWorkflow) -> None:
    started("SN-0003")
    with pytest.raises(DispatchNotReady, match=r"1 serial number.* have no bin .SN-0003"):
        workflow.complete()
    assert workflow.is_open
    started("A-01-02")
    assert workflow.assign_bin() == 1
    workflow.complete()
    assert [(s.serialnumber, s.bin_id, s.state) for s in workflow.serials()] == [("SN-0003", "B2", "validating")]


def test_a_serial_scanned_first_selects_its_item(workflow: DispatchWorkflow, scan: Scan) -> None:
    workflow.start("package", "PKG-7", "W1")
    answer = scan("SC-1")
    assert answer.verdict == "serial_added" and workflow.current_item is not None
    assert workflow.current_item.name == "Scanner"
    assert scan("SN-0001").verdict == "other_item"  # the Scanner is now the current item


def test_mixed_items_in_one_dispatch(workflow: DispatchWorkflow, scan: Scan, store: InventoryStore) -> None:
    workflow.start("salesorder", "SO-3", "W1")
    for code in ("DRL-18", "SN-0001", "SN-0004", "SCN-1", "SC-1", "SC-2", "DRL-18", "SN-0002"):
        assert scan(code).accepted, code
    assert saved_serials(store, workflow) == [("I2", "SN-0001", "B1"), ("I2", "SN-0004", "B2"), ("I5", "SC-1", "B2"),
                                      ("I5", "SC-2", "B2"), ("I2", "SN-0002", "B1")]
    workflow.complete()
    entries = workflow.outbox.entries()
    assert [(e.payload["item_id"], e.payload["bin_id"], e.payload["serial_numbers"]) for e in entries] == [
        ("I2", "B1", ["SN-0001", "SN-0002"]), ("I2", "B2", ["SN-0004"]), ("I5", "B2", ["SC-1", "SC-2"])]
    assert {e.document for e in entries} == {"salesorder:SO-3"}
    assert all(e.payload["warehouse_id"] == "W1" for e in entries)


def test_completion_chunks_each_item_and_bin(outbox, scan: Scan, workflow: DispatchWorkflow) -> None:  # type: ignore[no-untyped-def]
    workflow.chunk = 1
    workflow.start("salesorder", "SO-4", "W1")
    for code in ("SN-0001", "SN-0002"):
        assert scan(code).accepted
    workflow.complete()
    assert [e.payload["serial_numbers"] for e in outbox.entries()] == [["SN-0001"], ["SN-0002"]]
    assert scan("SN-0004").verdict == "dispatch_closed"


def test_starting_needs_a_known_warehouse_and_remembers_it(workflow: DispatchWorkflow) -> None:
    with pytest.raises(DispatchNotReady, match="no warehouse 'W7'"):
        workflow.start("salesorder", "SO-1", "W7")
    with pytest.raises(DispatchNotReady, match="document"):
        workflow.start("salesorder", " ", "W1")
    workflow.start("salesorder", "SO-1", "W2")
    assert workflow.records.remembered_warehouse() == "W2"


def test_a_crash_mid_dispatch_loses_no_scanned_serial(tmp_path, store: InventoryStore, outbox,  # type: ignore[no-untyped-def]
                                                      started: Scan, workflow: DispatchWorkflow) -> None:
    from scanner_app.outbox import EMBEDDED_TARGET, Outbox

    started("SN-0001")
    started("A-01-02")
    started("SN-0003")
    # a new process: a new store on the same file, nothing carried over in memory
    reopened_store = InventoryStore(store.path)
    reopened = DispatchWorkflow(Outbox(reopened_store), EMBEDDED_TARGET)
    try:
        with pytest.raises(JobInUse, match="dispatch-1 is being worked on by another scanner-app process; "
                                           "wait for it to finish or stop it"):
            reopened.resume()  # the first workflow still holds it: not loaded
        assert reopened.dispatch is None
        workflow.let_go()  # what the operating system does when the first process dies
        row = reopened.resume()
        assert row is not None and (row.entity_type, row.entity_id, row.warehouse_id) == ("salesorder", "SO-1", "W1")
        assert [(s.serialnumber, s.bin_code, s.state) for s in reopened.serials()] == [
            ("SN-0001", "A-01-01", "scanned"), ("SN-0003", "A-01-02", "scanned")]
    finally:
        reopened.close()
        reopened_store.close()


def test_a_warehouse_without_bins_completes_without_a_bin_but_one_with_bins_does_not(
        tmp_path: Any, workflow: DispatchWorkflow, scan: Scan, store: InventoryStore) -> None:
    """Zoho's bin locations may be off for a warehouse: its serials are mapped to the
    warehouse alone. Where the warehouse has bins, a serial without one still blocks."""
    from scanner_app.inventory.importer import import_document
    import_document(store, {"warehouses": [{"warehouse_id": "W3", "warehouse_name": "Binless"}],
                            "serial_numbers": [{"serialnumber_id": "id-b1", "serialnumber": "SN-BINLESS",
                                                "item_id": "I2", "location_id": "W3"}]})
    workflow.start("salesorder", "SO-1", "W1")
    assert scan("DRL-18").verdict == "item_selected"
    assert "no bin yet: scan its bin" in scan("SN-0003").message
    with pytest.raises(DispatchNotReady, match="have no bin"):
        workflow.complete()
    workflow.cancel()

    workflow.start("salesorder", "SO-2", "W3")
    assert scan("DRL-18").verdict == "item_selected"
    answer = scan("SN-BINLESS")
    assert answer.accepted and "no bins here" in answer.message
    workflow.complete()
    assert [s.serialnumber for s in workflow.serials()] == ["SN-BINLESS"]
    assert workflow.dispatch is not None and workflow.dispatch.state == "completed"
