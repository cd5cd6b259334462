"""Station > Settings…: Zoho values to config.toml, secrets to the keyring (never to
config.toml), bad values refused in words, and "Test connection" against the fake Zoho."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtWidgets import QDialogButtonBox

from scanner_app.config import FeedbackSettings, Settings, load_settings
from scanner_app.paths import resolve_paths
from scanner_app.station import Station
from scanner_app.ui.tasks import TaskManager
from scanner_app.ui.zoho_settings_dialog import ZohoSettingsDialog
from tests.backends.fake_zoho import FakeZoho
from tests.sync.fixtures import zoho  # noqa: F401 (a fixture)
from tests.test_secrets import MemoryKeyring, memory_keyring  # noqa: F401 (a fixture)


@pytest.fixture
def plain_station(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Station]:
    for name in ("SCANNER_APP_ZOHO_CLIENT_SECRET", "SCANNER_APP_ZOHO_REFRESH_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    station = Station(resolve_paths(tmp_path / "home").ensure(), Settings(feedback=FeedbackSettings(sound=False)))
    yield station
    station.close()


@pytest.fixture
def dialog(qtbot: Any, plain_station: Station, memory_keyring: MemoryKeyring) -> Iterator[ZohoSettingsDialog]:
    tasks = TaskManager()
    saved: list[tuple[Settings, bool]] = []
    made = ZohoSettingsDialog(plain_station, tasks, lambda previous, changed: saved.append((previous, changed)))
    made.saved_calls = saved  # type: ignore[attr-defined]
    qtbot.addWidget(made)
    made.show()
    yield made
    made.close()
    tasks.shutdown()


def fill(dialog: ZohoSettingsDialog, zoho: FakeZoho, *, secrets: bool = True) -> None:
    dialog.use_zoho.setChecked(True)
    dialog.organization_id.setText(zoho.organization_id)
    dialog.data_center.setCurrentIndex(dialog.data_center.findData("eu"))
    dialog.client_id.setText(zoho.client_id)
    dialog.api_url.setText(zoho.url)
    dialog.accounts_url.setText(zoho.url)
    if secrets:
        dialog.client_secret.setText(zoho.client_secret)
        dialog.refresh_token.setText(zoho.refresh_token)


def save(dialog: ZohoSettingsDialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()


def test_save_writes_settings_and_puts_secrets_in_the_keyring(dialog: ZohoSettingsDialog, zoho: FakeZoho,
                                                              memory_keyring: MemoryKeyring, plain_station: Station) -> None:
    fill(dialog, zoho)
    assert dialog.client_secret.echoMode() == dialog.client_secret.EchoMode.Password
    dialog.interval.setValue(5)
    save(dialog)
    assert dialog.error_label.text() == "" and not dialog.isVisible()
    saved = load_settings(plain_station.paths.config_file)
    assert saved.backend.kind == "zoho" and saved.zoho.organization_id == zoho.organization_id
    assert saved.zoho.data_center == "eu" and saved.zoho.api_url == zoho.url and saved.sync.interval_minutes == 5
    assert plain_station.settings == saved
    assert memory_keyring.store == {("scanner-app:zoho", "client_secret"): zoho.client_secret,
                          ("scanner-app:zoho", "refresh_token"): zoho.refresh_token}
    text = plain_station.paths.config_file.read_text()
    assert zoho.client_secret not in text and zoho.refresh_token not in text
    assert [changed for _previous, changed in dialog.saved_calls] == [True]  # type: ignore[attr-defined]


def test_bad_values_are_refused_and_nothing_is_saved(dialog: ZohoSettingsDialog, zoho: FakeZoho,
                                                     memory_keyring: MemoryKeyring, plain_station: Station) -> None:
    fill(dialog, zoho)
    dialog.organization_id.setText("ACME Ltd")
    save(dialog)
    assert "digits only" in dialog.error_label.text() and dialog.isVisible()
    dialog.organization_id.setText("")
    save(dialog)
    assert "organisation ID and the client ID are needed" in dialog.error_label.text()
    dialog.organization_id.setText(zoho.organization_id)
    dialog.api_url.setText("http://proxy.example.com")
    save(dialog)
    assert "https://" in dialog.error_label.text()
    assert memory_keyring.store == {} and not plain_station.paths.config_file.exists()


def test_no_keyring_saves_nothing(dialog: ZohoSettingsDialog, zoho: FakeZoho, plain_station: Station) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        fill(dialog, zoho)
        save(dialog)
    finally:
        keyring.set_keyring(previous)
    assert "No usable keyring" in dialog.error_label.text()
    assert not plain_station.paths.config_file.exists() and plain_station.settings.backend.kind == "embedded"


def test_test_connection_success_and_failures(qtbot: Any, dialog: ZohoSettingsDialog, zoho: FakeZoho) -> None:
    zoho.inventory.add_items(30)
    fill(dialog, zoho)
    dialog.test_button.click()
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=5000)
    assert dialog.test_result.text() == f"Connected to Zoho Inventory organisation {zoho.organization_id}: 30 items"

    dialog.refresh_token.setText("1000.not-the-token")
    dialog.test_button.click()
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=5000)
    assert dialog.test_result.text().startswith("Connection failed: Zoho refused the saved sign-in")
    assert "enter a new client secret and refresh token here" in dialog.test_result.text()

    fill(dialog, zoho)
    dialog.organization_id.setText("999")
    dialog.test_button.click()
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=5000)
    assert "CompanyID" in dialog.test_result.text() and "organisation ID" in dialog.test_result.text()

    url = zoho.url
    zoho.stop()
    fill(dialog, zoho, secrets=False)
    dialog.client_secret.clear()
    dialog.refresh_token.clear()  # and none saved
    dialog.api_url.setText(url)
    dialog.accounts_url.setText(url)
    dialog.test_button.click()
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=5000)
    assert "enter the client secret and refresh token above" in dialog.test_result.text()
    dialog.client_secret.setText("x")
    dialog.refresh_token.setText("y")
    dialog.test_button.click()
    qtbot.waitUntil(lambda: dialog.test_button.isEnabled(), timeout=15_000)
    assert "cannot be reached" in dialog.test_result.text()
