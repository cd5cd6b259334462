"""What ``LocalCopy`` leaves in the station's store after a delivery to a cloud inventory
system (Zoho's local copy), written straight through the class as the relay's deliverers
do, inside a write transaction:

- it refuses to write outside the caller's write transaction, and says so;
- serials the vendor says are transacted out are marked so (only those, only that item's);
- a received serial is written once, active, at the place as far as the copy knows it
  (an unknown warehouse or bin is left out rather than referenced), and not at all for an
  item the copy lacks or a serial it already has;
- a batch the copy has is renamed, re-dated and re-statused in place (its place and
  balance kept, its codes replaced); a new one goes to the vendor's place, else the
  receipt's, with the vendor's status ("active" when the vendor gives none);
- a built assembly puts the kits in the warehouse without a bin when the copy does not
  know the bench's bin, takes every known component even after an unknown one, and takes
  each component first from the bins its scanned serials or batches are in.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest

from scanner_app.inventory.importer import import_document
from scanner_app.inventory.models import Batch, LookupResult
from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox.local_copy import LocalCopy, UsedComponent
from scanner_app.scanning.pipeline import ScanPipeline
from scanner_app.scanning.scan import Scan, ScanSource
from tests.workflows.helpers import places

NOW = 1_767_225_600.0  # the fake clock's reading, stamped on mappings


def stock(warehouse: str, *rows: tuple[str | None, float]) -> list[dict[str, Any]]:
    """Zoho's ``locations`` of an item: ``rows`` are (bin or None, quantity) in ``warehouse``."""
    return [{"location_id": warehouse, "location_stock_on_hand": sum(q for _, q in rows),
             "storages": [{"storage_location_id": b, "quantity": q} for b, q in rows if b]}]


@pytest.fixture
def catalogued(store: InventoryStore) -> InventoryStore:
    """W1 (bins B1, B2) and W2 (B9); a serial drill with Z-1 in B2 and Z-2, Z-3 in B1; a saw
    that also has a serial Z-1; batch milk with L-OLD in B2; screws; a repair kit."""
    report = import_document(store, {
        **places(),
        "items": [
            {"item_id": "DRILL", "name": "Drill", "sku": "DRL-18", "track_serial_number": True,
             "locations": stock("W1", ("B2", 1), (None, 1))},
            {"item_id": "SAW", "name": "Saw", "sku": "SAW-1", "track_serial_number": True},
            {"item_id": "MILK", "name": "Milk powder", "sku": "MLK-1", "track_batch_number": True,
             "locations": stock("W1", ("B2", 2), (None, 2))},
            {"item_id": "SCREW", "name": "Screw pack", "sku": "SCR-10",
             "locations": stock("W1", ("B1", 3), (None, 5))},
        ],
        "composite_items": [{"composite_item_id": "KIT", "name": "Repair kit", "sku": "KIT-REP",
                             "mapped_items": [{"item_id": "SCREW", "quantity": 2},
                                              {"item_id": "DRILL", "quantity": 1}]}],
        "batches": [{"batch_id": "BATCH-OLD", "item_id": "MILK", "batch_number": "L-OLD",
                     "manufacturer_batch_number": "M-OLD", "expiry_date": "2026-06-30", "balance_quantity": 5,
                     "status": "active", "warehouse_id": "W1", "bin_id": "B2"}],
        "serial_numbers": [
            {"serialnumber_id": "S-DRILL-1", "serialnumber": "Z-1", "item_id": "DRILL", "warehouse_id": "W1",
             "bin_id": "B2"},
            {"serialnumber_id": "S-DRILL-2", "serialnumber": "Z-2", "item_id": "DRILL", "warehouse_id": "W1",
             "bin_id": "B1"},
            {"serialnumber_id": "S-DRILL-3", "serialnumber": "Z-3", "item_id": "DRILL", "warehouse_id": "W1",
             "bin_id": "B1"},
            {"serialnumber_id": "S-SAW-1", "serialnumber": "Z-1", "item_id": "SAW", "warehouse_id": "W1"},
        ]})
    assert (report.batches, report.serial_numbers) == (1, 4)
    return store


