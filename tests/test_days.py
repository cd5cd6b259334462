"""The station's one source of today's date (scanner_app/days.py): a day given to the
station reaches every rule that depends on it, and so does ``SCANNER_APP_TODAY`` (how a
test fixes the day of a ``scanner-app`` subprocess). The demo's batch SAN-2501 expires on
2030-01-31: expired from 2030-02-01 on, by the station's day, not by the computer's."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from scanner_app import cli, days
from scanner_app.config import ConfigError
from scanner_app.inventory.importer import import_document
from scanner_app.inventory.store import InventoryStore
from scanner_app.paths import resolve_paths
from scanner_app.scanning.scan import Scan, ScanSource
from scanner_app.station import Station
from tests.workflows.helpers import script
from tests.workflows.kit_catalogue import GLUE_GTIN, SCREW_GTIN, kit_catalogue

EXPIRED_NOTE = "Batch SAN-2501 expired on 2030-01-31"


def demo_station(tmp_path: Path, today: days.Today | None = None) -> Station:
    station = Station(resolve_paths(tmp_path / "home"), today=today)
    station.install_demo_if_empty()
    return station


def notes_for(station: Station, code: str) -> tuple[str, ...]:
    return tuple(station.pipeline.process(Scan(code, ScanSource.CLI)).result.notes)


def test_the_environment_names_the_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(days.TODAY_ENV, " 2031-02-03 ")
    assert days.environment_day() == dt.date(2031, 2, 3)
    assert days.today() == dt.date(2031, 2, 3)
    monkeypatch.delenv(days.TODAY_ENV)
    assert days.environment_day() is None


def test_a_day_that_is_no_date_is_refused_naming_the_variable(monkeypatch: pytest.MonkeyPatch,
                                                               tmp_path: Path) -> None:
    monkeypatch.setenv(days.TODAY_ENV, "31/01/2030")
    with pytest.raises(ValueError, match="SCANNER_APP_TODAY '31/01/2030' is not a date: write it as YYYY-MM-DD"):
        days.today()
    with pytest.raises(ConfigError, match="SCANNER_APP_TODAY"):  # at start, not on every scan
        Station(resolve_paths(tmp_path / "home"))


def test_a_fixed_day_is_that_day() -> None:
    assert days.fixed("2030-02-01")() == dt.date(2030, 2, 1)
    assert days.fixed(dt.date(2030, 1, 31))() == dt.date(2030, 1, 31)
    with pytest.raises(ValueError, match="day '2030-02-30' is not a date"):
        days.fixed("2030-02-30")


@pytest.mark.parametrize(("day", "expired"), [("2030-01-31", False), ("2030-02-01", True)])
def test_the_stations_day_decides_what_a_scan_says_is_expired(tmp_path: Path, day: str, expired: bool) -> None:
    station = demo_station(tmp_path, days.fixed(day))
    try:
        assert (EXPIRED_NOTE in notes_for(station, "SAN-2501")) is expired
    finally:
        station.close()


@pytest.mark.parametrize(("day", "expired"), [("2030-01-31", False), ("2030-02-01", True)])
def test_a_station_goes_by_the_environments_day(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, day: str,
                                                 expired: bool) -> None:
    monkeypatch.setenv(days.TODAY_ENV, day)
    station = demo_station(tmp_path)
    try:
        assert station.today() == dt.date.fromisoformat(day)
        assert (EXPIRED_NOTE in notes_for(station, "SAN-2501")) is expired
    finally:
        station.close()


def test_the_command_line_goes_by_the_environments_day(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv(days.TODAY_ENV, "2030-02-01")
    assert cli.main(["--home", str(home), "lookup", "SAN-2501"]) == 0
    assert EXPIRED_NOTE in capsys.readouterr().out
    monkeypatch.setenv(days.TODAY_ENV, "2030-01-31")
    assert cli.main(["--home", str(home), "lookup", "SAN-2501"]) == 0
    assert "expired" not in capsys.readouterr().out


def test_a_subprocess_goes_by_the_day_it_inherits(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv(days.TODAY_ENV, "2030-02-01")
    done = script(tmp_path / "home", "lookup", "SAN-2501")
    assert done.returncode == 0, done.stderr
    assert EXPIRED_NOTE in done.stdout


def run_on(station: Station, *argv: str) -> int:
    """A ``scanner-app`` command run on ``station`` as ``cli.main`` runs it (its exit code)."""
    args = cli.build_parser().parse_args(["--home", str(station.paths.config_dir), *argv])
    return int(args.handler(station, args))


# The environment says TEST_DAY (2026-01-15, tests/conftest.py); these stations are given
# another day, and the commands must go by the station's.
@pytest.mark.parametrize(("day", "code", "words"), [
    ("2030-01-31", 1, "expires on 2030-03-02 (in 30 days"),  # within the 30-day warning: refused
    ("2030-01-30", 0, None),  # 31 days before: taken without a question
])
def test_receiving_on_the_command_line_goes_by_the_stations_day(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], day: str, code: int, words: str | None) -> None:
    station = demo_station(tmp_path, days.fixed(day))
    try:
        exit_code = run_on(station, "receive", "--item", "HYG-SAN-500", "--batch", "SAN-2999", "--expiry",
                           "2030-03-02", "--warehouse", "wh-main", "--json")
    finally:
        station.close()
    report = json.loads(capsys.readouterr().out)
    assert exit_code == code, report
    if words is None:
        assert report["lines"][0]["state"] == "assigned"
    else:
        assert words in report["problem"]


@pytest.mark.parametrize(("day", "code"), [("2031-01-31", 0), ("2031-02-01", 1)])
def test_assembling_on_the_command_line_goes_by_the_stations_day(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], day: str, code: int) -> None:
    home = tmp_path / "home"
    store = InventoryStore(home / "data" / "inventory.sqlite3")
    import_document(store, kit_catalogue())  # glue batch GL-OK expires on 2031-01-31
    store.close()
    station = Station(resolve_paths(home), today=days.fixed(day))
    try:
        exit_code = run_on(station, "assemble", "--kit", "KIT-REP", "--warehouse", "W1", "--location", "B1",
                           "--component", f"(01){SCREW_GTIN}(30)2", "--component", "DRL-18=SN-1",
                           "--component", "GLU-50=GL-OK", "--component", f"(01){GLUE_GTIN}(10)GL-MORE(30)1",
                           "--json")
    finally:
        station.close()
    report = json.loads(capsys.readouterr().out)
    assert exit_code == code, report
    assert ("Batch GL-OK of Glue expired on 2031-01-31" in (report["problem"] or "")) is (code == 1)
    if code == 0:  # and the assembly is dated by the station's day
        stored = InventoryStore(home / "data" / "inventory.sqlite3")
        try:
            dates = {row[0] for row in stored.connection().execute(
                "SELECT json_extract(payload, '$.date') FROM outbox_entries")}
        finally:
            stored.close()
        assert dates == {day}
