"""Importing Zoho-shaped JSON: good files, bad rows (all or nothing), duplicate codes,
re-imports."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from scanner_app.inventory.importer import ImportFailed, import_document, import_file
from scanner_app.inventory.store import InventoryStore
from tests.inventory.helpers import EAN_13, UPC_A, catalogue, table_counts, with_check


def problems_of(store: InventoryStore, path: Path) -> list[str]:
    with pytest.raises(ImportFailed) as failed:
        import_file(store, path)
    assert failed.value.path == path
    return [str(p) for p in failed.value.problems]


def test_good_file_imports_every_kind(store: InventoryStore, write_json: Any) -> None:
    report = import_file(store, write_json(catalogue()))
    assert report.to_json() == {
        "items": 4, "composite_items": 1, "warehouses": 2, "bins": 2, "stock_lines": 3,
        "batches": 2, "serial_numbers": 3,
    }
    counts = table_counts(store)
    assert counts["items"] == 5 and counts["serial_numbers"] == 3 and counts["composite_mapped_items"] == 2


def test_stock_per_warehouse_and_bin(loaded: InventoryStore) -> None:
    item = loaded.get_item("I1")
    assert item is not None
    lines = {(s.warehouse_name, s.bin_code): s.quantity for s in item.stock}
    # 30 in Main of which 20 in bin A-01-01: the other 10 are in no bin
    assert lines == {("Main", "A-01-01"): 20.0, ("Main", None): 10.0, ("Overflow", None): 5.0}
    assert item.stock_on_hand == 35.0


def test_zoho_values_are_coerced(loaded: InventoryStore) -> None:
    glue = loaded.get_item("I3")
    assert glue is not None and glue.track_batch_number is True  # "true" as a string
    assert [b.batch_number for b in glue.batches] == ["LOT-2024", "LOT-2030"]  # soonest expiry first
    book = loaded.get_item("I4")
    assert book is not None and book.gtin14 == "09780306406157"  # ISBN-10 normalised
    serial = loaded.get_serial("I2:SN-0003")  # no serialnumber_id: one is made from item and serial
    assert serial is not None and serial.status == "inactive" and serial.warehouse_id == "W1"


def test_numbers_for_ids_and_codes_like_zoho_sends(store: InventoryStore, write_json: Any) -> None:
    doc = {"items": [{"item_id": 4815000000044208, "name": "Bags", "upc": int(UPC_A), "ean": int(EAN_13)}]}
    import_file(store, write_json(doc))
    item = store.get_item("4815000000044208")
    assert item is not None and item.upc == UPC_A  # the leading zero is put back
    assert item.gtin14 == UPC_A.zfill(14)


def test_single_record_responses_and_implicit_locations(store: InventoryStore, write_json: Any) -> None:
    doc = {"code": 0, "message": "success", "item": {
        "item_id": "X1", "name": "Box", "locations": [
            {"location_id": "L9", "location_name": "Depot", "location_stock_on_hand": 7,
             "storages": [{"storage_location_id": "S9", "storage_location_name": "Z-09", "quantity": 7}]}]}}
    report = import_file(store, write_json(doc))
    assert (report.items, report.warehouses, report.bins) == (1, 1, 1)
    item = store.get_item("X1")
    assert item is not None and [(s.warehouse_name, s.bin_code, s.quantity) for s in item.stock] == [("Depot", "Z-09", 7.0)]


def test_reimport_updates_in_place(loaded: InventoryStore, write_json: Any) -> None:
    before = table_counts(loaded)
    doc = catalogue()
    doc["items"][0]["name"] = "Tissues, 100 sheets"
    doc["items"][0]["sku"] = "TIS-100B"
    import_file(loaded, write_json(doc))
    assert table_counts(loaded) == before  # nothing duplicated
    item = loaded.get_item("I1")
    assert item is not None and item.name == "Tissues, 100 sheets" and item.sku == "TIS-100B"
    old_sku = loaded.connection().execute("SELECT count(*) FROM codes WHERE code = 'tis-100'").fetchone()[0]
    assert old_sku == 0  # the old SKU no longer finds it


def test_reimport_without_locations_keeps_stock(loaded: InventoryStore, write_json: Any) -> None:
    import_file(loaded, write_json({"items": [{"item_id": "I1", "name": "Tissues", "sku": "TIS-100"}]}))
    item = loaded.get_item("I1")
    assert item is not None and item.stock_on_hand == 35.0
    assert item.upc is None and item.gtin14 is None


def _nothing_imported(store: InventoryStore) -> None:
    assert table_counts(store) == dict.fromkeys(table_counts(store), 0)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["items"][2].pop("name"), "items[2]: missing name"),
        (lambda d: d["items"][0].update(upc="036000291453"),
         "items[0]: bad GTIN check digit in upc: '036000291453' (the check digit should be 2)"),
        (lambda d: d["items"][1].update(ean="12345"), "items[1]: ean '12345' is not a GTIN"),
        (lambda d: d["items"][1].update(track_serial_number="maybe"),
         "items[1]: bad boolean in track_serial_number: 'maybe'"),
        (lambda d: d["items"][0].update(status="deleted"), "items[0]: bad status: 'deleted'"),
        (lambda d: d["batches"][0].update(expiry_date="31/12/2030"),
         "batches[0]: bad date in expiry_date: '31/12/2030' (expected YYYY-MM-DD)"),
        (lambda d: d["batches"][0].update(expiry_date="2024-02-30"), "batches[0]: bad date in expiry_date"),
        (lambda d: d["batches"][1].update(manufactured_date="2025-01-01"),
         "batches[1]: expiry_date 2024-03-31 is before manufactured_date 2025-01-01"),
        (lambda d: d["batches"][0].update(balance_quantity="lots"), "batches[0]: bad number in balance_quantity"),
        (lambda d: d["serial_numbers"][2].update(item_id="I404"), "serial_numbers[2]: unknown item_id 'I404'"),
        (lambda d: (d["items"][0].update(track_serial_number=False), d["serial_numbers"][0].update(item_id="I1")),
         "serial_numbers[0]: item 'Tissues' does not track serial numbers (track_serial_number is false)"),
        (lambda d: d["serial_numbers"][0].update(location_id="B404"), "serial_numbers[0]: unknown bin 'B404'"),
        (lambda d: d["serial_numbers"][1].update(serial_number="SN-0001"),
         "serial_numbers[1]: duplicate serial number 'SN-0001' for item I2"),
        (lambda d: (d["items"][1].update(track_batch_number="no"), d["batches"][0].update(item_id="I2")),
         "batches[0]: item 'Drill' does not track batches"),
        (lambda d: d["composite_items"][0]["mapped_items"].append({"item_id": "I404"}),
         "composite_items[0]: mapped_items: unknown item_id 'I404'"),
        (lambda d: d["items"][0]["locations"][0]["storages"].append({"storage_location_id": "B404", "quantity": 1}),
         "items[0]: locations[0]: storages[1]: unknown storage_location_id 'B404'"),
        (lambda d: d["items"][0]["locations"].append({"location_id": "W404"}),
         "items[0]: locations[2]: unknown location_id 'W404'"),
        (lambda d: d["bins"][1].update(location_id="W404"), "bins[1]: unknown warehouse_id 'W404'"),
        (lambda d: d["bins"][1].update(storage_location_name="a-01-01"),
         "bins[1]: duplicate bin code 'a-01-01' in warehouse W1 (bin B1 has it)"),
        (lambda d: d["items"].append(copy.deepcopy(d["items"][0])), "items[4]: item_id I1 appears twice"),
        (lambda d: d["items"].append("oops"), "items[4]: expected an object, not str"),
    ],
)
def test_a_bad_row_is_reported_and_nothing_is_imported(
    store: InventoryStore, write_json: Any, change: Any, expected: str
) -> None:
    doc = catalogue()
    change(doc)
    problems = problems_of(store, write_json(doc))
    assert any(p.startswith(expected) for p in problems), problems
    _nothing_imported(store)


def test_every_problem_of_a_file_is_reported(store: InventoryStore, write_json: Any) -> None:
    doc = catalogue()
    doc["items"][0].pop("name")
    doc["items"][1]["upc"] = "036000291453"
    doc["serial_numbers"][0]["is_transacted_out"] = "perhaps"
    problems = problems_of(store, write_json(doc))
    assert [p.split(":")[0] for p in problems] == ["items[0]", "items[1]", "serial_numbers[0]"]


def test_a_bad_file_leaves_an_earlier_import_untouched(loaded: InventoryStore, write_json: Any) -> None:
    before = table_counts(loaded)
    doc = catalogue()
    doc["items"][0]["name"] = "Renamed"
    doc["batches"][0]["expiry_date"] = "soon"
    problems_of(loaded, write_json(doc))
    assert table_counts(loaded) == before
    item = loaded.get_item("I1")
    assert item is not None and item.name == "Tissues"


def test_duplicate_gtin_in_one_file(store: InventoryStore, write_json: Any) -> None:
    # the same GTIN as UPC-A on one item and as EAN-13 (leading zero) on another
    doc = {"items": [{"item_id": "A", "name": "A", "upc": UPC_A}, {"item_id": "B", "name": "B", "ean": "0" + UPC_A}]}
    problems = problems_of(store, write_json(doc))
    assert problems == [f"items[1]: duplicate GTIN {UPC_A.zfill(14)}: item A (items[0]) has it too"]
    _nothing_imported(store)


def test_duplicate_sku_ignores_case(store: InventoryStore, write_json: Any) -> None:
    doc = {"items": [{"item_id": "A", "name": "A", "sku": "ab-1"}, {"item_id": "B", "name": "B", "sku": "AB-1"}]}
    assert problems_of(store, write_json(doc)) == ["items[1]: duplicate sku 'AB-1': item A (items[0]) has it too"]


def test_duplicate_code_against_the_store(loaded: InventoryStore, write_json: Any) -> None:
    before = table_counts(loaded)
    doc = {"items": [{"item_id": "NEW", "name": "Copy", "sku": "tis-100"},
                     {"item_id": "NEW2", "name": "Copy 2", "ean": "0" + UPC_A}]}
    problems = problems_of(loaded, write_json(doc))
    assert problems == [
        "items[0]: duplicate sku 'tis-100': the stored item 'Tissues' (item_id I1) has it already",
        f"items[1]: duplicate GTIN {UPC_A.zfill(14)}: the stored item 'Tissues' (item_id I1) has it already",
    ]
    assert table_counts(loaded) == before


def test_codes_may_move_between_items_in_one_file(loaded: InventoryStore, write_json: Any) -> None:
    doc = {"items": [{"item_id": "I1", "name": "Tissues", "sku": "DRL-18"},
                     {"item_id": "I2", "name": "Drill", "sku": "TIS-100", "track_serial_number": True}]}
    import_file(loaded, write_json(doc))
    assert loaded.get_item("I1").sku == "DRL-18"  # type: ignore[union-attr]


def test_file_level_problems(store: InventoryStore, tmp_path: Path, write_json: Any) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"items": [', encoding="utf-8")
    assert problems_of(store, broken)[0].startswith("not valid JSON")
    assert problems_of(store, write_json([1, 2]))[0].startswith("expected a JSON object")
    assert problems_of(store, write_json({"foo": []}))[0].startswith("nothing to import")
    assert problems_of(store, write_json({"items": {"a": 1}}))[0] == '"items" must be an array, not dict'
    latin1 = tmp_path / "latin1.json"
    latin1.write_bytes('{"items": [{"name": "caf\xe9"}]}'.encode("latin-1"))
    assert problems_of(store, latin1)[0].startswith("the file is not UTF-8")


def test_import_document_and_message(store: InventoryStore) -> None:
    with pytest.raises(ImportFailed, match=r"nothing imported, 1 problem\(s\): items\[0\]: missing name"):
        import_document(store, {"items": [{"item_id": "A"}]})
    report = import_document(store, {"items": [{"name": "No id", "sku": "NOID", "ean": with_check("400000100001")}]})
    assert report.items == 1 and store.get_item("sku:NOID") is not None


def test_serials_imply_tracking_when_the_item_record_leaves_it_out(store: InventoryStore, write_json: Any) -> None:
    # Zoho's item lists leave track_serial_number out; the serials in the file say it
    doc = {"items": [{"item_id": "A", "name": "Scanner"}, {"item_id": "B", "name": "Glue", "track_batch_number": ""}],
           "serial_numbers": [{"serialnumber": "S-1", "item_id": "A"}],
           "batches": [{"batch_number": "L-1", "item_id": "B"}]}
    import_file(store, write_json(doc))
    a, b = store.get_item("A"), store.get_item("B")
    assert a is not None and a.track_serial_number and not a.track_batch_number
    assert b is not None and b.track_batch_number


def test_serial_of_a_stored_item_that_does_not_track_serials(loaded: InventoryStore, write_json: Any) -> None:
    problems = problems_of(loaded, write_json({"serial_numbers": [{"serialnumber": "S-9", "item_id": "I1"}]}))
    assert problems == [
        "serial_numbers[0]: item 'Tissues' does not track serial numbers (track_serial_number is false)"
    ]


def test_a_record_that_leaves_tracking_out_keeps_the_stored_tracking(store: InventoryStore) -> None:
    # what catalogue sync relies on: Zoho's item list says nothing of tracking, the item's
    # own record (fetched when it is scanned) does
    import_document(store, {"items": [{"item_id": "A", "name": "Scanner", "track_serial_number": True}],
                            "serial_numbers": [{"serialnumber": "S-1", "item_id": "A"}]})
    import_document(store, {"items": [{"item_id": "A", "name": "Scanner Mk2"}]})
    item = store.get_item("A")
    assert item is not None and item.name == "Scanner Mk2" and item.track_serial_number
    import_document(store, {"items": [{"item_id": "A", "name": "Scanner Mk2", "track_serial_number": False}]})
    item = store.get_item("A")
    assert item is not None and not item.track_serial_number
