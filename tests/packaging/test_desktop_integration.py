"""The launcher, icons and metainfo, and the script that installs them."""

from __future__ import annotations

import configparser
import os
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ID = "io.scanner_app.Station"


def desktop_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path)
    return parser["Desktop Entry"]


def test_desktop_file_has_what_launchers_need() -> None:
    entry = desktop_entry(ROOT / "resources" / f"{ID}.desktop")
    assert entry["Type"] == "Application"
    assert entry["Icon"] == ID
    assert entry["Exec"].startswith("scanner-app")
    assert entry["Categories"].endswith(";")
    assert entry["Terminal"] == "false"


def test_metainfo_names_the_launcher() -> None:
    root = ET.parse(ROOT / "resources" / f"{ID}.metainfo.xml").getroot()
    assert root.findtext("id") == ID
    assert root.find("launchable").text == f"{ID}.desktop"  # type: ignore[union-attr]
    assert root.findtext("summary")


def test_icon_set_is_complete() -> None:
    sizes = sorted(p.parent.parent.name for p in (ROOT / "resources/icons/hicolor").glob(f"*/apps/{ID}.png"))
    assert {"16x16", "32x32", "48x48", "64x64", "128x128", "256x256"} <= set(sizes)


def test_install_and_uninstall_per_user(tmp_path: Path) -> None:
    data = tmp_path / "share"
    env = dict(os.environ, XDG_DATA_HOME=str(data), HOME=str(tmp_path))
    exe = tmp_path / "bin" / "scanner-app"
    out = subprocess.run(["sh", "packaging/install-desktop.sh", "--exec", str(exe)], cwd=ROOT, env=env,
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    entry = desktop_entry(data / "applications" / f"{ID}.desktop")
    assert entry["Exec"] == f'"{exe}"'
    assert (data / "icons/hicolor/48x48/apps" / f"{ID}.png").exists()
    assert (data / "icons/hicolor/scalable/apps" / f"{ID}.svg").exists()
    assert (data / "metainfo" / f"{ID}.metainfo.xml").exists()
    out = subprocess.run(["sh", "packaging/install-desktop.sh", "--uninstall"], cwd=ROOT, env=env,
                         capture_output=True, text=True)
    assert out.returncode == 0
    assert not (data / "applications" / f"{ID}.desktop").exists()
    assert not (data / "icons/hicolor/48x48/apps" / f"{ID}.png").exists()


def test_install_system_wide_under_prefix(tmp_path: Path) -> None:
    env = dict(os.environ, PREFIX=str(tmp_path / "usr"))
    out = subprocess.run(["sh", "packaging/install-desktop.sh", "--system", "--exec", "/opt/scanner-app/scanner-app"],
                         cwd=ROOT, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "usr/share/applications" / f"{ID}.desktop").exists()


def test_validators_accept_the_files_when_installed() -> None:
    import shutil

    import pytest

    if not shutil.which("desktop-file-validate") or not shutil.which("appstreamcli"):
        pytest.skip("desktop-file-utils/appstream not installed (packaging/install-system-deps.sh installs them)")
    out = subprocess.run(["desktop-file-validate", str(ROOT / "resources" / f"{ID}.desktop")], capture_output=True, text=True)
    assert out.returncode == 0 and "error" not in out.stdout, out.stdout
    out = subprocess.run(["appstreamcli", "validate", "--no-net", str(ROOT / "resources" / f"{ID}.metainfo.xml")],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr
