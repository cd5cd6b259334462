"""The Assemble page as a kitting bench uses it: choose where and how many, scan the kit and
its components with a wedge scanner (from any field), refusals said with the error sound,
components short or a kit of kits explained in the table, Complete, and the assembly
recorded by the window's relay while the page follows it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.ui.keys import scan_from_another_field as scan
from tests.workflows.kit_catalogue import kit_catalogue


@pytest.fixture
def catalogue() -> dict[str, Any]:
    return kit_catalogue()


@pytest.fixture
def bench(qtbot, window):  # type: ignore[no-untyped-def]
    """The Assemble tab, building in Main, bin A-01-01."""
    window.pages.setCurrentWidget(window.assemble_page)
    page = window.assemble_page
    qtbot.waitUntil(lambda: page.warehouse.count() == 2)
    page.warehouse.setCurrentIndex(page.warehouse.findData("W1"))
    page.bin.setCurrentIndex(page.bin.findData("B1"))
    assert window.assemble.workflow.bin is not None and window.assemble.workflow.bin.code == "A-01-01"
    return window


def test_building_a_kit_by_scanning(qtbot, bench) -> None:  # type: ignore[no-untyped-def]
    window, page = bench, bench.assemble_page
    scan(qtbot, window, "KIT-REP")
    assert page.banner_state == "accepted" and window.sounds.played[-1] == "found"
    assert page.kit_label.text().startswith("Repair kit (KIT-REP) · 1 kit(s) · in bin A-01-01 · ASM-")
    assert page.row_of("Screw pack") == ["Screw pack", "2", "2", "0", "50", "", "2 more"]
    assert page.row_of("Drill") == ["Drill", "1", "1", "0", "3", "serial", "1 more"]
    assert not page.complete_button.isEnabled()
    scan(qtbot, window, "BOX-1")
    assert page.banner_state == "refused" and window.sounds.played[-1] == "invalid"
    assert page._banners["refused"].message.text() == "Box is not a component of Repair kit"
    for code in ("SCR-10", "SCR-10", "DRL-18", "SN-1", "GL-OK", "GL-OK"):
        scan(qtbot, window, code)
        assert page.banner_state == "accepted", page._banners["refused"].message.text()
    assert page.row_of("Glue") == ["Glue", "2", "2", "2", "20", "batch", "✔ ticked"]
    assert window.lookup_page.card.state == "idle"  # the scans went to the assembly, not to Lookup
    assert page.complete_button.isEnabled()
    page.complete_button.click()
    qtbot.waitUntil(lambda: page.kit_label.text().endswith("✔ recorded"), timeout=10000)
    qtbot.waitUntil(lambda: "0 pending · 0 failed" in window.outbox_badge.button.text(), timeout=5000)
    stock = window.station.inventory.get_item("KREP").stock
    assert [(line.bin_id, line.quantity) for line in stock] == [("B1", 1)]
    qtbot.waitUntil(lambda: window.saved_scans == 8, timeout=3000)  # the history has every scan


def test_a_kit_of_kits_and_short_stock_are_explained(qtbot, bench) -> None:  # type: ignore[no-untyped-def]
    window, page = bench, bench.assemble_page
    page.quantity.setValue(3)
    scan(qtbot, window, "KIT-WS")
    assert page.note.text().startswith("Note: Repair kit is itself a kit and none is in stock in bin A-01-01: "
                                       "build it first")
    assert page.row_of("Repair kit")[5:] == ["kit", "Repair kit is itself a kit and none is in stock in bin "  # type: ignore[index]
                                             "A-01-01: build it first (scan it as the kit)"]
    assert page.row_of("Box")[6] == "Box: 3 needed, only 2 in stock in bin A-01-01"  # type: ignore[index]
    scan(qtbot, window, "KIT-REP")
    assert page.banner_state == "refused" and window.sounds.played[-1] == "invalid"
    page.complete_button.setEnabled(True)  # even if pressed: it says what is missing
    page.complete_button.click()
    assert page._banners["refused"].message.text() == "components still to scan: Repair kit 3 more, Box 3 more"


def test_a_change_of_place_after_ticks_is_refused_and_the_choice_restored(qtbot, bench) -> None:  # type: ignore[no-untyped-def]
    window, page = bench, bench.assemble_page
    scan(qtbot, window, "KIT-REP")
    scan(qtbot, window, "SCR-10")
    page.bin.setCurrentIndex(page.bin.findData(""))  # the whole warehouse
    assert page.banner_state == "refused" and "before choosing another place" in \
        page._banners["refused"].message.text()
    assert page.bin.currentData() == "B1"
    page.cancel_button.click()
    assert page.kit_label.text().endswith("cancelled")
    page.bin.setCurrentIndex(page.bin.findData(""))
    assert window.assemble.workflow.bin is None


@pytest.mark.parametrize("station_day", ["2031-02-01"])  # GL-OK expired on 2031-01-31, the day before
def test_a_batch_expired_by_the_stations_day_is_refused(  # type: ignore[no-untyped-def]
        qtbot, bench, station_day: str) -> None:
    window, page = bench, bench.assemble_page
    scan(qtbot, window, "KIT-REP")
    scan(qtbot, window, "GL-OK")
    assert page.banner_state == "refused"
    assert page._banners["refused"].message.text() == "Batch GL-OK of Glue expired on 2031-01-31"
    assert page.row_of("Glue")[3] == "0"  # nothing ticked
