"""The station's home folder: where every file it writes lives.

One folder holds everything when ``--home DIR`` or ``SCANNER_APP_HOME`` is given:
``config.toml``, ``data/`` (databases), ``logs/``. Without either, platformdirs'
per-user config, data and log folders are used.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "scanner-app"
HOME_ENV = "SCANNER_APP_HOME"


@dataclass(frozen=True)
class StationPaths:
    """Where this station keeps its config, databases and logs."""

    config_dir: Path
    data_dir: Path
    log_dir: Path

    @property
    def config_file(self) -> Path:
        return self.config_dir / "config.toml"

    @property
    def inventory_db(self) -> Path:
        return self.data_dir / "inventory.sqlite3"

    @property
    def history_db(self) -> Path:
        return self.data_dir / "history.sqlite3"

    @property
    def log_file(self) -> Path:
        return self.log_dir / "scanner-app.log"

    def ensure(self) -> StationPaths:
        for folder in (self.config_dir, self.data_dir, self.log_dir):
            folder.mkdir(parents=True, exist_ok=True)
        return self


def resolve_paths(home: str | os.PathLike[str] | None = None) -> StationPaths:
    """Paths for ``home`` (``--home``), else ``$SCANNER_APP_HOME``, else platformdirs."""
    chosen = home if home is not None else os.environ.get(HOME_ENV) or None
    if chosen is not None:
        root = Path(chosen).expanduser().resolve()
        return StationPaths(config_dir=root, data_dir=root / "data", log_dir=root / "logs")
    return StationPaths(
        config_dir=Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
        data_dir=Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
        log_dir=Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
    )
