"""The station's core, assembled: settings, inventory, history and the scan pipeline for
one home folder. The window and the CLI both start from here; nothing in it imports Qt.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from scanner_app.config import Settings, load_settings, save_settings
from scanner_app.history import HistoryStore
from scanner_app.inventory.demo import install_demo_if_empty
from scanner_app.inventory.store import InventoryStore
from scanner_app.paths import StationPaths
from scanner_app.scanning.pipeline import ScanPipeline

if TYPE_CHECKING:
    from scanner_app.backends.connect import SharedZohoClient

log = logging.getLogger(__name__)


class Station:
    def __init__(self, paths: StationPaths, settings: Settings | None = None) -> None:
        self.paths = paths.ensure()
        self.settings = settings or load_settings(paths.config_file)
        self.inventory = InventoryStore(paths.inventory_db)
        self.history = HistoryStore(paths.history_db)
        self.pipeline = ScanPipeline(self.inventory, self.settings.scanner)
        self._zoho: SharedZohoClient | None = None
        self._zoho_lock = threading.Lock()

    @property
    def uses_zoho(self) -> bool:
        """[backend] kind is "zoho": the store is a synced copy of Zoho Inventory."""
        return self.settings.backend.kind == "zoho"

    @property
    def zoho(self) -> SharedZohoClient:
        """The process's one Zoho client holder (made on first use; the HTTP stack is
        imported only then, keeping start-up quick)."""
        with self._zoho_lock:
            if self._zoho is None:
                from scanner_app.backends.connect import SharedZohoClient

                self._zoho = SharedZohoClient(lambda: self.settings.zoho)
            return self._zoho

    def update_settings(self, settings: Settings) -> None:
        """Save ``settings`` to config.toml and use them; a changed [zoho] section (or new
        secrets: call ``zoho.reset()``) gets a new client on the next call."""
        save_settings(self.paths.config_file, settings)
        previous, self.settings = self.settings, settings
        if previous.zoho != settings.zoho and self._zoho is not None:
            self._zoho.reset()

    def install_demo_if_empty(self) -> bool:
        """Install the demo catalogue on first run so a newcomer can scan at once (not on
        a Zoho station: its catalogue comes from Zoho)."""
        if self.uses_zoho:
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
        self.history.close()
        self.inventory.close()
