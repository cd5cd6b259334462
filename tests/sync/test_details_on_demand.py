"""``DetailsOnDemand``: an item's details brought up to date in line before a command checks
it (the window's ``ItemDetails``, no threads), with a clock the test controls: fetched when
due, not again while fresh or within one command, again once older than
``details_max_age_minutes``; offline, the local copy with its age, or a refusal when there
is none; Zoho is not asked again in a command once it failed."""

from __future__ import annotations

from scanner_app.backends.zoho import ZohoClient
from scanner_app.codes import classify
from scanner_app.config import SyncSettings
from scanner_app.inventory.store import InventoryStore
from scanner_app.sync import CatalogueSync, ItemDetails
from scanner_app.sync.details_on_demand import DetailsOnDemand
from tests.backends.conftest import TEST_POLICY
from tests.backends.fake_zoho import FakeZoho

ITEMS = "/inventory/v1/items"


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def on_demand(store: InventoryStore, client: ZohoClient, clock: Clock, asked: list[int] | None = None) -> DetailsOnDemand:
    """One command's DetailsOnDemand; ``asked`` counts the times it wanted the client."""
    def connect() -> ZohoClient:
        if asked is not None:
            asked.append(1)
        return client
    details = ItemDetails(store, SyncSettings(details_max_age_minutes=10), clock=clock)
    return DetailsOnDemand(details, connect, clock=clock)


def test_fetched_when_due_not_while_fresh(zoho: FakeZoho, client: ZohoClient, store: InventoryStore) -> None:
    laptop = zoho.inventory.add_item("ThinkBook 14 Laptop", sku="LAP-TB14")
    zoho.inventory.add_serial(laptop["item_id"], "SN-LAP-001")
    zoho.inventory.add_serial(laptop["item_id"], "SN-LAP-OUT", is_transacted_out=True)
    CatalogueSync(store, client).run()
    laptop["track_serial_number"] = True  # its own record says so; the list did not
    clock = Clock()
    item = store.get_item(laptop["item_id"])
    assert item is not None and not item.track_serial_number

    command = on_demand(store, client, clock)
    assert command.ensure(item).state == "fetched"
    shipped = store.lookup(classify("SN-LAP-OUT"))
    assert shipped.serial is not None and shipped.serial.is_transacted_out  # listed with show_transacted_out
    assert command.ensure(item).state == "fresh"  # once per command
    reads = zoho.count("GET", f"{ITEMS}/{laptop['item_id']}")
    assert reads == 1

    fresh = store.get_item(laptop["item_id"])
    assert fresh is not None and fresh.track_serial_number
    clock.now += 9 * 60
    assert on_demand(store, client, clock).ensure(fresh).state == "fresh"  # a later command, within the age
    assert zoho.count("GET", f"{ITEMS}/{laptop['item_id']}") == 1
    clock.now += 2 * 60
    assert on_demand(store, client, clock).ensure(fresh).state == "fetched"  # older than 10 minutes
    assert zoho.count("GET", f"{ITEMS}/{laptop['item_id']}") == 2


def test_offline_uses_the_local_copy_or_refuses(zoho: FakeZoho, client: ZohoClient, store: InventoryStore) -> None:
    laptop = zoho.inventory.add_item("ThinkBook 14 Laptop", sku="LAP-TB14", track_serial_number=True)
    scanner = zoho.inventory.add_item("Scanner Z-2200", sku="Z22", track_serial_number=True)
    zoho.inventory.add_serial(laptop["item_id"], "SN-LAP-001")
    CatalogueSync(store, client).run()
    clock = Clock()
    item, other = store.get_item(laptop["item_id"]), store.get_item(scanner["item_id"])
    assert item is not None and other is not None
    assert on_demand(store, client, clock).ensure(item).state == "fetched"

    settings, secrets = zoho.settings(), zoho.secrets()
    zoho.stop()
    clock.now += 25 * 60
    asked: list[int] = []
    with ZohoClient(settings, secrets, policy=TEST_POLICY) as unreachable:  # no kept-alive connection
        command = on_demand(store, unreachable, clock, asked)
        used, refused = command.ensure(item), command.ensure(other)
    assert (used.state, used.usable) == ("local_copy", True)
    assert used.message is not None and used.message.startswith("Zoho Inventory cannot be reached")
    assert "checking ThinkBook 14 Laptop against the local copy" in used.message and "25 min ago" in used.message
    # the scanner: never fetched, nothing of it in the store
    assert (refused.state, refused.usable) == ("unavailable", False)
    assert refused.message is not None and "no copy of Scanner Z-2200's details" in refused.message
    assert asked == [1]  # Zoho failed once: not asked again in this command
