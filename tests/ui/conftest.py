"""UI fixtures: a station on a real SQLite home with a small catalogue (``catalogue``: a test
module may give its own) on the suite's day (``station_day``: a test may give its own, e.g.
``@pytest.mark.parametrize("station_day", ["2031-02-01"])``), and its window."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scanner_app import days
from scanner_app.config import FeedbackSettings, Settings
from scanner_app.inventory.importer import import_file
from scanner_app.paths import resolve_paths
from scanner_app.station import Station

CATALOGUE = {
    "items": [
        {
            "item_id": "1001", "name": "Cordless Drill 18V", "sku": "DRL-18V", "ean": "4006381333931",
            "unit": "pcs", "status": "active", "part_number": "PN-DRILL-18",
            "locations": [{"location_id": "WH1", "location_name": "Main warehouse", "location_stock_on_hand": "12"}],
        },
        {"item_id": "1002", "name": "Packing Tape 50mm", "sku": "TAPE-50", "upc": "036000291452", "unit": "roll"},
    ]
}


@pytest.fixture
def catalogue() -> dict[str, Any]:
    return CATALOGUE


@pytest.fixture
def station_day() -> str | None:
    return None  # the suite's day (tests/conftest.py)


@pytest.fixture
def station(tmp_path: Path, catalogue: dict[str, Any], station_day: str | None) -> Iterator[Station]:
    paths = resolve_paths(tmp_path / "home").ensure()
    st = Station(paths, Settings(feedback=FeedbackSettings(sound=False)),
                 today=days.fixed(station_day) if station_day else None)
    file = tmp_path / "catalogue.json"
    file.write_text(json.dumps(catalogue))
    import_file(st.inventory, file)
    yield st
    st.close()


@pytest.fixture
def window(qtbot, station: Station):  # type: ignore[no-untyped-def]
    from scanner_app.ui.main_window import MainWindow

    win = MainWindow(station)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    yield win
    win.close()
