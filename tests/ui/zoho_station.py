"""Fixtures for the window against the fake Zoho on loopback: a station whose [backend] is
Zoho (secrets from the environment, as on a headless station), and its window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scanner_app.config import BackendSettings, FeedbackSettings, Settings, SyncSettings
from scanner_app.paths import resolve_paths
from scanner_app.station import Station
from tests.backends.fake_zoho import FakeZoho
from tests.sync.fixtures import zoho  # noqa: F401 (a fixture)


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
    secrets = [zoho_env.client_secret, zoho_env.refresh_token, *zoho_env.issued_tokens]
    for path in (tmp_path / "home").rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert not [s for s in secrets if s.encode() in data], f"a secret is in {path}"


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
