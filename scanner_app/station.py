"""The station's core, assembled: settings, inventory, history and the scan pipeline for
one home folder. The window and the CLI both start from here; nothing in it imports Qt.
"""

from __future__ import annotations

import logging
from pathlib import Path

from scanner_app.config import Settings, load_settings
from scanner_app.history import HistoryStore
from scanner_app.inventory.demo import install_demo_if_empty
from scanner_app.inventory.store import InventoryStore
from scanner_app.paths import StationPaths
from scanner_app.scanning.pipeline import ScanPipeline

log = logging.getLogger(__name__)


class Station:
    def __init__(self, paths: StationPaths, settings: Settings | None = None) -> None:
        self.paths = paths.ensure()
        self.settings = settings or load_settings(paths.config_file)
        self.inventory = InventoryStore(paths.inventory_db)
        self.history = HistoryStore(paths.history_db)
        self.pipeline = ScanPipeline(self.inventory, self.settings.scanner)

    def install_demo_if_empty(self) -> bool:
        """Install the demo catalogue on first run so a newcomer can scan at once."""
        installed = install_demo_if_empty(self.inventory)
        if installed:
            log.info("installed the demo catalogue into %s", self.paths.inventory_db)
        return installed

    @property
    def home_label(self) -> str:
        return str(Path(self.paths.data_dir).parent)

    def close(self) -> None:
        self.history.close()
        self.inventory.close()
