"""The scanning pages' shared blocks: the typed-code field hands on only real text and
clears itself, the pickers fill and choose as remembered without change signals for the
warehouse, and a choice's words fall back to its id."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox

from scanner_app.inventory.models import Bin, Warehouse
from scanner_app.ui.pages.workflow_page import ScanEntry, choice_text, chosen, fill_bins, fill_warehouses


def test_the_entry_hands_on_text_and_ignores_blanks(qtbot) -> None:  # type: ignore[no-untyped-def]
    entry = ScanEntry()
    qtbot.addWidget(entry)
    got: list[str] = []
    entry.submitted.connect(got.append)
    entry.setText("   ")
    entry.returnPressed.emit()
    assert got == [] and entry.text() == "   "  # a blank line is not a scan (and is left to be seen)
    entry.setText(" 4006381333931 ")
    entry.returnPressed.emit()
    assert got == [" 4006381333931 "] and entry.text() == ""  # as typed: the pipeline trims


def test_the_pickers_fill_choose_and_name(qtbot) -> None:  # type: ignore[no-untyped-def]
    warehouses, bins = QComboBox(), QComboBox()
    qtbot.addWidget(warehouses)
    qtbot.addWidget(bins)
    changes: list[int] = []
    warehouses.currentIndexChanged.connect(changes.append)
    fill_warehouses(warehouses, [Warehouse("W1", "Main"), Warehouse("W2", "North")], "W2")
    assert (chosen(warehouses), changes) == ("W2", [])
    fill_warehouses(warehouses, [Warehouse("W1", "Main")], "W9")  # a remembered one that is gone: the first
    assert chosen(warehouses) == "W1"
    fill_bins(bins, "(no bin)", [Bin("B1", "W1", "A-01", "Aisle A"), Bin("B2", "W1", "A-02", "A-02"),
                                 Bin("B3", "W1", "A-03", "")], "B2")
    assert [bins.itemText(i) for i in range(bins.count())] == ["(no bin)", "A-01 · Aisle A", "A-02", "A-03"]
    assert chosen(bins) == "B2"
    fill_bins(bins, "Whole warehouse", [], None)
    assert (chosen(bins), bins.currentText()) == ("", "Whole warehouse")
    assert choice_text(bins, "B1") == "B1" and choice_text(warehouses, "W1") == "Main"
