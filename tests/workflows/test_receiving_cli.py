"""``scanner-app receive`` as a script runs it: a real subprocess on a real home folder,
waiting for the worker; exit 0 only when every line was assigned; a refused file records
nothing."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.workflows.helpers import script as cli
from tests.workflows.helpers import script_home
from tests.workflows.receiving_catalogue import MILK_GTIN, receiving_catalogue

HEADER = "item,batch,manufacturer_batch,manufactured,expiry,quantity,serial\n"


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return script_home(tmp_path, receiving_catalogue())


def receive(home: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    done = cli(home, "receive", "--json", *extra)
    assert done.stdout, done.stderr
    return done.returncode, json.loads(done.stdout)


def recorded(home: Path) -> tuple[int, int]:
    """(receipts, outbox entries) in the home's inventory database."""
    with sqlite3.connect(home / "data" / "inventory.sqlite3") as conn:
        return (conn.execute("SELECT count(*) FROM receipts").fetchone()[0],
                conn.execute("SELECT count(*) FROM outbox_entries").fetchone()[0])


def test_one_batch_line_is_assigned_and_the_place_remembered(home: Path) -> None:
    code, report = receive(home, "--item", "MLK-1", "--batch", "L-1", "--expiry", "2099-12-31", "--quantity", "24",
                           "--warehouse", "main", "--bin", "rcv-01", "--reference", "PO-1001")
    assert code == 0, report
    assert report["receipt"] | {"id": 0} == {"id": 0, "reference": "PO-1001", "warehouse_id": "W1", "bin_id": "B1"}
    [line] = report["lines"]
    assert (line["batch_number"], line["quantity"], line["state"]) == ("L-1", 24, "assigned") and line["batch_id"]
    code, again = receive(home, "--item", "MLK-1", "--batch", "L-1", "--expiry", "2099-12-31")  # no place given
    assert code == 0 and (again["receipt"]["warehouse_id"], again["receipt"]["bin_id"]) == ("W1", "B1")
    assert again["lines"][0]["batch_id"] == line["batch_id"]  # reused


def test_a_gs1_label_alone_fills_the_line(home: Path) -> None:
    code, report = receive(home, "--gs1", f"(01){MILK_GTIN}(10)GS-9(11)250101(17)401200(37)6", "--warehouse", "W1")
    assert code == 0, report
    [line] = report["lines"]
    assert (line["item_id"], line["batch_number"], line["manufactured_date"], line["expiry_date"],
            line["quantity"]) == ("I1", "GS-9", "2025-01-01", "2040-12-31", 6)


def test_a_shipping_notice_file(home: Path, tmp_path: Path) -> None:
    notice = tmp_path / "asn.csv"
    notice.write_text(HEADER + "MLK-1,L-5,M-5,2025-01-01,2099-01-31,10,\n"
                      f"{MILK_GTIN},L-5,,,,5,\n"  # the same batch again: one line of 15
                      "DRL-18,,,,,,SN-900\nDRL-18,,,,,1,SN-901\n")
    code, report = receive(home, "--from", str(notice), "--warehouse", "W1")
    assert code == 0, report
    assert [(ln["row"], ln["kind"], ln["batch_number"] or ln["serialnumber"], ln["quantity"], ln["state"])
            for ln in report["lines"]] == [(2, "batch", "L-5", 15, "assigned"), (4, "serial", "SN-900", 1, "assigned"),
                                           (5, "serial", "SN-901", 1, "assigned")]


def test_bad_rows_refuse_the_whole_file_with_their_numbers(home: Path, tmp_path: Path) -> None:
    notice = tmp_path / "asn.csv"
    notice.write_text(HEADER + "MLK-1,L-5,,,2099-01-31,10,\n"
                      "MLK-1,L-6,,,31/01/2099,1,\n"
                      ",L-7,,,,1,\n"
                      "DRL-18,L-8,,,,1,SN-1\n"
                      "MLK-1,L-9,,,,-3,\n")
    code, report = receive(home, "--from", str(notice), "--warehouse", "W1")
    assert code == 1 and report["lines"] == []
    problem = report["problem"]
    assert "row 3: expiry '31/01/2099' is not a date: write it as YYYY-MM-DD" in problem
    assert "row 4: the item is missing" in problem and "row 5: give a batch or a serial number, not both" in problem
    assert "row 6: quantity must be more than 0" in problem and "nothing was recorded" in problem
    assert recorded(home) == (0, 0)


def test_a_refused_line_refuses_the_whole_file(home: Path, tmp_path: Path) -> None:
    notice = tmp_path / "asn.csv"
    notice.write_text(HEADER + "MLK-1,L-5,,,2099-01-31,10,\nDRL-18,,,,,,SN-OLD\nTIS-100,L-1,,,,1,\n"
                      "NO-SUCH,L-1,,,,1,\n")
    code, report = receive(home, "--from", str(notice), "--warehouse", "W1")
    assert code == 1
    assert [(ln["row"], ln["state"]) for ln in report["lines"]] == [
        (2, "not recorded"), (3, "refused"), (4, "refused"), (5, "refused")]
    assert "row 3: SN-OLD is already a serial number of Drill" in report["problem"]
    assert "row 4: Tissues is tracked by neither batch nor serial number" in report["problem"]
    assert "row 5: No item" in report["problem"]
    assert recorded(home) == (0, 0)


def test_an_expiring_batch_needs_accept_expiring(home: Path) -> None:
    code, report = receive(home, "--item", "MLK-1", "--batch", "L-OLD", "--expiry", "2001-01-31", "--warehouse", "W1")
    assert code == 1 and "expired on 2001-01-31" in report["problem"]
    assert "(--accept-expiring takes it)" in report["problem"] and recorded(home) == (0, 0)
    code, report = receive(home, "--item", "MLK-1", "--batch", "L-OLD", "--expiry", "2001-01-31", "--warehouse", "W1",
                           "--accept-expiring")
    assert code == 0 and report["lines"][0]["state"] == "assigned"


def test_expiry_before_manufactured_is_refused(home: Path) -> None:
    code, report = receive(home, "--item", "MLK-1", "--batch", "L-X", "--manufactured", "2099-02-01",
                           "--expiry", "2099-01-01", "--warehouse", "W1")
    assert code == 1 and "before the manufactured date 2099-02-01" in report["problem"]


def test_a_date_conflict_exits_1_with_the_reason(home: Path) -> None:
    code, report = receive(home, "--item", "MLK-1", "--batch", "L-KNOWN", "--expiry", "2099-01-10", "--warehouse", "W1")
    assert code == 1 and report["problem"] == "not every line was assigned"
    [line] = report["lines"]
    assert line["state"] == "conflict" and "expiry 2026-01-10 there, 2099-01-10 on this receipt" in line["reason"]


@pytest.mark.parametrize("args", [[], ["--from", "x.csv", "--item", "MLK-1"], ["--item", "DRL-18", "--serial", "S",
                                                                              "--batch", "B"], ["--serial", "S"]])
def test_options_that_make_no_receipt_exit_2(home: Path, args: list[str]) -> None:
    code, report = receive(home, *args)
    assert code == 2 and report["problem"]


def test_the_words_for_a_person(home: Path) -> None:
    done = cli(home, "receive", "--item", "DRL-18", "--serial", "SN-77", "--warehouse", "Main")
    assert done.returncode == 0, done.stdout
    assert "into W1" in done.stdout and "DRL-18 serial SN-77 x1: assigned" in done.stdout
