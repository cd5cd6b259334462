"""The scanner-app command as scripts use it: real subprocesses, real home folders."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def cli(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scanner_app", "--home", str(home), *args],
        capture_output=True, text=True, cwd=ROOT, timeout=60,
    )


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("cli-home")
    assert cli(home, "history").returncode == 0  # first run installs the demo catalogue
    return home


def test_every_file_goes_under_home(demo_home: Path) -> None:
    assert (demo_home / "data" / "inventory.sqlite3").exists()
    assert (demo_home / "data" / "history.sqlite3").exists()
    assert (demo_home / "logs" / "scanner-app.log").exists()


def test_lookup_not_found_json_and_exit_code(demo_home: Path) -> None:
    out = cli(demo_home, "lookup", "NO-SUCH-CODE-42", "--json")
    assert out.returncode == 1
    data = json.loads(out.stdout)
    assert data["status"] == "not_found"
    assert data["kind"] is None and data["item"] is None
    assert "NO-SUCH-CODE-42" in data["reason"]


def test_lookup_invalid_check_digit(demo_home: Path) -> None:
    out = cli(demo_home, "lookup", "4006381333932", "--json")
    assert out.returncode == 1
    data = json.loads(out.stdout)
    assert data["status"] == "invalid"
    assert "check digit" in data["reason"].lower()


def test_import_then_lookup_every_gtin_form(tmp_path: Path) -> None:
    home = tmp_path / "home"
    catalogue = tmp_path / "items.csv"
    catalogue.write_text("name,sku,upc,unit\nPacking Tape,TAPE-50,036000291452,roll\n")
    imported = cli(home, "import", str(catalogue), "--json")
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["imported"] is True
    for form in ("036000291452", "0036000291452", "00036000291452", "TAPE-50"):
        out = cli(home, "lookup", form, "--json")
        assert out.returncode == 0, (form, out.stdout, out.stderr)
        data = json.loads(out.stdout)
        assert data["status"] == "found" and data["kind"] == "item"
        assert data["item"]["name"] == "Packing Tape"


def test_bad_import_reports_row_and_imports_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    catalogue = tmp_path / "items.csv"
    catalogue.write_text("name,sku,upc\nGood,G-1,036000291452\nBad,B-1,036000291453\n")
    out = cli(home, "import", str(catalogue), "--json")
    assert out.returncode == 1
    data = json.loads(out.stdout)
    assert data["imported"] is False
    assert any("2" in p and "check digit" in p.lower() for p in data["problems"]), data["problems"]
    assert cli(home, "lookup", "G-1", "--json").returncode == 1  # nothing of the file imported


def test_import_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    out = cli(tmp_path / "home", "import", str(tmp_path / "nope.json"))
    assert out.returncode == 1
    assert "nope.json" in out.stderr


def test_history_records_cli_lookups(tmp_path: Path) -> None:
    home = tmp_path / "home"
    cli(home, "lookup", "WHATEVER-1")
    cli(home, "lookup", "4006381333932")
    out = cli(home, "history", "--json", "--limit", "5")
    assert out.returncode == 0
    entries = json.loads(out.stdout)
    assert [e["raw"] for e in entries[:2]] == ["4006381333932", "WHATEVER-1"]
    assert entries[0]["status"] == "invalid" and entries[0]["source"] == "cli"
    assert {"classify", "lookup"} <= set(entries[0]["timings_ms"])


def test_broken_config_exits_with_message(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text("[scanner]\nmin_length = 0\n")
    out = cli(home, "lookup", "X")
    assert out.returncode == 3
    assert "min_length" in out.stderr


def test_version() -> None:
    out = subprocess.run([sys.executable, "-m", "scanner_app", "--version"], capture_output=True, text=True, cwd=ROOT)
    assert out.returncode == 0 and "scanner-app" in out.stdout


def test_an_argument_that_is_not_utf8_is_refused_in_words_and_records_nothing(tmp_path: Path) -> None:
    """Bytes that are not UTF-8 (a mistyped script, a Latin-1 file name) reach Python as lone
    surrogates; a command that would record them refuses them (exit 2) before anything runs."""
    home = tmp_path / "home"
    receive = cli(home, "receive", "--item", "SCN-Z2200", "--serial", "NEW\udcff1", "--warehouse", "wh-main",
                  "--bin", "C-01-01")
    assert (receive.returncode, receive.stderr) == (
        2, "scanner-app: --serial 'NEW\\xff1' is not valid UTF-8 text; nothing was done\n")
    assert not (home / "data").exists()  # refused before the station opened
    dispatch = cli(home, "dispatch", "--entity-type", "salesorder", "--entity-id=SO\udcff", "--warehouse",
                   "wh-main", "--item", "SCN-Z2200", "--serial", "Z22-1001")
    assert (dispatch.returncode, dispatch.stderr) == (
        2, "scanner-app: '--entity-id=SO\\xff' is not valid UTF-8 text; nothing was done\n")
    # a scan is different: lookup decodes the scanner's bytes with replacement and answers
    lookup = cli(home, "lookup", "AB\udcffCD")
    assert lookup.returncode == 1 and lookup.stdout.startswith("NOT FOUND: AB\ufffdCD\n")