@pytest.fixture
def conn(catalogued: InventoryStore) -> Iterator[sqlite3.Connection]:
    """The store's connection inside a write transaction (committed after the test's writes)."""
    with catalogued.transaction() as c:
        yield c


@pytest.fixture
def local(conn: sqlite3.Connection) -> LocalCopy:
    return LocalCopy(conn, now=lambda: NOW)


def rows(conn: sqlite3.Connection, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in conn.execute(sql, args).fetchall()]


def stock_of(conn: sqlite3.Connection, item_id: str, warehouse_id: str = "W1") -> dict[str | None, float]:
    return dict(conn.execute("SELECT bin_id, quantity FROM item_stock WHERE item_id = ? AND warehouse_id = ?",
                             (item_id, warehouse_id)).fetchall())


def lookup(store: InventoryStore, code: str) -> LookupResult:
    """What a scan of ``code`` finds at the station."""
    return ScanPipeline(store).process(Scan(code, ScanSource.CLI)).result


# -- the transaction -----------------------------------------------------------------------------

def test_a_local_copy_outside_a_write_transaction_is_refused_with_the_reason(catalogued: InventoryStore) -> None:
    with pytest.raises(ValueError) as refused:
        LocalCopy(catalogued.connection())
    assert str(refused.value) == "LocalCopy writes inside the caller's write transaction"


# -- serials mapped ------------------------------------------------------------------------------

def test_serials_the_vendor_says_are_transacted_out_are_marked_so_and_only_those(
        conn: sqlite3.Connection, local: LocalCopy) -> None:
    local.serials_mapped("DRILL", ["Z-1", "Z-2"], entity_type="salesorder", entity_id="SO-5", warehouse_id="W1",
                         bin_id="B2", transacted_out=True)
    assert rows(conn, "SELECT item_id, serialnumber, is_transacted_out FROM serial_numbers"
                      " ORDER BY item_id, serialnumber") == [
        ("DRILL", "Z-1", 1), ("DRILL", "Z-2", 1), ("DRILL", "Z-3", 0),
        ("SAW", "Z-1", 0)]  # the same number of another item is another serial
    assert rows(conn, "SELECT item_id, serialnumber, entity_type, entity_id, warehouse_id, bin_id, mapped_at"
                      " FROM embedded_serial_mappings ORDER BY serialnumber") == [
        ("DRILL", "Z-1", "salesorder", "SO-5", "W1", "B2", NOW),
        ("DRILL", "Z-2", "salesorder", "SO-5", "W1", "B2", NOW)]


def test_a_later_mapping_of_the_same_serial_replaces_the_first(conn: sqlite3.Connection, local: LocalCopy) -> None:
    local.serials_mapped("DRILL", ["Z-3"], entity_type="salesorder", entity_id="SO-1", warehouse_id="W1",
                         bin_id="B1")
    local.serials_mapped("DRILL", ["Z-3"], entity_type="package", entity_id="PKG-2", warehouse_id="W2",
                         bin_id=None)
    assert rows(conn, "SELECT entity_type, entity_id, warehouse_id, bin_id FROM embedded_serial_mappings"
                      " WHERE item_id = 'DRILL' AND serialnumber = 'Z-3'") == [("package", "PKG-2", "W2", None)]
    assert rows(conn, "SELECT is_transacted_out FROM serial_numbers WHERE serialnumber_id = 'S-DRILL-3'") == [(0,)]


# -- serials received ----------------------------------------------------------------------------

def test_a_received_serial_is_active_in_stock_and_scannable_at_its_place(
        catalogued: InventoryStore) -> None:
    with catalogued.transaction() as conn:
        LocalCopy(conn).serial_known("S-NEW", "Z-NEW", "DRILL", warehouse_id="W1", bin_id="B2")
    serial = catalogued.get_serial("S-NEW")
    assert serial is not None
    assert (serial.serialnumber, serial.item_id, serial.status, serial.is_transacted_out,
            serial.warehouse_id, serial.bin_id) == ("Z-NEW", "DRILL", "active", False, "W1", "B2")
    found = lookup(catalogued, "Z-NEW")
    assert (found.status, found.kind) == ("found", "serial")
    assert found.serial is not None and found.serial.serialnumber_id == "S-NEW"


