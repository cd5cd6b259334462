"""Every default README.md documents is the station's default, and the README says what
this test says: the values are written out here, the README's ``toml`` blocks and its
words like "(30)" are parsed, and both are compared with ``load_settings`` of a missing
file. A default changed in the code, or in the README alone, fails here."""

from __future__ import annotations

import re
import tomllib
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pytest

from scanner_app.config import Settings, load_settings

README = Path(__file__).resolve().parents[1] / "README.md"

# What the README documents, written out (section -> key -> value, lists as TOML gives them).
DOCUMENTED: dict[str, dict[str, Any]] = {
    "scanner": {"max_key_gap_ms": 40.0, "min_length": 4, "terminators": ["enter", "tab"], "gs_substitute": ""},
    "feedback": {"sound": True, "volume": 0.8},
    "serial_scanner": {"port": "", "baud_rate": 9600, "terminator": "cr", "reconnect_seconds": 2.0},
    "receiving": {"expiry_warning_days": 30},
    "camera": {
        "source": "0", "decoder": "zxing",
        "formats": ["ean13", "ean8", "upca", "upce", "code128", "code39", "itf", "databar", "databar_expanded",
                    "datamatrix", "qrcode"],
        "hold_off_seconds": 2.0, "width": 1280, "height": 720, "fps": 30,
    },
    "sync": {"interval_minutes": 15.0, "full_sync_hours": 24.0, "details_max_age_minutes": 10.0},
    "storage": {"lock_wait_seconds": 10.0},
    "logging": {"level": "INFO"},
}

# Defaults the README states in its prose: (pattern whose group is the number, section, key, value).
IN_WORDS = [
    (r"`\[receiving\] expiry_warning_days` \((\d+)\)", "receiving", "expiry_warning_days", 30),
    (r"`max_key_gap_ms` \(default (\d+) ms\)", "scanner", "max_key_gap_ms", 40),
    (r"`min_length` \((\d+)\)", "scanner", "min_length", 4),
    (r"`--requests-per-minute`\s+is this station's budget, (\d+) by default", "zoho", "requests_per_minute", 90),
]


def readme_toml() -> dict[str, dict[str, Any]]:
    """Every ``toml`` block of the README, merged by section."""
    merged: dict[str, dict[str, Any]] = {}
    for block in re.findall(r"```toml\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL):
        for section, values in tomllib.loads(block).items():
            merged.setdefault(section, {}).update(values)
    return merged


def as_toml(section: Any) -> dict[str, Any]:
    """A settings section as config.toml holds it (tuples as lists)."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(section).items()}


@pytest.fixture(scope="module")
def defaults(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return load_settings(tmp_path_factory.mktemp("home") / "config.toml")  # no file: the defaults


def test_the_readme_documents_these_defaults() -> None:
    assert readme_toml() == DOCUMENTED


@pytest.mark.parametrize("section", sorted(DOCUMENTED))
def test_each_documented_default_is_the_stations(defaults: Settings, section: str) -> None:
    actual = as_toml(getattr(defaults, section))
    assert {key: actual[key] for key in DOCUMENTED[section]} == DOCUMENTED[section]


@pytest.mark.parametrize(("pattern", "section", "key", "value"), IN_WORDS, ids=[k for _, _, k, _ in IN_WORDS])
def test_each_default_in_the_readmes_words_is_the_stations(defaults: Settings, pattern: str, section: str,
                                                           key: str, value: int) -> None:
    found = re.search(pattern, README.read_text(encoding="utf-8"))
    assert found is not None, f"README.md no longer says {pattern!r}"
    assert int(found.group(1)) == value
    assert getattr(getattr(defaults, section), key) == value

