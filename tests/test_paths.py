"""The home folder: --home beats SCANNER_APP_HOME beats platformdirs."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner_app.paths import resolve_paths


def test_explicit_home_holds_everything(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCANNER_APP_HOME", str(tmp_path / "env"))
    paths = resolve_paths(tmp_path / "explicit").ensure()
    for p in (paths.config_file, paths.inventory_db, paths.history_db, paths.log_file):
        assert (tmp_path / "explicit") in p.parents


def test_env_home_used_without_flag(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SCANNER_APP_HOME", str(tmp_path / "env"))
    assert resolve_paths().config_file == (tmp_path / "env" / "config.toml").resolve()


def test_default_uses_platformdirs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("SCANNER_APP_HOME", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    paths = resolve_paths()
    assert paths.config_dir == tmp_path / "xdg-config" / "scanner-app"
    assert paths.data_dir == tmp_path / "xdg-data" / "scanner-app"