@pytest.mark.parametrize(("warehouse_id", "bin_id", "kept"), [
    ("W1", "B-GONE", ("W1", None)),    # a bin the copy does not know: the warehouse only
    ("W-GONE", "B2", (None, None)),    # a warehouse it does not know: no place, not even a known bin
    ("W-GONE", None, (None, None)),
    (None, "B1", (None, None)),        # a bin without its warehouse is no place
], ids=["unknown-bin", "unknown-warehouse-known-bin", "unknown-warehouse", "bin-without-warehouse"])
def test_a_received_serial_is_placed_only_as_far_as_the_copy_knows_the_place(
        catalogued: InventoryStore, warehouse_id: str | None, bin_id: str | None,
        kept: tuple[str | None, str | None]) -> None:
    with catalogued.transaction() as conn:
        LocalCopy(conn).serial_known("S-NEW", "Z-NEW", "DRILL", warehouse_id=warehouse_id, bin_id=bin_id)
    serial = catalogued.get_serial("S-NEW")
    assert serial is not None and (serial.warehouse_id, serial.bin_id) == kept


def test_a_received_serial_of_an_item_the_copy_lacks_is_left_to_the_next_sync(
        conn: sqlite3.Connection, local: LocalCopy) -> None:
    local.serial_known("S-NEW", "Z-NEW", "NOT-SYNCED", warehouse_id="W1", bin_id="B1")
    assert rows(conn, "SELECT 1 FROM serial_numbers WHERE serialnumber_id = 'S-NEW' OR serialnumber = 'Z-NEW'") == []
    assert rows(conn, "SELECT 1 FROM codes WHERE target_id = 'S-NEW'") == []


@pytest.mark.parametrize(("serialnumber_id", "serialnumber"), [
    ("S-OTHER-ID", "Z-2"),   # the item's number, under another id (a sync's)
    ("S-DRILL-2", "Z-2"),    # the same record
    ("S-DRILL-2", "Z-99"),   # the id, whatever the number
], ids=["same-number", "same-record", "same-id"])
def test_a_received_serial_the_copy_already_has_is_not_written_again(
        conn: sqlite3.Connection, local: LocalCopy, serialnumber_id: str, serialnumber: str) -> None:
    before = rows(conn, "SELECT * FROM serial_numbers ORDER BY serialnumber_id")
    local.serial_known(serialnumber_id, serialnumber, "DRILL", warehouse_id="W1", bin_id="B2")
    assert rows(conn, "SELECT * FROM serial_numbers ORDER BY serialnumber_id") == before


# -- batches -------------------------------------------------------------------------------------

def test_a_batch_the_copy_has_takes_the_vendors_number_dates_and_status_in_place(
        catalogued: InventoryStore) -> None:
    with catalogued.transaction() as conn:
        LocalCopy(conn).batch_known(Batch("BATCH-OLD", "MILK", "L-RENAMED", "M-NEW", "2026-01-02", "2026-09-30",
                                          balance_quantity=99.0, status="inactive", warehouse_id="W2", bin_id="B9"),
                                    warehouse_id="W2", bin_id="B9")
    assert catalogued.get_batch("BATCH-OLD") == Batch(
        "BATCH-OLD", "MILK", "L-RENAMED", "M-NEW", "2026-01-02", "2026-09-30",
        balance_quantity=5.0, status="inactive", warehouse_id="W1", bin_id="B2")  # its place and balance kept
    assert lookup(catalogued, "L-OLD").status != "found"  # the old numbers no longer name it
    assert lookup(catalogued, "M-OLD").status != "found"
    for code in ("L-RENAMED", "M-NEW"):
        found = lookup(catalogued, code)
        assert (found.status, found.kind) == ("found", "batch")
        assert found.batch is not None and found.batch.batch_id == "BATCH-OLD"


