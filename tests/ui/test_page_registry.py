"""Workflow pages are registered units: a page that lives only in this test module is added
to the registry, and the real window shows it as a tab, routes to it the scans made while
it is current (through the wedge filter and the typed-code field, as a person scans),
loads it on start and closes it with the window; the station's own tabs stay as they were.
No module of scanner_app knows this page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from scanner_app.history.store import WorkflowVerdict
from scanner_app.scanning.scan import ScanOutcome, ScanSource
from scanner_app.station import Station
from scanner_app.ui.pages.workflow_page import ScanEntry
from scanner_app.ui.widgets.plain_text import PlainLabel
from scanner_app.ui.workflow_pages import (
    PAGE_ENTRIES,
    PageRegistryError,
    PageServices,
    WorkflowPageUnit,
    build_pages,
    page_added,
    page_entries,
)
from tests.ui.keys import scan_burst, scan_from_another_field

STATION_TABS = ["Lookup", "Dispatch", "Receive", "Assemble"]
built: list[CountPageUnit] = []  # every fake page a window built, newest last


class CountPage(QWidget):
    manual_entry = Signal(str)

    def __init__(self) -> None:
        super().__init__()
        self.counted = PlainLabel("Nothing counted")
        self.entry = ScanEntry()
        self.entry.submitted.connect(self.manual_entry)
        layout = QVBoxLayout(self)
        layout.addWidget(self.entry)
        layout.addWidget(self.counted)


class CountPageUnit(WorkflowPageUnit):
    """A stock-count page as a later issue might add it: counts what is scanned."""

    key, title, order = "count", "Count", 50
    shortcut = "Ctrl+F9"
    page: CountPage

    def __init__(self, services: PageServices) -> None:
        page = CountPage()
        super().__init__(page, page.manual_entry)
        self.sounds = services.sounds
        self.scanned: list[tuple[str, str]] = []  # (source, code)
        self.loads = self.closes = 0
        built.append(self)

    def handle_scan(self, outcome: ScanOutcome) -> WorkflowVerdict | None:
        code = outcome.classification.raw
        self.scanned.append((outcome.scan.source.value, code))
        self.page.counted.setText(f"{len(self.scanned)} counted")
        self.sounds.play("found")
        return WorkflowVerdict(self.key, "accepted", f"counted {code}")

    def load(self) -> None:
        self.loads += 1

    def close(self) -> None:
        self.closes += 1


class NoticeBoardUnit(WorkflowPageUnit):
    """A page that takes no scans (say, a notice board)."""

    key, title, order = "notices", "Notices", 5
    takes_scans = False

    def __init__(self, services: PageServices) -> None:
        super().__init__(PlainLabel("Notices"), None)


class SecondLookupUnit(NoticeBoardUnit):
    key = "lookup"


@pytest.fixture
def count_window(qtbot, station: Station) -> Iterator:  # type: ignore[no-untyped-def]
    from scanner_app.ui.main_window import MainWindow

    with page_added(f"{__name__}:CountPageUnit"):
        win = MainWindow(station)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    yield win
    win.close()


def tab_titles(window) -> list[str]:  # type: ignore[no-untyped-def]
    return [window.pages.tabText(i) for i in range(window.pages.count())]


def test_a_registered_page_is_a_tab_that_takes_the_scans_made_while_it_shows(qtbot, count_window) -> None:  # type: ignore[no-untyped-def]
    window, unit = count_window, built[-1]
    assert tab_titles(window) == [*STATION_TABS, "Count"]
    qtbot.waitUntil(lambda: unit.loads == 1, timeout=30_000)  # loaded once the inventory is open
    window.pages.setCurrentWidget(unit.page)
    unit.page.entry.setFocus()
    qtbot.waitUntil(unit.page.entry.hasFocus, timeout=30_000)
    scan_burst(unit.page.entry, "DRL-18V")  # a wedge scanner, the field focused: taken by the filter
    scan_from_another_field(qtbot, window, "TAPE-50")  # a wedge scan with another field focused
    unit.page.entry.setText("4006381333931")
    unit.page.entry.returnPressed.emit()  # typed by hand
    assert unit.scanned == [("wedge", "DRL-18V"), ("wedge", "TAPE-50"), ("manual", "4006381333931")]
    assert unit.page.counted.text() == "3 counted" and window.sounds.played[-3:] == ["found"] * 3
    assert window.lookup_page.card.state == "idle"  # the scans went to the page, not to Lookup
    qtbot.waitUntil(lambda: window.saved_scans == 3, timeout=30_000)
    newest = window.station.history.recent(3)
    assert [(e.raw, e.status, e.reason) for e in newest] == [
        ("4006381333931", "accepted", "counted 4006381333931"), ("TAPE-50", "accepted", "counted TAPE-50"),
        ("DRL-18V", "accepted", "counted DRL-18V")]
    qtbot.waitUntil(lambda: len(window.history_panel.rows()) == 3, timeout=30_000)
    assert window.history_panel.rows()[0].split("\n")[1:] == ["4006381333931", "counted 4006381333931"]
    assert "[manual · count]" in window.history_panel.rows()[0]

    window.pages.setCurrentWidget(window.lookup_page)  # back on Lookup: the scans are Lookup's again
    scan_from_another_field(qtbot, window, "TAPE-50")
    assert window.lookup_page.card.title.text() == "Packing Tape 50mm"
    assert len(unit.scanned) == 3


def test_the_registered_page_is_closed_with_the_window_once(qtbot, count_window) -> None:  # type: ignore[no-untyped-def]
    window, unit = count_window, built[-1]
    qtbot.waitUntil(lambda: unit.loads == 1, timeout=30_000)
    window.close()
    assert unit.closes == 1
    window.close()  # a second close changes nothing
    assert unit.closes == 1


def test_its_shortcut_makes_it_the_current_tab(qtbot, count_window) -> None:  # type: ignore[no-untyped-def]
    window, unit = count_window, built[-1]
    assert window.pages.currentWidget() is window.lookup_page
    qtbot.keyClick(window.lookup_page.entry, Qt.Key.Key_F9, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.pages.currentWidget() is unit.page, timeout=30_000)


def test_the_station_window_keeps_its_own_tabs_when_no_page_is_added(window) -> None:  # type: ignore[no-untyped-def]
    assert tab_titles(window) == STATION_TABS
    assert [unit.key for unit in window.page_units] == ["lookup", "dispatch", "receive", "assemble"]


def test_page_added_registers_only_inside_its_block() -> None:
    entry = f"{__name__}:CountPageUnit"
    with page_added(entry):
        assert page_entries() == (*PAGE_ENTRIES, entry)
    assert page_entries() == PAGE_ENTRIES


def test_scans_on_a_page_that_takes_none_go_to_the_lookup(qtbot, station: Station) -> None:  # type: ignore[no-untyped-def]
    from scanner_app.ui.main_window import MainWindow

    with page_added(f"{__name__}:NoticeBoardUnit"):
        window = MainWindow(station)
    qtbot.addWidget(window)
    try:
        assert tab_titles(window) == ["Notices", *STATION_TABS]  # placed by its order
        assert window.pages.currentIndex() == 0
        outcome = window.handle_scan("TAPE-50", ScanSource.MANUAL)
        assert outcome.result.found and window.lookup_page.card.title.text() == "Packing Tape 50mm"
        assert window.sounds.played[-1] == "found"
    finally:  # closed once started (the relay runs), as a person would
        qtbot.waitUntil(lambda: window.status_label.text() != "Opening the inventory…", timeout=30_000)
        window.close()


@pytest.mark.parametrize(("entry", "words"), [
    ("CountPageUnit", "workflow page entry 'CountPageUnit' is not of the form 'module:attribute'"),
    ("tests.ui.no_such_module:Page", "workflow page entry 'tests.ui.no_such_module:Page': module "
                                     "tests.ui.no_such_module cannot be imported"),
    (f"{__name__}:CountPage", f"workflow page entry '{__name__}:CountPage': {__name__} has no "
                              "WorkflowPageUnit named CountPage"),
    (f"{__name__}:STATION_TABS", f"workflow page entry '{__name__}:STATION_TABS': {__name__} has no "
                                 "WorkflowPageUnit named STATION_TABS"),
    (f"{__name__}:SecondLookupUnit", "two workflow pages have the key 'lookup'"),
])
def test_an_entry_that_names_no_page_is_refused_in_words(entry: str, words: str) -> None:
    with page_added(entry), pytest.raises(PageRegistryError) as refused:
        build_pages(None)  # type: ignore[arg-type]  # refused before any page is built
    assert str(refused.value).startswith(words)


def test_a_registry_with_no_page_taking_scans_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("scanner_app.ui.workflow_pages.PAGE_ENTRIES", (f"{__name__}:NoticeBoardUnit",))
    with pytest.raises(PageRegistryError, match=r"^no workflow page takes scans$"):
        build_pages(None)  # type: ignore[arg-type]
