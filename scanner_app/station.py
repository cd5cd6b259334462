"""The station's core, assembled: settings, inventory, history, the scan pipeline and the
day its rules go by (``today``, :mod:`scanner_app.days`) for one home folder. The window
and the CLI both start from here; nothing in it imports Qt.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from scanner_app import days
from scanner_app.backends.registry import Backend, backend_for
from scanner_app.config import ConfigError, Settings, load_settings, save_settings
from scanner_app.history import HistoryStore
from scanner_app.inventory.demo import install_demo_if_empty
from scanner_app.inventory.store import InventoryStore
from scanner_app.paths import StationPaths
from scanner_app.scanning.pipeline import ScanPipeline

if TYPE_CHECKING:
    from scanner_app.backends.connect import SharedZohoClient
    from scanner_app.backends.packcloud.connect import SharedPackcloudClient
    from scanner_app.inventory.register_checks import SerialRegisterChecks

log = logging.getLogger(__name__)


class Station:
    """``today`` is the one source of the date for the station's rules (default:
    :func:`scanner_app.days.today`); the pipeline, the workflows and the window use it."""

    def __init__(self, paths: StationPaths, settings: Settings | None = None, *,
                 today: days.Today | None = None) -> None:
        self.today: days.Today = today or _checked_environment_day()
        self.paths = paths.ensure()
        self.settings = settings or load_settings(paths.config_file)
        self._check_backend_kind()
        wait = self.settings.storage.lock_wait_seconds  # for a database another program holds
        self.inventory = InventoryStore(paths.inventory_db, lock_wait_seconds=wait)
        try:
            self.history = HistoryStore(paths.history_db, lock_wait_seconds=wait)
        except BaseException:
            self.inventory.close()
            raise
        self.pipeline = ScanPipeline(self.inventory, self.settings.scanner, today=self.today)
        self._zoho: SharedZohoClient | None = None
        self._packcloud: SharedPackcloudClient | None = None
        self._clients_lock = threading.Lock()

    @property
    def backend(self) -> Backend:
        """The registered backend object of ``[backend] kind`` (:mod:`scanner_app.backends.registry`):
        what the station, its outbox, its workflows and its window ask of the inventory system."""
        return backend_for(self.settings.backend.kind)

    def _check_backend_kind(self) -> None:
        """An unregistered ``[backend] kind`` is a ConfigError at start (before any database
        is opened), naming config.toml and the known kinds."""
        try:
            self.backend  # noqa: B018 (looked up for its ConfigError)
        except ConfigError as exc:
            raise ConfigError(f"{self.paths.config_file}: {exc}; fix it, or move it aside to start with the "
                              "default settings") from None  # config.py's words for its own faults

    @property
    def zoho(self) -> SharedZohoClient:
        """The process's one Zoho client holder (made on first use; the HTTP stack is
        imported only then, keeping start-up quick). Its client shares the access token and
        the request budget with the station's other processes (through this home folder)."""
        with self._clients_lock:
            if self._zoho is None:
                from scanner_app.backends.connect import SharedZohoClient

                self._zoho = SharedZohoClient(lambda: self.settings.zoho, home=self.paths)
            return self._zoho

    @property
    def packcloud(self) -> SharedPackcloudClient:
        """The process's one Pack.cloud client holder (made on first use, like :attr:`zoho`)."""
        with self._clients_lock:
            if self._packcloud is None:
                from scanner_app.backends.packcloud.connect import SharedPackcloudClient

                self._packcloud = SharedPackcloudClient(lambda: self.settings.packcloud)
            return self._packcloud

    def serial_register_checks(self) -> SerialRegisterChecks:
        """Pack.cloud serial lookup and dispatch pre-validation for this station's items,
        with its stock mapping (``[packcloud] stock_warehouses``). Making it reads nothing;
        its register calls go to the network (call them from a network thread) and raise
        NotConnected when Pack.cloud is not configured or signed in to."""
        from scanner_app.backends.packcloud.connect import ConnectingRegister
        from scanner_app.inventory.register_checks import SerialRegisterChecks

        return SerialRegisterChecks(ConnectingRegister(self.packcloud), self.inventory,
                                    self.settings.packcloud.stock_map())

    def update_settings(self, settings: Settings) -> None:
        """Save ``settings`` to config.toml and use them; a changed [zoho] section (or new
        secrets: call ``zoho.reset()``) gets a new client on the next call."""
        save_settings(self.paths.config_file, settings)
        previous, self.settings = self.settings, settings
        if previous.zoho != settings.zoho and self._zoho is not None:
            self._zoho.reset()
        if previous.packcloud != settings.packcloud and self._packcloud is not None:
            self._packcloud.reset()

    def install_demo_if_empty(self) -> bool:
        """Install the demo catalogue on first run so a newcomer can scan at once, when the
        backend wants it (not on a Zoho station: its catalogue comes from Zoho; nor on a
        Pack.cloud one: its catalogue is imported, with the product links)."""
        if not self.backend.installs_demo:
            return False
        installed = install_demo_if_empty(self.inventory)
        if installed:
            log.info("installed the demo catalogue into %s", self.paths.inventory_db)
        return installed

    @property
    def home_label(self) -> str:
        return str(Path(self.paths.data_dir).parent)

    def close(self) -> None:
        if self._zoho is not None:
            self._zoho.close()
        if self._packcloud is not None:
            self._packcloud.close()
        self.history.close()
        self.inventory.close()


def _checked_environment_day() -> days.Today:
    """:func:`scanner_app.days.today`, once ``SCANNER_APP_TODAY`` (if set) is known to be a
    date: a ConfigError at start, not on every scan."""
    try:
        fixed = days.environment_day()
    except ValueError as bad:
        raise ConfigError(str(bad)) from None
    if fixed is not None:
        log.info("%s is set: the station goes by %s, not by the computer's date", days.TODAY_ENV, fixed)
        return days.fixed(fixed)  # read once at start, not again on every scan
    return days.today
