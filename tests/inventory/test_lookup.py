"""Lookup by every kind of code, not-found and invalid answers, precedence, and the
query plans (every query a B-tree search, never a table scan)."""

from __future__ import annotations

from typing import Any

import pytest

from scanner_app.codes.classification import Classification, CodeKind
from scanner_app.inventory.importer import import_document
from scanner_app.inventory.store import InventoryStore
from tests.inventory.helpers import (
    EAN_13,
    ISBN_13,
    UPC_A,
    gs1_scan,
    gtin_scan,
    text_scan,
    with_check,
)

TODAY = "2026-01-15"


def found(store: InventoryStore, c: Classification, kind: str = "item") -> Any:
    result = store.lookup(c, today=TODAY)
    assert result.status == "found", result.reason
    assert result.kind == kind
    return result


@pytest.mark.parametrize(
    ("digits", "fmt"), [(UPC_A, "UPC-A"), ("0" + UPC_A, "EAN-13"), ("00" + UPC_A, "GTIN-14")]
)
def test_every_printed_form_of_a_gtin_finds_the_one_item(loaded: InventoryStore, digits: str, fmt: str) -> None:
    result = found(loaded, gtin_scan(digits, fmt))
    assert result.item.item_id == "I1" and result.item.gtin14 == "00" + UPC_A


def test_item_carries_stock_with_warehouse_and_bin_names(loaded: InventoryStore) -> None:
    item = found(loaded, gtin_scan(UPC_A, "UPC-A")).item
    assert ("Main", "A-01-01", 20.0) in [(s.warehouse_name, s.bin_code, s.quantity) for s in item.stock]


@pytest.mark.parametrize(
    ("text", "item_id"),
    [("TIS-100", "I1"), ("tis-100", "I1"), ("  TIS-100 ", "I1"), ("PN-TIS", "I1"), ("epx50", "I3"), ("KIT-DRL", "K1")],
)
def test_sku_and_part_number(loaded: InventoryStore, text: str, item_id: str) -> None:
    assert found(loaded, text_scan(text)).item.item_id == item_id


def test_isbn(loaded: InventoryStore) -> None:
    c = Classification(raw=ISBN_13, kind=CodeKind.ISBN, display=ISBN_13, isbn13=ISBN_13, gtin14="0" + ISBN_13)
    assert found(loaded, c).item.name == "Handbook"
    without_gtin = Classification(raw=ISBN_13, kind=CodeKind.ISBN, display=ISBN_13, isbn13=ISBN_13)
    assert found(loaded, without_gtin).item.name == "Handbook"


def test_ean13_item_and_kit_components(loaded: InventoryStore) -> None:
    assert found(loaded, gtin_scan(EAN_13)).item.name == "Drill"
    kit = found(loaded, text_scan("KIT-DRL")).item
    assert kit.is_composite
    assert [(m.name, m.quantity, m.sku) for m in kit.mapped_items] == [("Drill", 1.0, "DRL-18"), ("Glue", 2.0, "GLU-50")]


def test_serial(loaded: InventoryStore) -> None:
    result = found(loaded, text_scan("sn-0001"), "serial")
    s = result.serial
    assert (s.serialnumber, s.warehouse_name, s.bin_code, s.is_transacted_out) == ("SN-0001", "Main", "A-01-01", False)
    assert result.item.name == "Drill"
    shipped = found(loaded, text_scan("SN-0002"), "serial")
    assert shipped.serial.is_transacted_out and "shipped" in shipped.notes[0]
    inactive = found(loaded, text_scan("SN-0003"), "serial")
    assert inactive.notes == ("Serial SN-0003 is inactive",)


