"""Fixtures for the window against the fake Zoho on loopback: a station whose [backend] is
Zoho (secrets from the environment, as on a headless station), its window, and an
in-memory keyring."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest

from scanner_app.config import BackendSettings, FeedbackSettings, Settings, SyncSettings
from scanner_app.paths import resolve_paths
from scanner_app.station import Station
from tests.backends.fake_zoho import FakeZoho
from tests.test_secrets import MemoryKeyring

DAY = 86_400.0


@pytest.fixture
def zoho() -> Iterator[FakeZoho]:
    with FakeZoho(now=lambda: time.time() - DAY) as server:
        yield server


@pytest.fixture
def ring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    memory = MemoryKeyring()
    keyring.set_keyring(memory)
    yield memory
    keyring.set_keyring(previous)


@pytest.fixture
def zoho_env(zoho: FakeZoho, monkeypatch: pytest.MonkeyPatch) -> FakeZoho:
    monkeypatch.setenv("SCANNER_APP_ZOHO_CLIENT_SECRET", zoho.client_secret)
    monkeypatch.setenv("SCANNER_APP_ZOHO_REFRESH_TOKEN", zoho.refresh_token)
    return zoho


def zoho_settings(zoho: FakeZoho, **sync: Any) -> Settings:
    return Settings(feedback=FeedbackSettings(sound=False), backend=BackendSettings(kind="zoho"),
                    zoho=zoho.settings(), sync=SyncSettings(interval_minutes=0, **sync))


@pytest.fixture
def zoho_station(tmp_path: Path, zoho_env: FakeZoho) -> Iterator[Station]:
    station = Station(resolve_paths(tmp_path / "home").ensure(), zoho_settings(zoho_env))
    yield station
    station.close()


@pytest.fixture
def zoho_window(qtbot: Any, zoho_station: Station) -> Iterator[Any]:
    """The window, not yet shown: a test seeds the fake first, then calls ``show()``
    (the first sync starts when the window is built). Closed before the station."""
    from scanner_app.ui.main_window import MainWindow

    windows: list[MainWindow] = []

    def show() -> MainWindow:
        window = MainWindow(zoho_station)
        qtbot.addWidget(window)
        windows.append(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    yield show
    for window in windows:
        window.close()
