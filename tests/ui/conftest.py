"""UI fixtures: a station on a real SQLite home with a small catalogue (``catalogue``: a test
module may give its own), and its window."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

import pytest

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
def station(tmp_path: Path, catalogue: dict[str, Any]) -> Iterator[Station]:
    paths = resolve_paths(tmp_path / "home").ensure()
    st = Station(paths, Settings(feedback=FeedbackSettings(sound=False)))
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
