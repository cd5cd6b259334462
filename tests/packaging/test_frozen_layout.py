"""The PyInstaller spec and the run-time lookups a frozen build relies on, tested from source
(the build itself is checked by packaging/smoke.py through `make package`)."""

from __future__ import annotations

import ast
import ctypes.util
import runpy
import sys
from pathlib import Path

import pytest

from scanner_app import resources

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "packaging" / "scanner-app.spec"


def test_spec_is_python_and_names_every_data_folder() -> None:
    tree = ast.parse(SPEC.read_text())
    text = SPEC.read_text()
    for folder in ('"resources"', '"migrations"', '"demo"'):
        assert folder in text
    assert (ROOT / "resources" / "sounds" / "found.wav").exists()
    assert list((ROOT / "scanner_app" / "inventory" / "migrations").glob("0001_*.sql"))
    assert list((ROOT / "scanner_app" / "inventory" / "demo").glob("*.json"))
    names = {n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)}
    assert {"scanner-app", "scanner-station"} <= names  # the console CLI and the windowed launcher


def test_resource_locator_from_source() -> None:
    assert resources.resource_path("icons", "found.svg") == ROOT / "resources" / "icons" / "found.svg"
    with pytest.raises(FileNotFoundError, match=r"nope.wav"):
        resources.resource_path("sounds", "nope.wav")


def test_resource_locator_when_frozen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "resources" / "sounds").mkdir(parents=True)
    (tmp_path / "resources" / "sounds" / "found.wav").write_bytes(b"RIFF")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.resource_path("sounds", "found.wav") == tmp_path / "resources" / "sounds" / "found.wav"


def test_zbar_runtime_hook_prefers_the_bundled_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "libzbar.so.0").write_bytes(b"")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    monkeypatch.setattr(ctypes.util, "find_library", ctypes.util.find_library)  # restored after the test
    runpy.run_path(str(ROOT / "packaging" / "rthook_zbar.py"))
    assert ctypes.util.find_library("zbar") == str(tmp_path / "libzbar.so.0")
    assert ctypes.util.find_library("c") is not None  # other libraries still come from the system
