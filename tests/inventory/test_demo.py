"""The built-in demo catalogue: it installs through the importer, once, and the codes
its docstring (and the README) tell people to try really answer."""

from __future__ import annotations

import json
from importlib import resources

import pytest

from scanner_app.codes import classify
from scanner_app.codes.gtin import gtin14_for_catalogue
from scanner_app.inventory import demo
from scanner_app.inventory.store import InventoryStore

TODAY = "2026-01-15"


@pytest.fixture
def demo_store(store: InventoryStore) -> InventoryStore:
    assert demo.install_demo_if_empty(store) is True
    return store


def test_installs_once(demo_store: InventoryStore) -> None:
    count = demo_store.count_items()
    assert 24 <= count <= 60
    assert demo.install_demo_if_empty(demo_store) is False
    demo.install_demo(demo_store)  # re-importing the demo changes nothing
    assert demo_store.count_items() == count
    assert [w.name for w in demo_store.warehouses()] == ["Main Warehouse", "North Depot"]
    assert len(demo_store.bins()) >= 8


def test_not_installed_over_an_existing_catalogue(store: InventoryStore) -> None:
    from scanner_app.inventory.importer import import_document

    import_document(store, {"items": [{"item_id": "1", "name": "Mine"}]})
    assert demo.install_demo_if_empty(store) is False
    assert store.count_items() == 1


def test_every_demo_gtin_is_valid() -> None:
    text = resources.files("scanner_app.inventory").joinpath("demo", "catalogue.json").read_text("utf-8")
    data = json.loads(text)
    codes = [(i["name"], f, i[f]) for i in data["items"] + data["composite_items"] for f in ("upc", "ean", "isbn") if f in i]
    assert len(codes) >= 25
    assert [c for c in codes if gtin14_for_catalogue(c[2]) is None] == []


@pytest.mark.parametrize(
    ("code", "kind", "expected"),
    [
        (demo.DEMO_GTIN, "item", "Stretch film"),
        (demo.DEMO_UPC_A, "item", "Packing tape brown"),
        ("0" + demo.DEMO_UPC_A, "item", "Packing tape brown"),
        ("00" + demo.DEMO_UPC_A, "item", "Packing tape brown"),
        (demo.DEMO_SKU, "item", "Corrugated box 400"),
        (demo.DEMO_PART_NUMBER, "item", "Hand pallet truck"),
        (demo.DEMO_ISBN, "item", "The Warehouse Handbook"),
        (demo.DEMO_SERIAL, "serial", "Handheld barcode scanner"),
        (demo.DEMO_SHIPPED_SERIAL, "serial", "Handheld barcode scanner"),
        (demo.DEMO_INACTIVE_SERIAL, "serial", "Rugged tablet"),
        (demo.DEMO_BATCH, "batch", "Hand sanitiser"),
        (demo.DEMO_EXPIRED_BATCH, "batch", "Hand sanitiser"),
        (demo.DEMO_BIN, "bin", None),
        (demo.DEMO_KIT_SKU, "item", "Packing station starter kit"),
        (demo.DEMO_GS1_BATCH, "batch", "Hand sanitiser"),
        (demo.DEMO_GS1_BATCH_RAW, "batch", "Hand sanitiser"),
        (demo.DEMO_GS1_SERIAL, "serial", "Handheld barcode scanner"),
    ],
)
def test_documented_codes_resolve(demo_store: InventoryStore, code: str, kind: str, expected: str | None) -> None:
    result = demo_store.lookup(classify(code), today=TODAY)
    assert (result.status, result.kind) == ("found", kind), (code, result.reason)
    if expected is None:
        assert result.bin is not None and result.bin.code == code
    else:
        assert result.item is not None and result.item.name.startswith(expected)


def test_documented_codes_are_in_the_docstring() -> None:
    doc = demo.__doc__ or ""
    for name in dir(demo):
        if name.startswith("DEMO_"):
            assert getattr(demo, name) in doc, name


def test_demo_has_the_promised_cases(demo_store: InventoryStore) -> None:
    batch = demo_store.lookup(classify(demo.DEMO_EXPIRED_BATCH), today=TODAY)
    assert batch.batch is not None and batch.batch.expiry_date is not None and batch.batch.expiry_date < "2025"
    assert any("expired" in n for n in batch.notes)
    fresh = [b for b in batch.item.batches if not b.is_expired(TODAY)] if batch.item else []
    assert fresh and all(b.expiry_date and b.expiry_date >= "2030" for b in fresh)
    gs1 = demo_store.lookup(classify(demo.DEMO_GS1_BATCH), today=TODAY)
    assert gs1.batch is not None and gs1.batch.batch_number == demo.DEMO_BATCH and gs1.notes == ()
    assert gs1.gs1 is not None and set(gs1.gs1) == {"01", "10", "17"}
    shipped = demo_store.lookup(classify(demo.DEMO_SHIPPED_SERIAL))
    assert shipped.serial is not None and shipped.serial.is_transacted_out
    inactive = demo_store.lookup(classify(demo.DEMO_INACTIVE_SERIAL))
    assert inactive.serial is not None and inactive.serial.status == "inactive"
    in_bin = demo_store.lookup(classify(demo.DEMO_SERIAL))
    assert in_bin.serial is not None and in_bin.serial.bin_code == "C-01-01"
    kit = demo_store.lookup(classify(demo.DEMO_KIT_SKU)).item
    assert kit is not None and kit.is_composite and len(kit.mapped_items) == 7