def test_batch_and_manufacturer_batch(loaded: InventoryStore) -> None:
    result = found(loaded, text_scan("LOT-2030"), "batch")
    assert (result.batch.batch_number, result.batch.expiry_date, result.item.name) == ("LOT-2030", "2030-06-30", "Glue")
    assert result.notes == ()
    assert [b.batch_number for b in result.item.batches] == ["LOT-2024", "LOT-2030"]
    assert found(loaded, text_scan("m-77"), "batch").batch.batch_id == "BA1"


def test_expired_batch_is_found_with_a_note(loaded: InventoryStore) -> None:
    result = found(loaded, text_scan("LOT-2024"), "batch")
    assert result.notes == ("Batch LOT-2024 expired on 2024-03-31",)
    later = loaded.lookup(text_scan("LOT-2030"), today="2031-01-01")
    assert later.notes == ("Batch LOT-2030 expired on 2030-06-30",)


def test_bin(loaded: InventoryStore) -> None:
    result = found(loaded, text_scan("a-01-02"), "bin")
    assert (result.bin.bin_id, result.bin.code, result.bin.warehouse_name) == ("B2", "A-01-02", "Main")
    assert result.item is None
    assert result.to_json()["bin"]["code"] == "A-01-02"


def test_gs1_gtin_alone_gives_the_item(loaded: InventoryStore) -> None:
    result = found(loaded, gs1_scan({"01": "0" + EAN_13, "30": "5"}))
    assert result.item.name == "Drill" and result.gs1 == {"01": "0" + EAN_13, "30": "5"}


def test_gs1_gtin_and_serial(loaded: InventoryStore) -> None:
    result = found(loaded, gs1_scan({"01": "0" + EAN_13, "21": "SN-0001"}), "serial")
    assert result.serial.serialnumber_id == "S1" and result.item.item_id == "I2"
    assert result.gs1 == {"01": "0" + EAN_13, "21": "SN-0001"}


def test_gs1_serial_of_another_item_is_not_found(loaded: InventoryStore) -> None:
    result = loaded.lookup(gs1_scan({"01": "00" + UPC_A, "21": "SN-0001"}), today=TODAY)
    assert result.status == "not_found" and result.kind is None
    assert result.reason == "Tissues has no serial number 'SN-0001'"
    assert result.item is not None and result.item.item_id == "I1"  # which item lacks it


def test_gs1_gtin_and_batch(loaded: InventoryStore) -> None:
    ean = with_check("400000300001")  # Glue has no GTIN yet: give it one
    import_document(loaded, {"items": [{"item_id": "I3", "name": "Glue", "sku": "GLU-50", "part_number": "EPX50",
                                         "ean": ean, "track_batch_number": True}]})
    glue = {"01": "0" + ean}
    result = found(loaded, gs1_scan({**glue, "10": "LOT-2030", "17": "300630"}), "batch")
    assert result.batch.batch_id == "BA1" and result.notes == ()
    by_mfr = found(loaded, gs1_scan({**glue, "10": "M-77"}), "batch")
    assert by_mfr.batch.batch_id == "BA1"
    mismatch = found(loaded, gs1_scan({**glue, "10": "LOT-2030", "17": "300701"}), "batch")
    assert mismatch.notes == ("The label's expiry 2030-07-01 differs from the batch's 2030-06-30",)
    missing = loaded.lookup(gs1_scan({**glue, "10": "LOT-9"}), today=TODAY)
    assert (missing.status, missing.reason) == ("not_found", "Glue has no batch 'LOT-9'")


def test_gs1_unknown_gtin(loaded: InventoryStore) -> None:
    gtin = "0" + with_check("400000999999")
    result = loaded.lookup(gs1_scan({"01": gtin, "10": "X"}))
    assert (result.status, result.reason, result.gs1) == ("not_found", f"No item with GTIN {gtin}", {"01": gtin, "10": "X"})


