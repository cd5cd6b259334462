"""The station window as a person uses it: scan with a wedge scanner, type, read the card."""

from __future__ import annotations

import gc

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from scanner_app.scanning.scan import ScanSource
from tests.ui.keys import scan_burst


def type_slowly(qtbot, widget, text: str, gap_ms: int = 120) -> None:  # type: ignore[no-untyped-def]
    for ch in text:
        qtbot.keyClicks(widget, ch)
        qtbot.wait(gap_ms)


def test_scanner_burst_with_focus_in_another_field_shows_the_item(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    notes = QLineEdit(window)  # some other text field the packer left focused
    notes.show()
    notes.setFocus()
    qtbot.waitUntil(notes.hasFocus)
    scan_burst(notes, "4006381333931")
    card = window.lookup_page.card
    assert card.state == "found"
    assert card.title.text() == "Cordless Drill 18V"
    assert card.field_text("SKU") == "DRL-18V"
    assert notes.text() == ""  # the scan did not leak into the field
    assert window.last_outcome.scan.source is ScanSource.WEDGE


def test_upc_a_scan_finds_item_stored_as_upc(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    entry = window.lookup_page.entry
    entry.setFocus()
    qtbot.waitUntil(entry.hasFocus)
    scan_burst(entry, "0036000291452", terminator=Qt.Key.Key_Tab)
    assert window.lookup_page.card.title.text() == "Packing Tape 50mm"
    assert entry.text() == ""


def test_human_typing_stays_in_the_text_field(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    notes = QLineEdit(window)
    notes.show()
    notes.setFocus()
    qtbot.waitUntil(notes.hasFocus)
    type_slowly(qtbot, notes, "DRL-18V")
    qtbot.keyClick(notes, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: notes.text() == "DRL-18V", timeout=2000)
    assert window.lookup_page.card.state == "idle"
    assert window.last_outcome is None


def test_manual_entry_goes_through_the_pipeline(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    entry = window.lookup_page.entry
    entry.setFocus()
    qtbot.waitUntil(entry.hasFocus)
    type_slowly(qtbot, entry, "tape-50", gap_ms=60)
    qtbot.wait(60)
    qtbot.keyClick(entry, Qt.Key.Key_Return)
    card = window.lookup_page.card
    qtbot.waitUntil(lambda: card.state != "idle", timeout=2000)
    assert card.state == "found"
    assert card.title.text() == "Packing Tape 50mm"
    assert window.last_outcome.scan.source is ScanSource.MANUAL


def test_not_found_looks_and_sounds_different(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.lookup_page.entry.setFocus()
    scan_burst(window.lookup_page.entry, "NO-SUCH-THING")
    card = window.lookup_page.card
    assert card.state == "not_found"
    assert card.headline.text() == "NOT FOUND"
    assert "NO-SUCH-THING" in card.reason.text()
    assert window.sounds.played[-1] == "not_found"
    assert card.banner.property("state") == "not_found"


def test_wrong_check_digit_is_invalid_not_unknown(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.lookup_page.entry.setFocus()
    scan_burst(window.lookup_page.entry, "4006381333932")
    card = window.lookup_page.card
    assert card.state == "invalid"
    assert card.headline.text() == "INVALID CODE"
    assert "check digit" in card.reason.text().lower()
    assert window.sounds.played[-1] == "invalid"


def test_azerty_scan_says_keyboard_layout(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.lookup_page.entry.setFocus()
    scan_burst(window.lookup_page.entry, "&é\"'(§è!çà&é\"")
    card = window.lookup_page.card
    assert card.state == "invalid"
    assert "layout" in card.reason.text().lower()


def test_group_separator_shown_visibly_never_raw(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    window.handle_scan("]C10104006381333931\x1d10LOT42", ScanSource.WEDGE)
    card = window.lookup_page.card
    assert "\x1d" not in card.code_label.text()
    assert card.gs1_table.rowCount() >= 2


def test_every_scan_is_saved_to_history(qtbot, window, station) -> None:  # type: ignore[no-untyped-def]
    window.lookup_page.entry.setFocus()
    scan_burst(window.lookup_page.entry, "4006381333931")
    scan_burst(window.lookup_page.entry, "NOPE-1234")
    qtbot.waitUntil(lambda: window.saved_scans == 2, timeout=3000)
    entries = station.history.recent(10)
    assert [e.status for e in entries] == ["not_found", "found"]
    assert entries[1].source == "wedge"
    assert {"classify", "lookup", "capture"} <= set(entries[1].timings_ms)
    qtbot.waitUntil(lambda: window.history_panel.list.count() == 2, timeout=2000)


def test_start_up_objects_are_frozen_for_the_cycle_collector(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    # a full collection walking the whole start-up heap took 56 ms on the UI thread
    # mid-receipt (benchmarks/receive_1000.py); after start-up only new objects are walked
    qtbot.waitUntil(lambda: gc.get_freeze_count() > 10_000, timeout=5000)
    assert gc.get_freeze_count() > 5 * len(gc.get_objects())  # what a full collection still walks
