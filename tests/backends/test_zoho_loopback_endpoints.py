"""End to end against the fake Zoho on loopback: the endpoints the station uses, paging,
incremental listing, and the answers mapped to the core's models."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from scanner_app.backends.errors import NotFound, ValidationError
from scanner_app.backends.zoho import BatchChanges, BundleLine, NewBatch, NewBundle, ZohoClient
from scanner_app.inventory.importer import import_document
from scanner_app.inventory.store import InventoryStore
from tests.backends.fake_zoho import FakeZoho

MakeClient = Callable[..., ZohoClient]


def test_paging_goes_through_every_page(zoho: FakeZoho, make_client: MakeClient) -> None:
    zoho.inventory.add_items(450)
    pages = list(make_client().item_pages())
    assert [(p.number, len(p.records), p.has_more) for p in pages] == [(1, 200, True), (2, 200, True), (3, 50, False)]
    assert len({r["item_id"] for p in pages for r in p.records}) == 450
    assert zoho.count("GET", "/inventory/v1/items") == 3  # pages, not items


def test_stopping_between_pages_fetches_no_more(zoho: FakeZoho, make_client: MakeClient) -> None:
    zoho.inventory.add_items(450)
    pages = make_client().item_pages(per_page=100)
    next(pages)
    pages.close()  # what a cancelled sync does
    assert zoho.count("GET", "/inventory/v1/items") == 1


def test_incremental_listing_and_search(zoho: FakeZoho, make_client: MakeClient) -> None:
    old = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    for item in zoho.inventory.add_items(5):
        zoho.inventory.touch(item["item_id"], old)
    changed = zoho.inventory.add_item("Blue pen", sku="PEN-B")
    client = make_client()
    since = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    [page] = client.item_pages(modified_since=since)
    assert [r["item_id"] for r in page.records] == [changed["item_id"]]
    assert zoho.requests[-1].query["last_modified_time"] == "2025-06-01T10:00:00+0000"
    [found] = client.item_pages(search_text="pen-b")
    assert [r["name"] for r in found.records] == ["Blue pen"]


def test_items_map_to_the_core_model(zoho: FakeZoho, make_client: MakeClient) -> None:
    item = zoho.inventory.add_item(
        "Scanner", sku="SC-1", upc=12345678905, track_serial_number=True,
        locations=[{"location_id": "W1", "location_name": "Main", "location_stock_on_hand": "7",
                    "storages": [{"storage_location_id": "B1", "storage_location_name": "A-01", "quantity": 5}]}],
    )
    other = zoho.inventory.add_item("Cable", ean="4006381333931")
    client = make_client()
    got = client.get_item(item["item_id"])
    assert (got.upc, got.gtin14, got.track_serial_number, got.stock_on_hand) == ("012345678905", "00012345678905", True, 7)
    assert [(s.bin_code, s.quantity) for s in got.stock] == [("A-01", 5), (None, 2)]
    assert [i.name for i in client.item_details([item["item_id"], other["item_id"]])] == ["Scanner", "Cable"]
    with pytest.raises(NotFound, match="Item does not exist"):
        client.get_item("404")


def test_raw_pages_import_into_the_embedded_store_as_the_mapper_reads_them(
        zoho: FakeZoho, make_client: MakeClient, tmp_path: Path) -> None:
    record = zoho.inventory.add_item("Widget", sku="W-1", upc=12345678905, part_number="P-1",
                                     track_batch_number=True, description="blue")
    client = make_client()
    with InventoryStore(tmp_path / "inventory.sqlite3") as store:
        for page in client.item_pages():
            import_document(store, {"items": page.records})
        assert store.get_item(record["item_id"]) == client.get_item(record["item_id"])


def test_serial_numbers(zoho: FakeZoho, make_client: MakeClient) -> None:
    item = zoho.inventory.add_item("Laptop", track_serial_number=True)
    sn1 = zoho.inventory.add_serial(item["item_id"], "SN-1")
    zoho.inventory.add_serial(item["item_id"], "SN-2", is_transacted_out=True)
    client = make_client()
    assert [(s.serialnumber, s.item_id, s.is_transacted_out) for s in client.serial_numbers(item["item_id"])] == [
        ("SN-1", item["item_id"], False), ("SN-2", item["item_id"], True)]
    assert client.get_serial_number(sn1["serialnumber_id"]).serialnumber == "SN-1"
    client.validate_serial_numbers(item["item_id"], ["SN-1"], entity_type="invoice")
    with pytest.raises(ValidationError, match="SN-2 are not available"):
        client.validate_serial_numbers(item["item_id"], ["SN-1", "SN-2"], entity_type="invoice")
    client.validate_and_map_serial_numbers(item["item_id"], ["SN-1"], entity_type="invoice", entity_id="INV-1",
                                           warehouse_id="W1", bin_id="B1")
    assert zoho.inventory.serial_mappings == [{"item_id": item["item_id"], "entity_type": "invoice",
                                               "serial_numbers": ["SN-1"], "entity_id": "INV-1",
                                               "warehouse_id": "W1", "location_id": "B1"}]


def test_batches(zoho: FakeZoho, make_client: MakeClient) -> None:
    item_id = zoho.inventory.add_item("Milk", track_batch_number=True)["item_id"]
    client = make_client()
    created = client.create_batch(NewBatch(item_id, "LOT-1", manufacturer_batch_number="M-9", expiry_date="2030-05-01"))
    client.create_batch(NewBatch(item_id, "LOT-2"))
    assert (created.item_id, created.expiry_date, created.manufacturer_batch_number) == (item_id, "2030-05-01", "M-9")
    assert [b.batch_number for b in client.batches(item_id, search_text="m-9")] == ["LOT-1"]
    updated = client.update_batch(created.batch_id, BatchChanges(expiry_date="2030-06-01"))
    assert updated.expiry_date == "2030-06-01" and updated.batch_number == "LOT-1"
    client.set_batch_active(created.batch_id, False)
    assert client.get_batch(created.batch_id).status == "inactive"
    with pytest.raises(ValidationError, match="Batch tracking is not enabled"):
        client.create_batch(NewBatch(zoho.inventory.add_item("Pen")["item_id"], "LOT-1"))


def test_composite_items_and_assemblies(zoho: FakeZoho, make_client: MakeClient) -> None:
    part = zoho.inventory.add_item("Screw", sku="SCR")
    kit = zoho.inventory.add_composite("Repair kit", [(part["item_id"], 4)], sku="KIT-1")
    client = make_client()
    [page] = client.composite_item_pages()
    assert [r["name"] for r in page.records] == ["Repair kit"]
    got = client.get_composite_item(kit["composite_item_id"])
    assert got.is_composite and [(m.item_id, m.quantity, m.sku) for m in got.mapped_items] == [(part["item_id"], 4, "SCR")]
    bundle = client.create_bundle(NewBundle(
        reference_number="ASM-1", date="2026-11-22", composite_item_id=kit["composite_item_id"],
        composite_item_name="Repair kit", quantity_to_bundle=2, status="draft",
        line_items=(BundleLine(part["item_id"], "Screw", 8, location_id="W1"),)))
    assert (bundle.status, bundle.quantity_to_bundle, bundle.line_items[0].quantity_consumed) == ("draft", 2, 8)
    assert client.mark_bundle_confirmed(bundle.bundle_id).status == "confirmed"
    assert client.mark_bundle_bundled(bundle.bundle_id).status == "built"
    assert client.get_bundle(bundle.bundle_id).reference_number == "ASM-1"
    assert [b.bundle_id for b in client.bundles(kit["composite_item_id"])] == [bundle.bundle_id]
