"""Station > Settings…: the Zoho Inventory connection, in the window.

The same values as ``scanner-app configure zoho`` (organisation, data centre, client id,
server overrides) and the sync interval go to config.toml; the client secret and the
refresh token (masked fields) go to the OS keyring, never to config.toml; an empty
secret field keeps the saved one. A bad value or a missing keyring is said in words
and nothing is saved. "Test connection" tries the values on the form (one token, one
page of items) on the network pool and says what it found.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from scanner_app.backends.connect import (
    CLIENT_SECRET,
    REFRESH_TOKEN,
    ZOHO,
    ConnectionCheck,
    NotConnected,
    check_connection,
    load_zoho_secrets,
    missing_settings,
    zoho_client_from,
)
from scanner_app.backends.zoho import DATA_CENTERS, ZohoSecrets
from scanner_app.backends.zoho.backend import ZOHO_BACKEND
from scanner_app.config import BackendSettings, ConfigError, Settings, ZohoSettings
from scanner_app.secrets import NoKeyring, env_name, get_secret, set_secret
from scanner_app.station import Station
from scanner_app.sync.wording import explain_sync_error
from scanner_app.ui.tasks import TaskManager
from scanner_app.ui.widgets.plain_text import PlainLabel

SIGN_IN_HINT = "enter a new client secret and refresh token here"
OK_STYLE, ERROR_STYLE = "color: #1b7f3b;", "color: #b00020; font-weight: bold;"

# (previous settings, whether secrets changed): the window restarts syncing
SavedCallback = Callable[[Settings, bool], None]


class ZohoSettingsDialog(QDialog):
    def __init__(self, station: Station, tasks: TaskManager, on_saved: SavedCallback | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Station settings: Zoho Inventory")
        self.station = station
        self.tasks = tasks
        self.on_saved = on_saved
        self._closed = False
        zoho = station.settings.zoho

        self.use_zoho = QCheckBox("Use Zoho Inventory (scans are answered from the synced local copy)")
        self.use_zoho.setChecked(station.backend is ZOHO_BACKEND)
        self.organization_id = QLineEdit(zoho.organization_id)
        self.data_center = QComboBox()
        for code, dc in DATA_CENTERS.items():
            self.data_center.addItem(f"{dc.region} ({code})", code)
        self.data_center.setCurrentIndex(max(0, self.data_center.findData(zoho.data_center)))
        self.client_id = QLineEdit(zoho.client_id)
        self.api_url = QLineEdit(zoho.api_url)
        self.api_url.setPlaceholderText("the data centre's (leave empty)")
        self.accounts_url = QLineEdit(zoho.accounts_url)
        self.accounts_url.setPlaceholderText("the data centre's (leave empty)")
        self.client_secret = self._secret_field(CLIENT_SECRET)
        self.refresh_token = self._secret_field(REFRESH_TOKEN)
        self.interval = QSpinBox()
        self.interval.setRange(0, 24 * 60)
        self.interval.setSuffix(" min")
        self.interval.setSpecialValueText("only with Sync now")
        self.interval.setValue(round(station.settings.sync.interval_minutes))

        form = QFormLayout()
        form.addRow(self.use_zoho)
        form.addRow("Organisation ID", self.organization_id)
        form.addRow("Data centre", self.data_center)
        form.addRow("Client ID", self.client_id)
        form.addRow("Client secret", self.client_secret)
        form.addRow("Refresh token", self.refresh_token)
        form.addRow("API server", self.api_url)
        form.addRow("Accounts server", self.accounts_url)
        form.addRow("Sync every", self.interval)
        self.test_button = QPushButton("Test connection")
        self.test_button.clicked.connect(self.test_connection)
        self.test_result = PlainLabel("")
        self.test_result.setWordWrap(True)
        self.error_label = PlainLabel("")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.test_button)
        layout.addWidget(self.test_result)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

    def _secret_field(self, name: str) -> QLineEdit:
        field = QLineEdit()
        field.setEchoMode(QLineEdit.EchoMode.Password)
        variable = env_name(ZOHO, name)
        if get_secret(ZOHO, name):
            field.setPlaceholderText(f"saved (from {variable})" if _in_environment(variable)
                                     else "saved in the keyring; leave empty to keep it")
        else:
            field.setPlaceholderText("not set")
        return field

    # -- the form's values ----------------------------------------------------------

    def zoho_settings(self) -> ZohoSettings:
        """The form's [zoho] values, checked; ConfigError naming the bad one."""
        zoho = dataclasses.replace(
            self.station.settings.zoho, organization_id=self.organization_id.text().strip(),
            data_center=str(self.data_center.currentData()), client_id=self.client_id.text().strip(),
            api_url=self.api_url.text().strip(), accounts_url=self.accounts_url.text().strip(),
        )
        zoho.validate()
        return zoho

    def _typed_secrets(self) -> dict[str, str]:
        typed = {CLIENT_SECRET: self.client_secret.text().strip(), REFRESH_TOKEN: self.refresh_token.text().strip()}
        return {name: value for name, value in typed.items() if value}

    # -- test connection --------------------------------------------------------------

    def test_connection(self) -> None:
        self.error_label.clear()
        try:
            zoho = self.zoho_settings()
        except ConfigError as exc:
            self._show_test(None, exc)
            return
        self.test_button.setEnabled(False)
        self.test_result.setStyleSheet("")
        self.test_result.setText("Testing the connection…")
        self.tasks.run_net(_try_connection, zoho, self._typed_secrets(), on_done=self._show_test)

    def _show_test(self, check: ConnectionCheck | None, error: BaseException | None) -> None:
        if self._closed:
            return
        self.test_button.setEnabled(True)
        if error is None and check is not None:
            self.test_result.setStyleSheet(OK_STYLE)
            self.test_result.setText(check.describe())
            return
        self.test_result.setStyleSheet(ERROR_STYLE)
        if isinstance(error, NotConnected):
            text = f"{error.message}; enter the client secret and refresh token above"
        elif isinstance(error, ConfigError):
            text = str(error)
        else:
            text = explain_sync_error(error or Exception("no answer"), SIGN_IN_HINT)
        self.test_result.setText(f"Connection failed: {text}")

    # -- save ---------------------------------------------------------------------------

    def save(self) -> None:
        """Keyring first, then config.toml: a failure says why and saves nothing more."""
        self.error_label.clear()
        settings = self.station.settings
        try:
            zoho = self.zoho_settings()
        except ConfigError as exc:
            self.error_label.setText(str(exc))
            return
        if self.use_zoho.isChecked() and missing_settings(zoho):
            self.error_label.setText("The organisation ID and the client ID are needed to use Zoho Inventory.")
            return
        new = dataclasses.replace(
            settings, zoho=zoho, sync=dataclasses.replace(settings.sync, interval_minutes=float(self.interval.value())),
            backend=BackendSettings(kind=ZOHO_BACKEND.kind) if self.use_zoho.isChecked() else
            (BackendSettings() if self.station.backend is ZOHO_BACKEND else settings.backend),
        )
        secrets = self._typed_secrets()
        try:
            new.sync.validate()
            for name, value in secrets.items():
                set_secret(ZOHO, name, value)
            self.station.update_settings(new)
        except (NoKeyring, ConfigError, OSError) as exc:
            self.error_label.setText(str(exc))
            return
        self.client_secret.clear()
        self.refresh_token.clear()
        if self.on_saved is not None:
            self.on_saved(settings, bool(secrets))
        self.accept()

    def done(self, result: int) -> None:
        self._closed = True
        super().done(result)


def _try_connection(zoho: ZohoSettings, typed: dict[str, str]) -> ConnectionCheck:
    """On a network thread: a client of its own for the form's values (they may not be
    saved yet), closed after one check."""
    if len(typed) == 2:
        secrets = ZohoSecrets(client_secret=typed[CLIENT_SECRET], refresh_token=typed[REFRESH_TOKEN])
    else:
        saved = load_zoho_secrets()
        secrets = ZohoSecrets(client_secret=typed.get(CLIENT_SECRET, saved.client_secret),
                              refresh_token=typed.get(REFRESH_TOKEN, saved.refresh_token))
    with zoho_client_from(zoho, secrets) as client:
        return check_connection(client)


def _in_environment(variable: str) -> bool:
    return bool(os.environ.get(variable))
