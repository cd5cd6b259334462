"""Importing a CSV of items with Zoho's column names."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner_app.inventory.importer import ImportFailed, import_file
from scanner_app.inventory.store import InventoryStore
from tests.inventory.helpers import (
    EAN_13,
    ISBN_13,
    UPC_A,
    gtin_scan,
    table_counts,
    text_scan,
)

GOOD = f"""name,sku,upc,ean,isbn,part_number,unit,status,track_serial_number,track_batch_number,description
Tissues,TIS-100,{UPC_A},,,PN-TIS,box,active,false,false,"Soft, 100 sheets"
Drill,DRL-18,,{EAN_13},,,pcs,Active,TRUE,FALSE,
Handbook,BK-1,,,{ISBN_13},,pcs,,,,
"""


def write(tmp_path: Path, text: str, name: str = "items.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def test_good_csv(store: InventoryStore, tmp_path: Path) -> None:
    report = import_file(store, write(tmp_path, GOOD))
    assert report.items == 3
    assert store.lookup(gtin_scan(UPC_A, "UPC-A")).item.name == "Tissues"  # type: ignore[union-attr]
    drill = store.lookup(text_scan("drl-18")).item
    assert drill is not None and drill.track_serial_number and drill.status == "active"
    tissues = store.get_item("sku:TIS-100")  # no item_id column: the id is made from the SKU
    assert tissues is not None and tissues.description == "Soft, 100 sheets"
    # importing the same file again updates, never duplicates
    import_file(store, write(tmp_path, GOOD))
    assert store.count_items() == 3


def test_zoho_export_headers_semicolons_and_bom(store: InventoryStore, tmp_path: Path) -> None:
    text = f"Item ID;Item Name;SKU;UPC;Part Number\n77;Tissues;TIS-100;{UPC_A};PN-1\n"
    import_file(store, write(tmp_path, "\ufeff" + text))
    item = store.get_item("77")
    assert item is not None and item.name == "Tissues" and item.part_number == "PN-1"


def test_bad_row_reports_data_row_and_line_and_imports_nothing(store: InventoryStore, tmp_path: Path) -> None:
    text = GOOD.replace(f"Drill,DRL-18,,{EAN_13}", "Drill,DRL-18,,4006381333932") + "\n,NONAME,,,,,,,,,\n"
    with pytest.raises(ImportFailed) as failed:
        import_file(store, write(tmp_path, text))
    assert [str(p) for p in failed.value.problems] == [
        "row 2 (line 3): bad GTIN check digit in ean: '4006381333932' (the check digit should be 1)",
        "row 4 (line 6): missing name",  # the blank line 5 is not a data row
    ]
    assert failed.value.problems[0].row == 2
    assert table_counts(store)["items"] == 0 and table_counts(store)["codes"] == 0


def test_spreadsheet_mangled_gtin_is_explained(store: InventoryStore, tmp_path: Path) -> None:
    with pytest.raises(ImportFailed) as failed:
        import_file(store, write(tmp_path, "name,upc\nTissues,3.60003E+11\n"))
    assert "a spreadsheet may have turned it into a number" in str(failed.value.problems[0])


def test_csv_without_name_column(store: InventoryStore, tmp_path: Path) -> None:
    with pytest.raises(ImportFailed) as failed:
        import_file(store, write(tmp_path, "sku,upc\nA,\n"))
    assert str(failed.value.problems[0]) == "header: no 'name' column (it has: sku, upc)"


def test_duplicate_sku_in_csv(store: InventoryStore, tmp_path: Path) -> None:
    with pytest.raises(ImportFailed) as failed:
        import_file(store, write(tmp_path, "item_id,name,sku\n1,A,X-1\n2,B,x-1\n"))
    assert [str(p) for p in failed.value.problems] == ["row 2 (line 3): duplicate sku 'x-1': item 1 (row 1) has it too"]
