"""Lookup and dispatch pre-validation end to end: the embedded store's product links, the
Pack.cloud client and the fake Pack.cloud on loopback."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from scanner_app.backends.errors import Offline, SignInAgain
from scanner_app.inventory.register_checks import SerialRegisterChecks, register_lookup_result
from scanner_app.inventory.store import InventoryStore
from tests.backends.fake_packcloud import FakePackcloud
from tests.packcloud.conftest import STOCKS, MakeClient, seed_units

Checks = Callable[..., SerialRegisterChecks]


@pytest.fixture
def checks(packcloud: FakePackcloud, make_client: MakeClient, linked_store: InventoryStore) -> Checks:
    packcloud.add_serial("CAM-0001", "prod-cam", stock_id="stock-main")
    packcloud.add_serial("CAM-0002", "prod-cam", stock_id=None, fulfillment_line_id="fl-311")
    packcloud.add_serial("CAM-0003", "prod-cam", stock_id=None)
    packcloud.add_serial("CAM-R-01", "prod-cam-refurb", stock_id="stock-returns")
    packcloud.add_serial("LENS-0001", "prod-lens", stock_id="stock-main")
    packcloud.add_serial("MYST-0001", "prod-unlinked", stock_id="stock-main")
    return lambda **options: SerialRegisterChecks(make_client(**options), linked_store)


def test_lookup_says_product_item_stock_and_shipped(checks: Checks) -> None:
    answer = checks().lookup_serial(" CAM-0002 ")
    assert answer.found and answer.register == "Pack.cloud" and answer.code == "CAM-0002"
    (match,) = answer.matches
    assert match.serial.product_id == "prod-cam" and match.item is not None and match.item.name == "Camera X100"
    assert match.serial.shipped and match.serial.stock_id is None
    data = answer.to_json()["matches"][0]
    assert data["shipped"] is True and data["item"] == {"item_id": "I-CAM", "name": "Camera X100", "sku": "CAM-X100"}
    in_stock = checks().lookup_serial("LENS-0001").matches[0]
    assert (in_stock.serial.stock_id, in_stock.serial.shipped, in_stock.item and in_stock.item.item_id) == \
        ("stock-main", False, "I-LENS")


def test_lookup_of_unknown_and_unlinked_serials(checks: Checks) -> None:
    assert not checks().lookup_serial("NOPE-1").found
    unlinked = checks().lookup_serial("MYST-0001").matches[0]
    assert unlinked.item is None and unlinked.to_json()["item"] is None


@pytest.mark.parametrize(("item_id", "serial", "verdict", "words"), [
    ("I-CAM", "CAM-0001", "ok", "is in stock (stock-main)"),
    ("I-CAM", "CAM-R-01", "ok", "is in stock (stock-returns)"),  # the item's second product
    ("I-CAM", "CAM-0002", "shipped", "has already shipped (fulfilment line fl-311)"),
    ("I-CAM", "CAM-0003", "not_in_stock", "is not in stock in Pack.cloud"),
    ("I-CAM", "LENS-0001", "other_product", "belongs to 'Lens 50mm', not to 'Camera X100'"),
    ("I-CAM", "MYST-0001", "other_product", "belongs to Pack.cloud product prod-unlinked"),
    ("I-CAM", "CAM-9999", "unknown_serial", "serial number CAM-9999 is not in Pack.cloud"),
    ("I-CAM", "  ", "unknown_serial", "no serial number was scanned"),
    ("I-STRAP", "CAM-0001", "item_not_linked", "'Strap' is not linked to a Pack.cloud product"),
])
def test_dispatch_prevalidation(checks: Checks, packcloud: FakePackcloud, item_id: str, serial: str,
                                verdict: str, words: str) -> None:
    result = checks().prevalidate_dispatch(item_id, serial)
    assert (result.verdict, result.ok) == (verdict, verdict == "ok")
    assert words in result.message
    assert result.to_json()["verdict"] == verdict
    if verdict in ("item_not_linked",) or not serial.strip():
        assert packcloud.count() == 0  # decided without asking Pack.cloud
    else:
        assert packcloud.list_calls() == [{"filter[code]": serial}]


def test_a_shipped_twin_does_not_hide_the_unit_in_stock(checks: Checks, packcloud: FakePackcloud) -> None:
    packcloud.add_serial("TWIN-1", "prod-cam", stock_id=None, fulfillment_line_id="fl-1")
    packcloud.add_serial("TWIN-1", "prod-cam-refurb", stock_id="stock-returns")
    result = checks().prevalidate_dispatch("I-CAM", "TWIN-1")
    assert result.ok and result.serial is not None and result.serial.product_id == "prod-cam-refurb"


def test_register_failures_are_raised_for_the_workflow(checks: Checks, packcloud: FakePackcloud) -> None:
    with pytest.raises(SignInAgain):
        checks(token="pc_live_wrong").prevalidate_dispatch("I-CAM", "CAM-0001")
    settings = packcloud.settings()
    packcloud.stop()
    with pytest.raises(Offline):
        checks(settings=settings).lookup_serial("CAM-0001")


def test_the_warehouse_comes_from_the_stock_mapping_never_guessed(packcloud: FakePackcloud, make_client: MakeClient,
                                                                  linked_store: InventoryStore) -> None:
    seed_units(packcloud)
    checks = SerialRegisterChecks(make_client(), linked_store, STOCKS)
    assert checks.prevalidate_dispatch("I-CAM", "CAM-0001", "W1").ok
    assert checks.prevalidate_dispatch("I-CAM", "CAM-N1", "W1").verdict == "other_warehouse"
    assert checks.prevalidate_dispatch("I-CAM", "CAM-X1", "W1").verdict == "stock_not_mapped"
    assert checks.prevalidate_dispatch("I-CAM", "CAM-X1").ok  # no warehouse asked about: none checked
    unmapped = SerialRegisterChecks(make_client(), linked_store)  # no mapping at all
    assert unmapped.prevalidate_dispatch("I-CAM", "CAM-0001", "W1").verdict == "stock_not_mapped"
    assert [m.warehouse_id for m in checks.lookup_serial("CAM-N1").matches] == ["W2"]


def test_the_lookup_card_result_says_item_warehouse_and_shipping(packcloud: FakePackcloud, make_client: MakeClient,
                                                                 linked_store: InventoryStore) -> None:
    seed_units(packcloud)
    checks = SerialRegisterChecks(make_client(), linked_store, STOCKS)
    names = {"W1": "Main", "W2": "North"}
    north = register_lookup_result(checks.lookup_serial("CAM-N1"), names)
    assert north.status == "found" and north.kind == "serial" and north.item is not None
    assert north.item.name == "Camera X100" and north.serial is not None
    assert (north.serial.status, north.serial.is_transacted_out) == ("active", False)
    assert north.serial.warehouse_name == "North (Pack.cloud stock stock-north)"
    shipped = register_lookup_result(checks.lookup_serial("CAM-0002"), names)
    assert shipped.serial is not None and shipped.serial.is_transacted_out
    assert "shipped with fulfilment line fl-311" in shipped.notes[0]
    elsewhere = register_lookup_result(checks.lookup_serial("CAM-X1"), names)
    assert elsewhere.serial is not None and "stock-elsewhere (not mapped to a warehouse)" in elsewhere.serial.warehouse_name
    missing = register_lookup_result(checks.lookup_serial("NOPE-1"), names)
    assert missing.status == "not_found" and "nor in Pack.cloud" in (missing.reason or "")
