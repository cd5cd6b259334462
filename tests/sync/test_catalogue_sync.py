"""Catalogue sync against the fake Zoho on loopback: full, incremental, bad records,
cancellation, items deleted in Zoho, and the sync state the store keeps."""

from __future__ import annotations

import datetime as dt

import pytest

from scanner_app.backends.errors import Offline, SignInAgain
from scanner_app.backends.zoho import ZohoClient
from scanner_app.codes import classify
from scanner_app.inventory.demo import DEMO_SKU, install_demo
from scanner_app.inventory.store import InventoryStore
from scanner_app.sync import CatalogueSync, SyncProgress, load_sync_state
from tests.backends.conftest import TEST_POLICY
from tests.backends.fake_zoho import FakeZoho

ITEMS = "/inventory/v1/items"


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def found(store: InventoryStore, code: str) -> str | None:
    result = store.lookup(classify(code))
    return result.item.name if result.found and result.item else None


def item_requests(zoho: FakeZoho) -> list[dict[str, str]]:
    return [r.query for r in zoho.requests if r.method == "GET" and r.path == ITEMS]


def test_full_sync_pages_through_items_and_kits(zoho: FakeZoho, client: ZohoClient, store: InventoryStore) -> None:
    items = zoho.inventory.add_items(450)
    kit = zoho.inventory.add_composite("Starter kit", [(items[0]["item_id"], 2), (items[1]["item_id"], 1)],
                                       sku="KIT-1")
    progress: list[SyncProgress] = []
    sync = CatalogueSync(store, client)
    sync.progress.connect(progress.append)
    report = sync.run()
    assert report.kind == "full" and not report.cancelled and report.skipped == []
    assert (report.pages, report.received) == (4, 451)  # 3 item pages, 1 kit page
    assert (report.imported.items, report.imported.composite_items) == (450, 1)
    assert store.count_items() == 451
    assert len(item_requests(zoho)) == 3 and zoho.count("GET", "/inventory/v1/compositeitems") == 2
    assert found(store, "ITEM-00449") == "ITEM 00449"
    stored_kit = store.get_item(kit["composite_item_id"])
    assert stored_kit is not None and [m.quantity for m in stored_kit.mapped_items] == [2, 1]
    assert [(p.phase, p.pages, p.records) for p in progress][:3] == [("items", 1, 200), ("items", 2, 400),
                                                                     ("items", 3, 450)]
    state = load_sync_state(store.connection(), f"zoho:{zoho.organization_id}")
    assert state is not None and state.last_kind == "full" and state.full_item_count == 451


def test_incremental_sync_fetches_only_what_changed(zoho: FakeZoho, client: ZohoClient,
                                                    store: InventoryStore) -> None:
    items = zoho.inventory.add_items(450)
    CatalogueSync(store, client).run()
    for item in items[10:13]:
        item["name"] += " (new label)"
        zoho.inventory.touch(item["item_id"], now_utc())
    before = len(item_requests(zoho))
    report = CatalogueSync(store, client).run()
    assert report.kind == "incremental" and report.received == 3 and report.pages == 2  # items, kits
    new_requests = item_requests(zoho)[before:]
    assert len(new_requests) == 1 and "last_modified_time" in new_requests[0]
    assert found(store, "ITEM-00011") == "ITEM 00011 (new label)"
    assert report.removed == 0 and store.count_items() == 450
    again = CatalogueSync(store, client).run(full=True)
    assert again.kind == "full" and again.received == 450


def test_one_bad_item_is_left_out_and_reported(zoho: FakeZoho, client: ZohoClient, store: InventoryStore) -> None:
    zoho.inventory.add_items(150)
    zoho.inventory.add_item("Clone of item 3", sku="ITEM-00003")  # a SKU another item has
    zoho.inventory.add_item("Bad barcode", sku="BAD-1", upc="036000291453")  # wrong check digit
    zoho.inventory.add_items(100, prefix="MORE")
    report = CatalogueSync(store, client).run()
    assert store.count_items() == 250
    reasons = {s.label: " ".join(s.reasons) for s in report.skipped}
    assert set(reasons) == {"Clone of item 3", "Bad barcode"}
    assert "ITEM-00003" in reasons["Clone of item 3"] and "check digit" in reasons["Bad barcode"]
    assert found(store, "MORE-00099") == "MORE 00099" and found(store, "ITEM-00003") == "ITEM 00003"


def test_a_sku_moving_between_items_lands_at_the_end(zoho: FakeZoho, client: ZohoClient,
                                                     store: InventoryStore) -> None:
    second = zoho.inventory.add_item("Second", sku="SKU-Y")
    first = zoho.inventory.add_item("First", sku="SKU-X")
    CatalogueSync(store, client).run()
    second["sku"], first["sku"] = "SKU-X", "SKU-Z"  # Second is listed first: it meets First's old SKU
    for item in (first, second):
        zoho.inventory.touch(item["item_id"], now_utc())
    report = CatalogueSync(store, client, per_page=1).run()
    assert report.skipped == []
    assert (found(store, "SKU-X"), found(store, "SKU-Z"), found(store, "SKU-Y")) == ("Second", "First", None)


def test_cancelled_between_pages(zoho: FakeZoho, client: ZohoClient, store: InventoryStore) -> None:
    zoho.inventory.add_items(1000)
    sync = CatalogueSync(store, client)
    sync.progress.connect(lambda progress: sync.cancel())
    report = sync.run()
    assert report.cancelled and report.pages == 1 and store.count_items() == 200
    assert len(item_requests(zoho)) == 1
    assert load_sync_state(store.connection(), f"zoho:{zoho.organization_id}") is None
    assert CatalogueSync(store, client).run().kind == "full"  # still no success: full again


def test_full_sync_removes_what_zoho_deleted_and_the_demo(zoho: FakeZoho, client: ZohoClient,
                                                          store: InventoryStore) -> None:
    install_demo(store)
    items = zoho.inventory.add_items(20)
    first = CatalogueSync(store, client).run()
    assert found(store, DEMO_SKU) is None and store.count_items() == 20 and first.removed == 30
    del zoho.inventory.items[items[5]["item_id"]]
    assert CatalogueSync(store, client).run().removed == 0  # incremental: deletions unseen
    report = CatalogueSync(store, client).run(full=True)
    assert report.removed == 1 and found(store, "ITEM-00005") is None and store.count_items() == 19


def test_refused_sign_in_and_offline_are_raised_and_not_a_success(zoho: FakeZoho, client: ZohoClient,
                                                                  store: InventoryStore) -> None:
    zoho.inventory.add_items(10)
    zoho.refuse_refresh_token()
    with pytest.raises(SignInAgain):
        CatalogueSync(store, client).run()
    zoho.stop()
    settings = zoho.settings(timeout_seconds=1.0)
    with ZohoClient(settings, zoho.secrets(), policy=TEST_POLICY) as offline, pytest.raises(Offline):
        CatalogueSync(store, offline).run()
    assert load_sync_state(store.connection(), f"zoho:{zoho.organization_id}") is None
