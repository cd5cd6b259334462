"""The window on the demo catalogue, as a newcomer's first scans go."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scanner_app import days
from scanner_app.config import FeedbackSettings, Settings
from scanner_app.paths import resolve_paths
from scanner_app.scanning.scan import ScanSource
from scanner_app.station import Station

# The station's day (scanner_app/days.py), fixed: the demo's SAN-2311 expired on
# 2024-11-30 and SAN-2501 expires on 2030-01-31, whatever the computer's date.
DAY = dt.date(2026, 1, 15)


def open_demo(qtbot, tmp_path: Path, day: dt.date) -> tuple[Station, Any]:  # type: ignore[no-untyped-def]
    from scanner_app.ui.main_window import MainWindow

    station = Station(resolve_paths(tmp_path / f"home-{day}"), Settings(feedback=FeedbackSettings(sound=False)),
                      today=days.fixed(day))
    win = MainWindow(station)  # installs the demo catalogue on its database thread
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: "30 items" in win.status_label.text(), timeout=5000)
    return station, win


@pytest.fixture
def demo_window(qtbot, tmp_path: Path) -> Iterator:  # type: ignore[no-untyped-def]
    station, win = open_demo(qtbot, tmp_path, DAY)
    yield win
    win.close()
    station.close()


def batch_states(card: Any) -> dict[str, str]:
    """Batch number -> the state column of the card's batch table."""
    return {card.batch_table.item(r, 0).text(): card.batch_table.item(r, 4).text()
            for r in range(card.batch_table.rowCount())}


def test_expired_batch_is_marked(demo_window) -> None:  # type: ignore[no-untyped-def]
    demo_window.handle_scan("SAN-2311", ScanSource.WEDGE)
    card = demo_window.lookup_page.card
    assert card.state == "found"
    states = batch_states(card)
    assert states["SAN-2311"] == "EXPIRED"
    assert states["SAN-2501"] == "active"
    assert "EXPIRED" in card.field_text("Expiry")
    assert card.notes.isVisibleTo(card) and "expired" in card.notes.text().lower()


@pytest.mark.parametrize(("day", "state"), [
    (dt.date(2030, 1, 31), "active"),  # its expiry day: not expired yet
    (dt.date(2030, 2, 1), "EXPIRED"),  # the day after
])
def test_a_batch_is_expired_by_the_stations_day(qtbot, tmp_path: Path, day: dt.date,  # type: ignore[no-untyped-def]
                                                state: str) -> None:
    station, win = open_demo(qtbot, tmp_path, day)
    try:
        win.handle_scan("SAN-2501", ScanSource.WEDGE)
        card = win.lookup_page.card
        assert batch_states(card)["SAN-2501"] == state
        assert ("EXPIRED" in (card.field_text("Expiry") or "")) is (state == "EXPIRED")
    finally:
        win.close()
        station.close()


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