def test_gs1_location_and_sscc_are_matched_as_codes(loaded: InventoryStore) -> None:
    import_document(loaded, {"bins": [{"bin_id": "B9", "warehouse_id": "W1", "code": "4012345000009"}]})
    assert found(loaded, gs1_scan({"414": "4012345000009"}), "bin").bin.bin_id == "B9"
    result = loaded.lookup(gs1_scan({"00": "340123450000000000"}))
    assert result.status == "not_found"
    assert result.reason == "Nothing in the inventory matches the GS1 label: (00) 340123450000000000"


def test_not_found_reasons(loaded: InventoryStore) -> None:
    gtin = with_check("400000999999")
    result = loaded.lookup(gtin_scan(gtin))
    assert (result.status, result.kind, result.item, result.reason) == ("not_found", None, None, f"No item with GTIN 0{gtin}")
    text = loaded.lookup(text_scan("XYZ"))
    assert (text.status, text.reason) == ("not_found", "No item, serial, batch or bin with code 'XYZ'")
    assert text.to_json() == {"status": "not_found", "kind": None, "item": None, "serial": None, "batch": None,
                              "bin": None, "gs1": None, "reason": "No item, serial, batch or bin with code 'XYZ'", "notes": []}


def test_invalid_and_empty(loaded: InventoryStore) -> None:
    bad = Classification(raw="036000291453", kind=CodeKind.INVALID, display="036000291453",
                         reason="UPC-A check digit is wrong: expected 2, got 3")
    result = loaded.lookup(bad)
    assert (result.status, result.reason, result.item) == ("invalid", "UPC-A check digit is wrong: expected 2, got 3", None)
    empty = loaded.lookup(Classification(raw="\r\n", kind=CodeKind.EMPTY, display=""))
    assert (empty.status, empty.reason) == ("invalid", "Nothing was scanned")


def test_a_numeric_code_that_passes_the_check_digit_falls_back_to_text(loaded: InventoryStore) -> None:
    serial = with_check("123456789012")  # a serial that happens to be a valid EAN-13
    import_document(loaded, {"serial_numbers": [{"serialnumber": serial, "item_id": "I2"}]})
    result = found(loaded, gtin_scan(serial), "serial")
    assert result.serial.serialnumber == serial
    assert result.notes == (f"No item has GTIN 0{serial}; '{serial}' matched as a code instead",)


def test_precedence_when_one_code_names_several_things(store: InventoryStore) -> None:
    import_document(store, {
        "warehouses": [{"warehouse_id": "W", "name": "W"}],
        "bins": [{"bin_id": "B", "warehouse_id": "W", "code": "X-1"}],
        "items": [{"item_id": "A", "name": "Alpha", "sku": "X-1", "part_number": "X-1"},
                  {"item_id": "B", "name": "Beta", "part_number": "x-1", "track_serial_number": True}],
        "serial_numbers": [{"serialnumber": "X-1", "item_id": "B"}],
    })
    result = found(store, text_scan("X-1"))
    assert result.item.name == "Alpha"  # SKU first; Alpha's own part number is not counted twice
    assert result.notes == ("'X-1' also matches 1 part number, 1 serial number, 1 bin code; showing the SKU match",)
    serial_vs_bin = found(store, gs1_scan({"21": "X-1"}), "serial")
    assert serial_vs_bin.serial.item_id == "B"


@pytest.mark.parametrize(("scanned", "serial_id"), [("ab-1", "S-LOWER"), ("AB-1", "S-UPPER"), (" ab-1 ", "S-LOWER")])
def test_of_serials_differing_only_in_case_the_one_spelled_as_scanned_is_found(
        store: InventoryStore, scanned: str, serial_id: str) -> None:
    # Zoho keeps serial numbers as written; two units "AB-1" and "ab-1" are two units.
    import_document(store, {
        "items": [{"item_id": "D", "name": "Drill", "sku": "DRL", "track_serial_number": True}],
        "serial_numbers": [{"serialnumber_id": "S-UPPER", "serialnumber": "AB-1", "item_id": "D"},
                           {"serialnumber_id": "S-LOWER", "serialnumber": "ab-1", "item_id": "D"}],
    })
    assert found(store, text_scan(scanned), "serial").serial.serialnumber_id == serial_id


