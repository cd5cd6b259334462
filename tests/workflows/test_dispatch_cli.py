"""``scanner-app dispatch`` as a script runs it: a real subprocess on a real home folder."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.workflows.conftest import dispatch_catalogue
from tests.workflows.helpers import script as cli
from tests.workflows.helpers import script_home


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return script_home(tmp_path, dispatch_catalogue())


def dispatch(home: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    done = cli(home, "dispatch", "--entity-type", "salesorder", "--entity-id", "SO-42", "--json", *extra)
    assert done.stdout, done.stderr
    return done.returncode, json.loads(done.stdout)


def test_all_serials_mapped_exit_0(home: Path) -> None:
    code, report = dispatch(home, "--warehouse", "main", "--location", "a-01-02", "--item", "DRL-18",
                            "--serial", "SN-0003", "--serial", "SN-0004")
    assert code == 0, report
    assert report["all_mapped"] and report["warehouse_id"] == "W1"
    assert [(s["serialnumber"], s["state"], s["bin_id"]) for s in report["serials"]] == [
        ("SN-0003", "mapped", "B2"), ("SN-0004", "mapped", "B2")]
    # the same document again: reported from the records, not mapped again
    again, second = dispatch(home, "--warehouse", "W1", "--item", "DRL-18", "--serial", "SN-0004")
    assert again == 0 and second["completed_before"] == [1]
    assert [(s["serialnumber"], s["verdict"], s["state"]) for s in second["serials"]] == [
        ("SN-0004", "already_dispatched", "mapped")]
    other = cli(home, "dispatch", "--entity-type", "salesorder", "--entity-id", "SO-43", "--warehouse", "W1",
                "--item", "DRL-18", "--serial", "SN-0004", "--json")
    assert other.returncode == 1 and json.loads(other.stdout)["serials"][0]["verdict"] == "transacted_out"


def test_a_refused_serial_records_nothing_and_exits_1(home: Path) -> None:
    code, report = dispatch(home, "--warehouse", "W1", "--item", "DRL-18", "--serial", "SN-0001",
                            "--serial", "SN-OUT")
    assert code == 1 and not report["all_mapped"]
    assert [(s["serialnumber"], s["verdict"]) for s in report["serials"]] == [
        ("SN-0001", "serial_added"), ("SN-OUT", "transacted_out")]
    assert "nothing was recorded" in report["problem"]
    listed = cli(home, "dispatch", "--entity-type", "salesorder", "--entity-id", "SO-43", "--warehouse", "W1",
                 "--item", "DRL-18", "--serial", "SN-0001")
    assert listed.returncode == 0, listed.stdout  # SN-0001 was not kept by the cancelled dispatch
    assert "SN-0001: mapped" in listed.stdout


def test_a_serial_without_a_bin_needs_location(home: Path) -> None:
    code, report = dispatch(home, "--warehouse", "W1", "--item", "DRL-18", "--serial", "SN-0003")
    assert code == 1 and "have no bin" in report["problem"]


def test_unknown_warehouse_is_said_plainly(home: Path) -> None:
    code, report = dispatch(home, "--warehouse", "Nowhere", "--item", "DRL-18", "--serial", "SN-0001")
    assert code == 1 and "there is no warehouse 'Nowhere'" in report["problem"] and "Main (W1)" in report["problem"]
