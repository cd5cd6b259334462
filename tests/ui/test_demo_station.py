"""The window on the demo catalogue, as a newcomer's first scans go."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from scanner_app.config import FeedbackSettings, Settings
from scanner_app.paths import resolve_paths
from scanner_app.scanning.scan import ScanSource
from scanner_app.station import Station


@pytest.fixture
def demo_window(qtbot, tmp_path: Path) -> Iterator:  # type: ignore[no-untyped-def]
    from scanner_app.ui.main_window import MainWindow

    station = Station(resolve_paths(tmp_path / "home"), Settings(feedback=FeedbackSettings(sound=False)))
    win = MainWindow(station)  # installs the demo catalogue on its database thread
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: "30 items" in win.status_label.text(), timeout=5000)
    yield win
    win.close()
    station.close()


def test_expired_batch_is_marked(demo_window) -> None:  # type: ignore[no-untyped-def]
    demo_window.handle_scan("SAN-2311", ScanSource.WEDGE)
    card = demo_window.lookup_page.card
    assert card.state == "found"
    states = [card.batch_table.item(r, 4).text() for r in range(card.batch_table.rowCount())]
    batches = [card.batch_table.item(r, 0).text() for r in range(card.batch_table.rowCount())]
    assert states[batches.index("SAN-2311")] == "EXPIRED"
    assert states[batches.index("SAN-2501")] == "active"
    assert "EXPIRED" in card.field_text("Expiry")
    assert card.notes.isVisibleTo(card) and "expired" in card.notes.text().lower()


def test_shipped_serial_shows_status_and_warning(demo_window) -> None:  # type: ignore[no-untyped-def]
    demo_window.handle_scan("Z22-1006", ScanSource.WEDGE)
    card = demo_window.lookup_page.card
    assert card.field_text("Serial status") == "shipped (transacted out)"
    assert "shipped" in card.notes.text().lower()


def test_serial_in_bin_shows_its_bin(demo_window) -> None:  # type: ignore[no-untyped-def]
    demo_window.handle_scan("Z22-1001", ScanSource.WEDGE)
    assert "C-01-01" in demo_window.lookup_page.card.field_text("Serial location")


def test_bin_scan(demo_window) -> None:  # type: ignore[no-untyped-def]
    demo_window.handle_scan("A-01-01", ScanSource.WEDGE)
    card = demo_window.lookup_page.card
    assert card.state == "found" and card.title.text() == "Bin A-01-01"
    assert card.field_text("Bin code") == "A-01-01"