def test_a_serial_spelled_in_another_case_is_still_found(store: InventoryStore) -> None:
    import_document(store, {
        "items": [{"item_id": "D", "name": "Drill", "sku": "DRL", "track_serial_number": True}],
        "serial_numbers": [{"serialnumber_id": "S-UPPER", "serialnumber": "AB-1", "item_id": "D"},
                           {"serialnumber_id": "S-OTHER", "serialnumber": "Ab-1", "item_id": "D"}],
    })
    assert found(store, text_scan("ab-1"), "serial").serial.serialnumber_id in {"S-UPPER", "S-OTHER"}


def test_inactive_item_is_found_with_a_note(store: InventoryStore) -> None:
    import_document(store, {"items": [{"item_id": "O", "name": "Old tape gun", "sku": "OLD", "status": "Inactive"}]})
    assert found(store, text_scan("OLD")).notes == ("Old tape gun is inactive",)


def test_json_contract(loaded: InventoryStore) -> None:
    data = found(loaded, gs1_scan({"01": "0" + EAN_13, "21": "SN-0001"}), "serial").to_json()
    assert set(data) == {"status", "kind", "item", "serial", "batch", "bin", "gs1", "reason", "notes"}
    assert data["serial"]["bin_code"] == "A-01-01" and data["item"]["sku"] == "DRL-18"


LOOKUPS = [
    gtin_scan(UPC_A, "UPC-A"), text_scan("TIS-100"), text_scan("SN-0001"), text_scan("LOT-2030"),
    text_scan("A-01-01"), text_scan("KIT-DRL"), text_scan("nothing"), gs1_scan({"01": "0" + EAN_13, "21": "SN-0001"}),
    gs1_scan({"01": "0" + EAN_13, "10": "LOT-2030"}), gs1_scan({"414": "4012345000009"}),
]


def test_every_lookup_query_searches_an_index(loaded: InventoryStore) -> None:
    conn = loaded.connection()
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        for c in LOOKUPS:
            loaded.lookup(c, today=TODAY)
    finally:
        conn.set_trace_callback(None)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) >= 10
    for sql in set(selects):
        plan = [row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql)]
        # "SCAN (subquery-1)" reads a bounded subquery's few rows; "SCAN codes" would read a table
        table_scans = [step for step in plan if step.startswith("SCAN") and "(subquery" not in step]
        assert not table_scans, f"{sql}\n{plan}"
        assert any(step.startswith("SEARCH") for step in plan), plan


def test_code_lookup_uses_the_code_index(loaded: InventoryStore) -> None:
    plan = [r[3] for r in loaded.connection().execute(
        "EXPLAIN QUERY PLAN SELECT kind, target_id FROM codes WHERE code = ?", ("x",))]
    assert plan == ["SEARCH codes USING PRIMARY KEY (code=?)"]


def test_a_lookup_is_a_few_queries(loaded: InventoryStore) -> None:
    conn = loaded.connection()
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    try:
        loaded.lookup(text_scan("TIS-100"))
    finally:
        conn.set_trace_callback(None)
    assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) <= 4


def test_many_batches_with_one_number_do_not_hide_a_sku(store: InventoryStore) -> None:
    items: list[dict[str, Any]] = [{"item_id": f"G{n}", "name": f"Glue {n}", "track_batch_number": True}
                                   for n in range(40)]
    items.append({"item_id": "S", "name": "Special", "sku": "L-1"})
    batches = [{"batch_number": "L-1", "item_id": f"G{n}"} for n in range(40)]
    import_document(store, {"items": items, "batches": batches})
    result = found(store, text_scan("L-1"))
    assert result.item.name == "Special"
    assert result.notes == ("'L-1' also matches 16+ batch numbers; showing the SKU match",)
