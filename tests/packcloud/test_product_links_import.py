"""``packcloud_products`` in a catalogue file: Pack.cloud products linked to items by
item_id or any of the item's codes, checked like the rest of the file (all or nothing)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from scanner_app.inventory.importer import ImportFailed, import_document, import_file
from scanner_app.inventory.product_links import ProductLinks
from scanner_app.inventory.store import InventoryStore
from tests.packcloud.conftest import CATALOGUE


def problems(store: InventoryStore, document: dict[str, Any]) -> list[str]:
    with pytest.raises(ImportFailed) as failed:
        import_document(store, document)
    return [str(p) for p in failed.value.problems]


def test_links_by_item_id_gtin_and_sku(linked_store: InventoryStore) -> None:
    links = ProductLinks(linked_store)
    assert links.products_of("I-CAM") == ["prod-cam", "prod-cam-refurb"]
    assert links.products_of("I-LENS") == ["prod-lens"] and links.products_of("I-STRAP") == []
    item = links.item_for("prod-cam-refurb")
    assert item is not None and item.name == "Camera X100"
    assert links.item_for("prod-unknown") is None and links.count() == 3


def test_a_links_only_file_uses_the_stored_items_and_relinks(linked_store: InventoryStore, tmp_path: Path) -> None:
    path = tmp_path / "links.json"
    path.write_text(json.dumps({"packcloud_products": [
        {"product_id": "prod-lens-2", "part_number": "pn-50"},
        {"product_id": "prod-cam-refurb", "upc": "4006381333931"},
        {"product_id": "prod-strap", "sku": "STRAP-1"},
        {"product_id": "prod-lens", "item_id": "I-STRAP"},  # re-linked
    ]}))
    report = import_file(linked_store, path)
    assert report.to_json()["packcloud_products"] == 4 and report.items == 0
    links = ProductLinks(linked_store)
    assert links.products_of("I-LENS") == ["prod-lens-2"]
    assert links.products_of("I-STRAP") == ["prod-lens", "prod-strap"]
    assert links.products_of("I-CAM") == ["prod-cam", "prod-cam-refurb"]


def test_files_without_links_report_as_before(tmp_path: Path) -> None:
    with InventoryStore(tmp_path / "inventory.sqlite3") as store:
        report = import_document(store, {"items": CATALOGUE["items"]})
        assert "packcloud_products" not in report.to_json()


def test_bad_links_are_problems_and_nothing_is_imported(linked_store: InventoryStore) -> None:
    bad = {
        "items": [{"item_id": "I-NEW", "name": "New", "sku": "NEW-1", "part_number": "PN-50"}],
        "packcloud_products": [
            {"product_id": "p1", "item_id": "I-GONE"},
            {"product_id": "p2", "sku": "NO-SUCH"},
            {"product_id": "p3", "part_number": "PN-50"},
            {"product_id": "p4"},
            {"product_id": "p5", "sku": "NEW-1", "item_id": "I-NEW"},
            {"sku": "NEW-1"},
            {"product_id": "p7", "ean": "4006381333932"},
            {"product_id": "p8", "sku": "NEW-1"},
            {"product_id": "p8", "item_id": "I-CAM"},
            "p9",
        ],
    }
    found = problems(linked_store, bad)
    assert found == [
        "packcloud_products[0]: unknown item_id 'I-GONE'",
        "packcloud_products[1]: no item has sku 'NO-SUCH'",
        "packcloud_products[2]: part_number 'PN-50' names several items (I-LENS, I-NEW): use item_id",
        "packcloud_products[3]: name the item by one of item_id, sku, gtin, upc, ean, isbn, part_number",
        "packcloud_products[4]: name the item by one of item_id, sku, gtin, upc, ean, isbn, part_number "
        "(not several: item_id, sku)",
        "packcloud_products[5]: missing product_id",
        "packcloud_products[6]: bad GTIN check digit in ean: '4006381333932' (the check digit should be 1)",
        "packcloud_products[8]: product_id p8 appears twice (also packcloud_products[7])",
        "packcloud_products[9]: expected an object, not str",
    ]
    assert linked_store.get_item("I-NEW") is None and ProductLinks(linked_store).count() == 3


def test_a_deleted_item_takes_its_links_with_it(linked_store: InventoryStore) -> None:
    with linked_store.transaction() as conn:
        conn.execute("DELETE FROM items WHERE item_id = 'I-LENS'")
    assert ProductLinks(linked_store).item_for("prod-lens") is None
    assert ProductLinks(linked_store).count() == 2
