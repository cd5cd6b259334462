"""Places from Zoho's own lists, and the one place rule, against the fake Zoho on loopback:
every organisation shape (Locations, the older warehouses settings, neither), bins listed,
listed without their warehouse, or not enabled, and both shapes of a record that names a
place (a location row with ``storages``; ``warehouse_id`` with the bin as ``location_id``)."""

from __future__ import annotations

import pytest

from scanner_app.backends.zoho import ZohoClient
from scanner_app.codes import classify
from scanner_app.inventory.store import InventoryStore
from scanner_app.sync import CatalogueSync
from scanner_app.workflows.places import find_bin, find_warehouse
from tests.backends.fake_zoho import FakeZoho
from tests.backends.fake_zoho_places import SHAPES


def _organisation(zoho: FakeZoho, shape: str) -> dict[str, str]:
    """Two warehouses; three bins in the main one (one empty); a serial-tracked item with
    stock in two bins and outside any bin, and one serial in bin A-01-02."""
    places = zoho.inventory.places
    main = places.add_warehouse("Main Warehouse")
    east = places.add_warehouse("East Annex", parent=main)
    a1, a2 = places.add_bin(main, "A-01-01"), places.add_bin(main, "A-01-02")
    empty = places.add_bin(main, "R-99-EMPTY")
    e1 = places.add_bin(east, "E-01")
    item = zoho.inventory.add_item("ThinkBook 14 Laptop", sku="LAP-TB14", track_serial_number=True,
                                   locations=places.stock_rows(shape, [(main, a1, 3), (main, a2, 2), (east, None, 4)]))
    zoho.inventory.add_serial(item["item_id"], "SN-LAP-001", **places.serial_place(shape, main, a2))
    return {"main": main, "east": east, "a1": a1, "a2": a2, "empty": empty, "e1": e1, "item": item["item_id"]}


def _stock(store: InventoryStore, item_id: str) -> set[tuple[str, str | None, float]]:
    rows = store.connection().execute("SELECT warehouse_id, bin_id, quantity FROM item_stock WHERE item_id = ?",
                                      (item_id,)).fetchall()
    return {(w, b, q) for w, b, q in rows}


def _serial_place(store: InventoryStore, number: str) -> tuple[str, str]:
    return store.connection().execute(
        "SELECT warehouse_id, bin_id FROM serial_numbers WHERE serialnumber = ?", (number,)).fetchone()


@pytest.mark.parametrize("org", ["locations", "warehouses"])
@pytest.mark.parametrize("shape", SHAPES)
def test_places_come_from_the_lists_and_stock_rows_land_in_bins(
        zoho: FakeZoho, client: ZohoClient, store: InventoryStore, org: str, shape: str) -> None:
    zoho.inventory.places.org = org
    ids = _organisation(zoho, shape)
    report = CatalogueSync(store, client).run()

    assert {(w.warehouse_id, w.name) for w in store.warehouses()} == {
        (ids["main"], "Main Warehouse"), (ids["east"], "East Annex")}
    assert {b.code for b in store.bins(ids["main"])} == {"A-01-01", "A-01-02", "R-99-EMPTY"}
    assert find_warehouse(store, "main warehouse").warehouse_id == ids["main"]
    assert find_bin(store, ids["main"], "R-99-EMPTY").bin_id == ids["empty"]  # empty, still a place
    assert _stock(store, ids["item"]) == {(ids["main"], ids["a1"], 3.0), (ids["main"], ids["a2"], 2.0),
                                          (ids["east"], None, 4.0)}
    assert report.places.warehouses_from == ("locations" if org == "locations" else "settings/warehouses")
    assert report.places.bins_from == "storagelocations"
    assert report.places.bins == 4
    if org == "warehouses":
        assert "/locations unavailable" in report.summary()
    # a serial's place: the bin, in its warehouse, from both shapes
    from scanner_app.sync.item_details import ItemDetails
    details = ItemDetails(store)
    details.write(details.fetch(client, ids["item"]))
    assert tuple(_serial_place(store, "SN-LAP-001")) == (ids["main"], ids["a2"])
    found = store.lookup(classify("A-01-02"))
    assert found.status == "found" and found.bin is not None and found.bin.warehouse_id == ids["main"]


@pytest.mark.parametrize("shape", SHAPES)
def test_with_no_lists_the_places_come_from_the_stock_rows_and_the_summary_says_so(
        zoho: FakeZoho, client: ZohoClient, store: InventoryStore, shape: str) -> None:
    zoho.inventory.places.org = "none"
    zoho.inventory.places.bins_enabled = False
    ids = _organisation(zoho, shape)
    report = CatalogueSync(store, client).run()

    # no bin is ever read as a warehouse
    assert {w.warehouse_id for w in store.warehouses()} == {ids["main"], ids["east"]}
    assert {b.code for b in store.bins(ids["main"])} == {"A-01-01", "A-01-02"}  # the empty one is not named anywhere
    assert _stock(store, ids["item"]) == {(ids["main"], ids["a1"], 3.0), (ids["main"], ids["a2"], 2.0),
                                          (ids["east"], None, 4.0)}
    summary = report.summary()
    assert "from items' stock rows" in summary
    assert "/locations unavailable" in summary and "/settings/warehouses unavailable" in summary
    assert "/storagelocations unavailable" in summary
    assert report.places.to_json()["bins_from"] == "items' stock rows"


def test_bins_listed_without_their_warehouse_are_asked_for_per_warehouse(
        zoho: FakeZoho, client: ZohoClient, store: InventoryStore) -> None:
    zoho.inventory.places.bins_without_place = True
    ids = _organisation(zoho, "storages")
    report = CatalogueSync(store, client).run()
    assert {b.code for b in store.bins(ids["main"])} == {"A-01-01", "A-01-02", "R-99-EMPTY"}
    assert {b.code for b in store.bins(ids["east"])} == {"E-01"}
    assert report.places.bins == 4
    asked = [r.query for r in zoho.requests if r.path.endswith("/storagelocations")]
    assert {q.get("location_id") for q in asked} == {None, ids["main"], ids["east"]}


def test_a_bin_only_the_lists_know_is_where_a_lone_location_id_points(
        zoho: FakeZoho, client: ZohoClient, store: InventoryStore) -> None:
    """A serial that names only ``location_id``, and that id is a bin, not a warehouse: read
    as that bin in its warehouse (the other reasonable reading of a lone location)."""
    ids = _organisation(zoho, "storages")
    zoho.inventory.add_serial(ids["item"], "SN-LAP-002", location_id=ids["a1"])
    CatalogueSync(store, client).run()
    from scanner_app.sync.item_details import ItemDetails
    details = ItemDetails(store)
    details.write(details.fetch(client, ids["item"]))
    assert tuple(_serial_place(store, "SN-LAP-002")) == (ids["main"], ids["a1"])
