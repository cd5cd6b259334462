"""The backend registry (``scanner_app/backends/registry.py``): one object per ``[backend]
kind``, asked by the station instead of comparing kinds.

- the built-in backends are registered under their kinds, and say what the station showed
  and did for each before the registry (status words, targets, register, demo, HTTP warm-up);
- an unregistered kind is refused in words, naming the known kinds, when a station starts
  (the CLI's exit 3, no traceback);
- a fourth backend that lives only in this file, registered by the test without editing any
  module of scanner_app, is a station's backend from config.toml (``[backend] kind =
  "fake"``): a dispatch's serial mappings are recorded for its outbox target and reach its
  deliverer, and its status words are what the window's status bar shows.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest

from scanner_app.backends.embedded.backend import EMBEDDED_BACKEND
from scanner_app.backends.packcloud.backend import PACKCLOUD_BACKEND
from scanner_app.backends.registry import BACKENDS, Backend, backend_for, known_kinds, registered
from scanner_app.backends.zoho.backend import ZOHO_BACKEND
from scanner_app.config import BackendSettings, ConfigError, FeedbackSettings, Settings, ZohoSettings
from scanner_app.inventory.importer import import_document
from scanner_app.outbox.entries import OutboxEntry
from scanner_app.outbox.serial_mapping import SERIAL_VALIDATE_AND_MAP
from scanner_app.paths import resolve_paths
from scanner_app.station import Station
from tests.workflows.conftest import dispatch_catalogue
from tests.workflows.helpers import run_json

ROOT = Path(__file__).resolve().parents[2]
FAKE_PATH = "tests.backends.test_backend_registry:FAKE_BACKEND"


class FakeLedger:
    """The fake backend's inventory system: what it was sent, in order."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []


class FakeMappingDeliverer:
    def __init__(self, ledger: FakeLedger) -> None:
        self.ledger = ledger

    def deliver(self, entry: OutboxEntry) -> Mapping[str, Any]:
        self.ledger.received.append({"target": entry.target, "document": entry.document, **entry.payload})
        return {"ledger_line": len(self.ledger.received)}

    def was_applied(self, entry: OutboxEntry) -> Mapping[str, Any] | None:
        return None


class FakeBackend:
    """A fourth backend: the local catalogue, serial mappings sent to a ledger."""

    kind = "fake"
    name = "Fake ledger"
    syncs_catalogue = False
    fetches_details_on_demand = False
    warms_http_stack = False
    installs_demo = False
    configured_words = ""

    def __init__(self) -> None:
        self.ledger = FakeLedger()

    def status_words(self, item_count: int) -> str:
        return f"Fake ledger · {item_count} items"

    def outbox_target(self, settings: Settings) -> str:
        return "fake:ledger-1"

    def dispatch_target(self, settings: Settings) -> str | None:
        return self.outbox_target(settings)

    def catalogue_source(self, settings: Settings) -> str | None:
        return None

    def deliverers(self, station: Any) -> Mapping[str, Any]:
        return {SERIAL_VALIDATE_AND_MAP: FakeMappingDeliverer(self.ledger)}

    def serial_register(self, station: Any) -> None:
        return None

    def client(self, station: Any) -> None:
        return None


FAKE_BACKEND = FakeBackend()


def test_the_built_in_backends_are_registered_under_their_kinds() -> None:
    assert known_kinds() == ["embedded", "zoho", "packcloud"]
    assert [backend_for(kind) for kind in known_kinds()] == [EMBEDDED_BACKEND, ZOHO_BACKEND, PACKCLOUD_BACKEND]


def test_each_built_in_backend_says_what_the_station_did_for_its_kind() -> None:
    settings = Settings(zoho=ZohoSettings(organization_id="60012345"))
    assert EMBEDDED_BACKEND.status_words(30) == "Embedded inventory · 30 items"
    assert ZOHO_BACKEND.status_words(30) == ""  # the catalogue sync's own label speaks for Zoho
    assert PACKCLOUD_BACKEND.status_words(30) == "Local catalogue · 30 items · serial numbers in Pack.cloud"
    assert [b.outbox_target(settings) for b in (EMBEDDED_BACKEND, ZOHO_BACKEND, PACKCLOUD_BACKEND)] == [
        "embedded", "zoho:60012345", "embedded"]
    assert [b.dispatch_target(settings) for b in (EMBEDDED_BACKEND, ZOHO_BACKEND, PACKCLOUD_BACKEND)] == [
        "embedded", "zoho:60012345", None]
    assert [b.catalogue_source(settings) for b in (EMBEDDED_BACKEND, ZOHO_BACKEND, PACKCLOUD_BACKEND)] == [
        None, "zoho:60012345", None]
    assert [(b.syncs_catalogue, b.fetches_details_on_demand, b.warms_http_stack, b.installs_demo)
            for b in (EMBEDDED_BACKEND, ZOHO_BACKEND, PACKCLOUD_BACKEND)] == [
        (False, False, False, True), (True, True, True, False), (False, False, True, False)]


