"""config.toml: defaults, round trip, and clear errors for bad values."""

from __future__ import annotations

from pathlib import Path

import pytest

from scanner_app.config import (
    ConfigError,
    ScannerSettings,
    Settings,
    load_settings,
    save_settings,
)


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


@pytest.mark.parametrize(
    "section, key, value, low, high",
    [
        ("feedback", "volume", "nan", 0, 1),
        ("feedback", "volume", "2.0", 0, 1),
        ("feedback", "volume", "-0.1", 0, 1),
        ("feedback", "volume", "inf", 0, 1),
        ("scanner", "max_key_gap_ms", "nan", 1, 1000),
        ("serial_scanner", "reconnect_seconds", "inf", 0.1, 60),
        ("camera", "hold_off_seconds", "-inf", 0, 600),
        ("zoho", "requests_per_minute", "nan", 1, 1000),
        ("zoho", "timeout_seconds", "1e300", 1, 300),
        ("packcloud", "timeout_seconds", "nan", 1, 300),
        ("sync", "full_sync_hours", "nan", 1, 720),
        ("sync", "details_max_age_minutes", "inf", 0, 1440),
        ("storage", "lock_wait_seconds", "nan", 0, 600),
    ],
)
def test_numbers_must_be_finite_and_in_range(tmp_path: Path, section: str, key: str, value: str, low: float,
                                             high: float) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f"[{section}]\n{key} = {value}\n")
    with pytest.raises(ConfigError) as refused:
        load_settings(path)
    shown = repr(float(value))
    assert str(refused.value) == (f"{path}: {section}.{key} must be a number between {low:g} and {high:g}, "
                                  f"not {shown}; fix it, or move it aside to start with the default settings")


def test_the_sync_interval_may_be_zero_but_not_nan(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[sync]\ninterval_minutes = 0\n")
    assert load_settings(path).sync.interval_minutes == 0
    path.write_text("[sync]\ninterval_minutes = nan\n")
    with pytest.raises(ConfigError, match=r"sync.interval_minutes must be 0 \(only on demand\) or a number between "
                                          r"1 and 1440, not nan"):
        load_settings(path)


def test_a_good_volume_and_storage_wait_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[feedback]\nvolume = 0\n[storage]\nlock_wait_seconds = 2.5\n[logging]\nlevel = \"DEBUG\"\n")
    settings = load_settings(path)
    assert (settings.feedback.volume, settings.storage.lock_wait_seconds, settings.logging.level) == (0.0, 2.5, "DEBUG")


def test_a_config_file_that_cannot_be_read_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "config.toml"
    folder.mkdir()
    with pytest.raises(ConfigError, match=f"^{folder} is a folder, not a settings file: move it aside"):
        load_settings(folder)
    binary = tmp_path / "binary.toml"
    binary.write_bytes(b"[scanner]\n\xff\xfe")
    with pytest.raises(ConfigError, match=f"^{binary} is not a text file in UTF-8 \\(byte 10\\): fix it"):
        load_settings(binary)


def test_a_failed_save_leaves_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    save_settings(path, Settings())
    before = path.read_text()
    path.with_suffix(".toml.tmp").mkdir()  # writing the temporary file fails (a folder is in its way)
    with pytest.raises(OSError):
        save_settings(path, Settings(scanner=ScannerSettings(min_length=5)))
    assert path.read_text() == before
