"""Serial numbers and batches fetched when an item is scanned, cached with a freshness time."""

from __future__ import annotations

from scanner_app.backends.zoho import ZohoClient
from scanner_app.codes import classify
from scanner_app.config import SyncSettings
from scanner_app.inventory.store import InventoryStore
from scanner_app.sync import CatalogueSync, ItemDetails
from tests.backends.fake_zoho import FakeZoho


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def test_tracked_item_details_are_fetched_then_cached(zoho: FakeZoho, client: ZohoClient,
                                                      store: InventoryStore) -> None:
    tracked = zoho.inventory.add_item("Scanner Z-2200", sku="Z22")
    lot_item = zoho.inventory.add_item("Sanitiser", sku="SAN", track_batch_number=True)
    zoho.inventory.add_serial(tracked["item_id"], "Z22-1001")
    zoho.inventory.add_batch(lot_item["item_id"], "SAN-2501", expiry_date="2030-01-31", balance_quantity=40)
    CatalogueSync(store, client).run()  # the list says nothing of tracking yet
    assert not store.lookup(classify("Z22-1001")).found

    clock = Clock()
    details = ItemDetails(store, SyncSettings(details_max_age_minutes=10), clock=clock)
    item = store.get_item(tracked["item_id"])
    assert item is not None and details.due(item)
    tracked["track_serial_number"] = True  # Zoho's item record says it (its list does not)
    before = len(zoho.requests)
    fetched = details.fetch(client, tracked["item_id"])
    assert fetched.serial_count == 1 and fetched.batch_count == 0
    assert [r.path.rsplit("/", 2)[-2:] for r in zoho.requests[before:]] == [
        ["items", tracked["item_id"]], ["items", "serialnumbers"]]
    written = details.write(fetched)
    assert written.skipped == [] and written.imported.serial_numbers == 1
    serial = store.lookup(classify("Z22-1001"))
    assert serial.found and serial.serial is not None and serial.serial.item_id == tracked["item_id"]

    item = store.get_item(tracked["item_id"])
    assert item is not None and item.track_serial_number and not details.due(item)
    clock.now += 11 * 60
    assert details.due(item)  # tracked: older than details_max_age_minutes

    batch_item = store.get_item(lot_item["item_id"])
    assert batch_item is not None
    details.write(details.fetch(client, lot_item["item_id"]))
    batch = store.lookup(classify("SAN-2501"))
    assert batch.found and batch.batch is not None and batch.batch.expiry_date == "2030-01-31"


def test_untracked_items_are_checked_rarely_and_deleted_ones_removed(zoho: FakeZoho, client: ZohoClient,
                                                                    store: InventoryStore) -> None:
    plain = zoho.inventory.add_item("Tape", sku="TAPE")
    CatalogueSync(store, client).run()
    clock = Clock()
    details = ItemDetails(store, SyncSettings(details_max_age_minutes=10, full_sync_hours=24), clock=clock)
    details.write(details.fetch(client, plain["item_id"]))
    item = store.get_item(plain["item_id"])
    assert item is not None
    clock.now += 3600
    assert not details.due(item)
    clock.now += 24 * 3600
    assert details.due(item)
    del zoho.inventory.items[plain["item_id"]]
    written = details.write(details.fetch(client, plain["item_id"]))
    assert written.removed and store.get_item(plain["item_id"]) is None
    assert not store.lookup(classify("TAPE")).found