def test_a_station_asks_its_backend_for_its_register_and_client(tmp_path: Path) -> None:
    for kind, register, client in (("embedded", False, None), ("zoho", False, "zoho"),
                                   ("packcloud", True, "packcloud")):
        station = Station(resolve_paths(tmp_path / kind).ensure(), Settings(backend=BackendSettings(kind=kind)))
        try:
            assert station.backend is backend_for(kind)
            assert (station.backend.serial_register(station) is not None) is register
            holder = station.backend.client(station)
            assert holder is (None if client is None else getattr(station, client))
        finally:
            station.close()


def test_an_unknown_kind_is_refused_naming_the_known_ones(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as refused:
        backend_for("odoo")
    assert str(refused.value) == "backend.kind must be one of ['embedded', 'zoho', 'packcloud'], not 'odoo'"
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text('[backend]\nkind = "odoo"\n')
    done = subprocess.run([sys.executable, "-m", "scanner_app", "--home", str(home), "lookup", "DRL-18"],
                          capture_output=True, text=True, cwd=ROOT, timeout=60, check=False)
    assert done.returncode == 3
    assert done.stderr == (f"scanner-app: {home / 'config.toml'}: backend.kind must be one of "
                           "['embedded', 'zoho', 'packcloud'], not 'odoo'; fix it, or move it aside to start "
                           "with the default settings\n")
    assert not (home / "data" / "inventory.sqlite3").exists()  # refused before any database was made


@pytest.fixture
def fake() -> Iterator[Backend]:
    """The fake backend registered for one test (the registry as it was afterwards)."""
    before = list(BACKENDS)
    FAKE_BACKEND.ledger.received.clear()
    with registered(FAKE_PATH) as backend:
        yield backend
    assert before == BACKENDS


@pytest.fixture
def fake_home(tmp_path: Path, fake: Backend) -> Path:
    """A home folder with the dispatch catalogue whose config.toml says ``kind = "fake"``."""
    paths = resolve_paths(tmp_path / "home").ensure()
    station = Station(paths, Settings())
    try:
        import_document(station.inventory, dispatch_catalogue())
    finally:
        station.close()
    paths.config_file.write_text('[backend]\nkind = "fake"\n\n[feedback]\nsound = false\n')
    return tmp_path / "home"


def test_the_fake_kind_is_known_while_registered(fake: Backend) -> None:
    assert known_kinds() == ["embedded", "zoho", "packcloud", "fake"]
    assert backend_for("fake") is FAKE_BACKEND


def test_a_dispatch_on_a_fake_station_reaches_the_fake_deliverer(
        fake_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, report = run_json(capsys, fake_home, "dispatch", "--entity-type", "salesorder", "--entity-id", "SO-42",
                            "--warehouse", "W1", "--item", "DRL-18", "--serial", "SN-0001", "--serial", "SN-0002")
    assert code == 0, report
    recorded = _recorded_entries(fake_home)
    assert [(target, state) for target, state, _, _ in recorded] == [("fake:ledger-1", "delivered")] * len(recorded)
    assert FAKE_BACKEND.ledger.received == [{"target": target, "document": document, **payload}
                                            for target, _, document, payload in recorded]
    serials = [s for line in FAKE_BACKEND.ledger.received for s in line["serial_numbers"]]
    assert sorted(serials) == ["SN-0001", "SN-0002"]


def _recorded_entries(home: Path) -> list[tuple[str, str, str, dict[str, Any]]]:
    """The station's outbox entries, in order: target, state, document, payload."""
    station = Station(resolve_paths(home))
    try:
        rows = station.inventory.connection().execute(
            "SELECT target, state, document, payload FROM outbox_entries ORDER BY entry_id").fetchall()
    finally:
        station.close()
    assert rows, "the dispatch recorded no outbox entry"
    return [(target, state, document, json.loads(payload)) for target, state, document, payload in rows]


def test_the_window_shows_the_fake_backends_status_words(qtbot, fake_home: Path) -> None:  # type: ignore[no-untyped-def]
    from scanner_app.ui.main_window import MainWindow

    station = Station(resolve_paths(fake_home), Settings(feedback=FeedbackSettings(sound=False),
                                                         backend=BackendSettings(kind="fake")))
    window = MainWindow(station)
    qtbot.addWidget(window)
    try:
        window.show()
        qtbot.waitUntil(lambda: window.status_label.text().startswith("Fake"), timeout=30_000)
        assert window.status_label.text() == f"Fake ledger · 3 items · home: {station.paths.config_dir}"
    finally:
        window.close()
        station.close()