def test_a_new_batch_goes_to_the_vendors_place_before_the_receipts(catalogued: InventoryStore) -> None:
    with catalogued.transaction() as conn:
        LocalCopy(conn).batch_known(Batch("BATCH-NEW", "MILK", "L-NEW", expiry_date="2027-01-31",
                                          balance_quantity=4.0, warehouse_id="W1", bin_id="B2"),
                                    warehouse_id="W2", bin_id="B9")
    assert catalogued.get_batch("BATCH-NEW") == Batch("BATCH-NEW", "MILK", "L-NEW", expiry_date="2027-01-31",
                                                      balance_quantity=4.0, status="active",
                                                      warehouse_id="W1", bin_id="B2")


def test_a_new_batch_without_the_vendors_place_goes_to_the_receipts(catalogued: InventoryStore) -> None:
    with catalogued.transaction() as conn:
        LocalCopy(conn).batch_known(Batch("BATCH-NEW", "MILK", "L-NEW", balance_quantity=4.0),
                                    warehouse_id="W1", bin_id="B1")
    batch = catalogued.get_batch("BATCH-NEW")
    assert batch is not None and (batch.warehouse_id, batch.bin_id, batch.balance_quantity) == ("W1", "B1", 4.0)
    found = lookup(catalogued, "L-NEW")
    assert (found.status, found.kind) == ("found", "batch")


@pytest.mark.parametrize(("vendor_status", "stored"), [("inactive", "inactive"), ("active", "active"), ("", "active")],
                         ids=["inactive", "active", "none-given"])
def test_a_new_batch_keeps_the_vendors_status_or_is_active(catalogued: InventoryStore, vendor_status: str,
                                                           stored: str) -> None:
    with catalogued.transaction() as conn:
        LocalCopy(conn).batch_known(Batch("BATCH-NEW", "MILK", "L-NEW", status=vendor_status),
                                    warehouse_id="W1", bin_id=None)
    batch = catalogued.get_batch("BATCH-NEW")
    assert batch is not None and batch.status == stored


# -- assemblies ----------------------------------------------------------------------------------

def test_kits_built_at_a_bin_the_copy_does_not_know_go_to_the_warehouse_without_a_bin(
        conn: sqlite3.Connection, local: LocalCopy) -> None:
    local.assembly_built("KIT", 1, "W1", "B-GONE", [UsedComponent("SCREW", 2)])
    assert stock_of(conn, "KIT") == {None: 1}
    assert stock_of(conn, "SCREW") == {"B1": 3, None: 3}  # no bench bin: the stock without a bin first


def test_a_component_the_copy_lacks_does_not_stop_the_others(conn: sqlite3.Connection, local: LocalCopy) -> None:
    local.assembly_built("KIT", 1, "W1", "B1", [UsedComponent("NOT-SYNCED", 1), UsedComponent("SCREW", 2)])
    assert stock_of(conn, "SCREW") == {"B1": 1, None: 5}
    assert stock_of(conn, "KIT") == {"B1": 1}


def test_without_a_bench_bin_a_scanned_serial_is_taken_from_its_bin_first(
        conn: sqlite3.Connection, local: LocalCopy) -> None:
    local.assembly_built("KIT", 1, "W1", None, [UsedComponent("DRILL", 1, serial_numbers=("Z-1",))])
    assert stock_of(conn, "DRILL") == {"B2": 0, None: 1}  # Z-1 is in B2
    assert stock_of(conn, "KIT") == {None: 1}


def test_without_a_bench_bin_a_scanned_batch_is_taken_from_its_bin_first(
        conn: sqlite3.Connection, local: LocalCopy) -> None:
    local.assembly_built("KIT", 1, "W1", None, [UsedComponent("MILK", 2, batch_ids=("BATCH-OLD",))])
    assert stock_of(conn, "MILK") == {"B2": 0, None: 2}  # L-OLD is in B2


def test_the_bench_bin_comes_before_the_scanned_units_bins(conn: sqlite3.Connection, local: LocalCopy) -> None:
    local.assembly_built("KIT", 1, "W1", "B1", [UsedComponent("DRILL", 1, serial_numbers=("Z-1",))])
    # the bench's bin B1 holds no drill: the scanned unit's bin B2 is next
    assert stock_of(conn, "DRILL") == {"B2": 0, None: 1}
    assert stock_of(conn, "KIT") == {"B1": 1}
