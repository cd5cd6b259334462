"""config.toml: defaults, round trip, and clear errors for bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner_app.config import ConfigError, ScannerSettings, Settings, load_settings, save_settings


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "config.toml")
    assert settings.scanner.max_key_gap_ms == 40.0
    assert settings.scanner.terminators == ("enter", "tab")


def test_round_trip_keeps_values_and_unknown_sections(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[scanner]\nmax_key_gap_ms = 25\ngs_substitute = "~"\n[future_feature]\nflag = "123"\n')
    settings = load_settings(path)
    assert settings.scanner.max_key_gap_ms == 25.0
    assert settings.scanner.gs_substitute == "~"
    save_settings(path, settings)
    again = load_settings(path)
    assert again == settings
    assert again.extra == {"future_feature": {"flag": "123"}}


@pytest.mark.parametrize(
    "text, words",
    [
        ("[scanner]\nmax_key_gap_ms = 0\n", "max_key_gap_ms"),
        ('[scanner]\nmin_length = "four"\n', "min_length"),
        ('[scanner]\nterminators = ["space"]\n', "terminators"),
        ("[scanner\n", "not valid TOML"),
        ("[feedback]\nsound = 3\n", "feedback.sound"),
    ],
)
def test_bad_values_are_named(tmp_path: Path, text: str, words: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError, match=words):
        load_settings(path)


def test_save_refuses_invalid_settings(tmp_path: Path) -> None:
    with pytest.raises(ConfigError):
        save_settings(tmp_path / "c.toml", Settings(scanner=ScannerSettings(min_length=0)))
    assert not (tmp_path / "c.toml").exists()


def test_camera_index_may_be_written_as_a_number(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[camera]\nsource = 1\nautostart = true\n")
    settings = load_settings(path)
    assert settings.camera.source == "1" and settings.camera.autostart is True
