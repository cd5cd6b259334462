"""Shared by the job tests: a station on a fresh home folder with a given catalogue, for the
tests that open the window (``station_for(catalogue)``), closed afterwards."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from scanner_app.config import FeedbackSettings, Settings
from scanner_app.inventory.importer import import_file
from scanner_app.paths import resolve_paths
from scanner_app.station import Station


@pytest.fixture
def station_for(tmp_path: Path) -> Iterator[Callable[[dict[str, Any]], Station]]:
    made: list[Station] = []

    def make(catalogue: dict[str, Any]) -> Station:
        station = Station(resolve_paths(tmp_path / "window-home").ensure(),
                          Settings(feedback=FeedbackSettings(sound=False)))
        file = tmp_path / "window-catalogue.json"
        file.write_text(json.dumps(catalogue))
        import_file(station.inventory, file)
        made.append(station)
        return station

    yield make
    for station in made:
        station.close()
