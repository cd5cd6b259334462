"""Receipts survive a kill and are never received twice: ``scanner-app receive`` run again
continues the receipt a killed run left (recording only the rows not recorded yet), reports
a completed one without receiving again, refuses the same ``--reference`` with other
content; ``scanner-app jobs`` lists, resumes (without the file) and cancels open receipts,
and leaves alone one another live process holds.

A half-done receipt is made in this process (the run stopped right after its Nth line was
committed, its lock dropped as a kill drops it); one test kills a real subprocess with
SIGKILL. Every re-run, resume and cancel is a real subprocess."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from scanner_app import cli
from scanner_app.jobs.ownership import JobOwnership
from scanner_app.workflows.receiving_lines import ReceiptLines
from tests.workflows.helpers import ROOT, script, script_home
from tests.workflows.receiving_catalogue import receiving_catalogue

HEADER = "item,batch,manufacturer_batch,manufactured,expiry,quantity,serial\n"
HELD = ("receipt-1 is being worked on by another scanner-app process; wait for it to finish or stop it")


class Killed(BaseException):
    """Stands for SIGKILL in this process: raised right after a line's transaction committed."""


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return script_home(tmp_path, receiving_catalogue())


def serial_file(tmp_path: Path, name: str, serials: list[str]) -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "".join(f"DRL-18,,,,,,{s}\n" for s in serials))
    return path


def batch_file(tmp_path: Path, name: str = "batches.csv", *, blank_line: bool = False) -> Path:
    path = tmp_path / name
    path.write_text(HEADER + "MLK-1,L-A,,,2099-01-31,10,\nMLK-1,L-B,,,2099-01-31,20,\n" + ("\n" if blank_line else "")
                    + "MLK-1,L-A,,,2099-01-31,5,\nMLK-1,L-C,,,2099-01-31,30,\n")
    return path


def half_done(monkeypatch: pytest.MonkeyPatch, home: Path, lines: int, *args: str) -> None:
    """``scanner-app receive ARGS`` in this process, stopped right after its ``lines``-th
    line was committed (nothing delivered yet)."""
    original = ReceiptLines._after
    written = []

    def after(self: ReceiptLines, *more: Any) -> None:
        original(self, *more)
        written.append(1)
        if len(written) == lines:
            raise Killed

    with monkeypatch.context() as patched:
        patched.setattr(ReceiptLines, "_after", after)
        with pytest.raises(Killed):
            cli.main(["--home", str(home), "receive", *args])
    assert len(written) == lines


def receive(home: Path, *args: str) -> tuple[int, dict[str, Any]]:
    done = script(home, "receive", "--json", *args)
    assert done.stdout, done.stderr
    return done.returncode, json.loads(done.stdout)


def jobs(home: Path, *args: str) -> tuple[int, Any]:
    done = script(home, "jobs", *args, "--json")
    assert done.stdout, done.stderr
    return done.returncode, json.loads(done.stdout)


def query(home: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(home / "data" / "inventory.sqlite3") as conn:
        return conn.execute(sql, params).fetchall()


def serial_counts(home: Path, serials: list[str]) -> list[int]:
    return [query(home, "SELECT count(*) FROM serial_numbers WHERE item_id = 'I2' AND serialnumber = ?", s)[0][0]
            for s in serials]


def batch_balances(home: Path) -> dict[str, float]:
    return dict(query(home, "SELECT batch_number, balance_quantity FROM batches WHERE item_id = 'I1'"
                            " AND batch_number IN ('L-A', 'L-B', 'L-C')"))


def recorded_state(home: Path) -> tuple[list[tuple[Any, ...]], ...]:
    """Everything a receive run writes, to compare before and after a refusal."""
    return (query(home, "SELECT receipt_id, reference, state, cancelled_at FROM receipts ORDER BY receipt_id"),
            query(home, "SELECT receipt_id, position, quantity, cancelled FROM receipt_lines ORDER BY 1, 2"),
            query(home, "SELECT entry_id, state FROM outbox_entries ORDER BY entry_id"),
            query(home, "SELECT * FROM receipt_rows_recorded ORDER BY 1, 2"))


def local_minute(stamp: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(stamp))


# -- running the same command again ------------------------------------------------------------
def test_a_half_received_serial_file_is_finished_by_running_it_again(
        home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    serials = [f"SN-K{i}" for i in range(6)]
    args = ("--from", str(serial_file(tmp_path, "serials.csv", serials)), "--warehouse", "W1", "--reference", "ASN-1")
    half_done(monkeypatch, home, 3, *args)
    assert query(home, "SELECT state FROM receipts") == [("open",)] and serial_counts(home, serials) == [0] * 6

    code, report = receive(home, *args)
    assert code == 0, report
    assert report["run"] == "continued" and report["note"] == (
        "receipt-1 (reference ASN-1) was left open by an earlier run: continued (3 of 6 lines were recorded already)")
    assert [(ln["row"], ln["serialnumber"], ln["state"]) for ln in report["lines"]] == [
        (i + 2, s, "assigned") for i, s in enumerate(serials)]
    assert serial_counts(home, serials) == [1] * 6  # none refused as existing, none twice

    code, again = receive(home, *args)  # a script that runs its command once more
    assert code == 0 and again["run"] == "already_completed"
    closed_at = query(home, "SELECT closed_at FROM receipts WHERE receipt_id = 1")[0][0]
    assert again["note"] == (f"receipt-1 (reference ASN-1) was already completed on {local_minute(closed_at)}: "
                             "nothing was received again; its lines as recorded")
    assert [ln["state"] for ln in again["lines"]] == ["assigned"] * 6
    assert serial_counts(home, serials) == [1] * 6 and query(home, "SELECT count(*) FROM receipts") == [(1,)]


def test_a_batch_file_without_a_reference_is_known_by_its_content_and_never_doubled(
        home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    file = batch_file(tmp_path)
    half_done(monkeypatch, home, 2, "--from", str(file), "--warehouse", "W1")  # L-A 10 and L-B 20 recorded
    code, report = receive(home, "--from", str(file), "--warehouse", "W1")
    assert code == 0, report
    assert report["run"] == "continued" and "(2 of 4 lines were recorded already)" in report["note"]
    assert [(ln["row"], ln["batch_number"], ln["quantity"], ln["state"]) for ln in report["lines"]] == [
        (2, "L-A", 15, "assigned"), (3, "L-B", 20, "assigned"), (5, "L-C", 30, "assigned")]
    assert batch_balances(home) == {"L-A": 15, "L-B": 20, "L-C": 30}
    # the same rows again (a blank line more: the same content) only report
    code, again = receive(home, "--from", str(batch_file(tmp_path, "copy.csv", blank_line=True)), "--warehouse", "W1")
    assert code == 0 and again["run"] == "already_completed" and again["note"].startswith("receipt-1 was already")
    assert batch_balances(home) == {"L-A": 15, "L-B": 20, "L-C": 30}
    assert query(home, "SELECT sum(quantity) FROM item_stock WHERE item_id = 'I1' AND warehouse_id = 'W1'") == [(65,)]


def test_the_same_reference_with_other_content_is_refused_and_changes_nothing(
        home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    half_done(monkeypatch, home, 1, "--from", str(batch_file(tmp_path)), "--warehouse", "W1", "--reference", "PO-7")
    before = recorded_state(home)
    code, report = receive(home, "--item", "MLK-1", "--batch", "L-Z", "--warehouse", "W1", "--reference", "PO-7")
    assert code == 1 and report["lines"] == [] and report["problem"] == (
        "reference PO-7 is open as receipt-1 (other lines or another place), nothing was recorded: finish it with "
        "`scanner-app jobs resume receipt-1` or cancel it with `scanner-app jobs cancel receipt-1`; "
        "a different delivery needs its own --reference")
    assert recorded_state(home) == before

    code, report = receive(home, "--item", "MLK-1", "--batch", "L-P8", "--expiry", "2099-01-31", "--quantity", "8",
                           "--warehouse", "W1", "--reference", "PO-8")
    assert code == 0 and report["run"] == "new"
    before = recorded_state(home)
    code, report = receive(home, "--item", "MLK-1", "--batch", "L-P8", "--expiry", "2099-01-31", "--quantity", "9",
                           "--warehouse", "W1", "--reference", "PO-8")
    closed_at = query(home, "SELECT closed_at FROM receipts WHERE reference = 'PO-8'")[0][0]
    assert code == 1 and report["problem"] == (
        f"reference PO-8 was already received on {local_minute(closed_at)} (receipt-2) with other lines or another "
        "place, nothing was recorded: a different delivery needs its own --reference")
    assert recorded_state(home) == before
    code, report = receive(home, "--item", "MLK-1", "--batch", "L-P8", "--expiry", "2099-01-31", "--quantity", "8",
                           "--warehouse", "W1", "--reference", "PO-8")
    assert code == 0 and report["run"] == "already_completed" and report["receipt"]["id"] == 2
    assert query(home, "SELECT balance_quantity FROM batches WHERE batch_number = 'L-P8'") == [(8,)]


def test_a_row_refused_on_the_re_run_keeps_the_receipt_open_and_records_nothing_more(
        home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    args = ("--from", str(serial_file(tmp_path, "r.csv", ["SN-R1", "SN-R2", "SN-R3"])), "--warehouse", "W1")
    half_done(monkeypatch, home, 1, *args)
    code, _ = receive(home, "--item", "DRL-18", "--serial", "SN-R3", "--warehouse", "W1")  # meanwhile, elsewhere
    assert code == 0
    before = recorded_state(home)
    code, report = receive(home, *args)
    assert code == 1 and report["run"] == "continued" and report["receipt"]["id"] == 1
    assert report["problem"] == (
        "row 4: SN-R3 is already a serial number of Drill: nothing more was recorded; receipt-1 stays open with "
        "1 of 3 lines recorded (run this again once that is fixed, or release it: `scanner-app jobs cancel receipt-1`)")
    assert recorded_state(home) == before


def test_a_sigkilled_receive_then_the_same_command_receives_every_serial_once(home: Path, tmp_path: Path) -> None:
    serials = [f"SN-X{i:03d}" for i in range(80)]
    args = ["receive", "--from", str(serial_file(tmp_path, "many.csv", serials)), "--warehouse", "W1",
            "--reference", "ASN-KILL"]
    process = subprocess.Popen([sys.executable, "-m", "scanner_app", "--home", str(home), *args], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60  # a hang guard only
        while time.monotonic() < deadline and process.poll() is None:
            if query(home, "SELECT count(*) FROM receipt_lines")[0][0] >= 3:
                break
            time.sleep(0.01)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=60)
    assert query(home, "SELECT count(*) FROM receipt_lines")[0][0] >= 3  # killed with some lines recorded
    code, report = receive(home, *args[1:])
    assert code == 0, report["problem"]
    assert report["run"] in ("continued", "already_completed")  # the kill may land after the last line
    assert [ln["state"] for ln in report["lines"]] == ["assigned"] * 80
    assert serial_counts(home, serials) == [1] * 80
    assert jobs(home) == (0, []) and query(home, "PRAGMA integrity_check") == [("ok",)]


# -- scanner-app jobs ------------------------------------------------------------------------------
def test_jobs_lists_an_open_receipt_in_words_and_json(home: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    serials = [f"SN-L{i}" for i in range(5)]
    half_done(monkeypatch, home, 2, "--from", str(serial_file(tmp_path, "s.csv", serials)), "--warehouse", "W1",
              "--bin", "RCV-01", "--reference", "PO-7")
    code, listed = jobs(home)
    assert code == 0
    [job] = listed
    assert job | {"started_at": 0} == {
        "id": "receipt-1", "kind": "receipt", "number": 1, "document": "reference PO-7", "warehouse_id": "W1",
        "started_at": 0, "holds": "2 of 5 lines recorded, reference PO-7, 2 new serial numbers",
        "how_to_finish": "records the other 3 lines from the saved command and waits for delivery"}
    done = script(home, "jobs")
    assert done.returncode == 0
    assert done.stdout.startswith("receipt-1  reference PO-7  (warehouse W1, started ")
    assert done.stdout.rstrip().endswith("): 2 of 5 lines recorded, reference PO-7, 2 new serial numbers; resume: "
                                         "records the other 3 lines from the saved command and waits for delivery")


def test_jobs_resume_finishes_the_whole_command_without_the_file(home: Path, tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    file = batch_file(tmp_path)
    half_done(monkeypatch, home, 1, "--from", str(file), "--warehouse", "W1", "--reference", "PO-9")
    file.unlink()  # the plan was saved with the receipt
    code, resumed = jobs(home, "resume", "receipt-1")
    assert code == 0, resumed
    assert (resumed["id"], resumed["done"], resumed["message"]) == ("receipt-1", True,
                                                                    "receipt-1 finished: all 3 lines assigned")
    assert [(ln["row"], ln["batch_number"], ln["quantity"]) for ln in resumed["details"]["lines"]] == [
        (2, "L-A", 15), (3, "L-B", 20), (5, "L-C", 30)]
    assert batch_balances(home) == {"L-A": 15, "L-B": 20, "L-C": 30}
    assert jobs(home) == (0, [])
    done = script(home, "jobs", "resume", "receipt-1")
    assert done.returncode == 1 and done.stdout.startswith("not done: receipt-1 is not open: it was completed on ")


def test_jobs_cancel_releases_the_reference_and_the_serials_not_delivered(home: Path, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    serials = [f"SN-C{i}" for i in range(6)]
    args = ("--from", str(serial_file(tmp_path, "c.csv", serials)), "--warehouse", "W1", "--reference", "ASN-9")
    half_done(monkeypatch, home, 3, *args)
    done = script(home, "jobs", "cancel", "receipt-1")
    assert done.returncode == 0, done.stdout
    assert done.stdout == ("receipt-1 cancelled: released reference ASN-9; 3 lines nothing of which was sent: "
                           "3 serial numbers (SN-C0, SN-C1, SN-C2)\n")
    assert query(home, "SELECT state, cancelled_at IS NOT NULL FROM receipts") == [("closed", 1)]
    assert query(home, "SELECT DISTINCT state FROM outbox_entries") == [("discarded",)]
    assert jobs(home) == (0, [])
    code, report = receive(home, *args)  # the reference and the serials are free again
    assert code == 0 and report["run"] == "new" and report["receipt"]["id"] == 2
    assert serial_counts(home, serials) == [1] * 6


def test_jobs_cancel_leaves_what_was_delivered_and_says_so(home: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    half_done(monkeypatch, home, 2, "--from", str(batch_file(tmp_path)), "--warehouse", "W1")  # L-A 10, L-B 20
    assert script(home, "outbox", "flush").returncode == 0  # both lines reach the inventory
    code, cancelled = jobs(home, "cancel", "receipt-1")
    assert code == 0 and cancelled["message"] == (
        "receipt-1 cancelled: released nothing (it had no lines); 2 lines had already reached the inventory system "
        "(or were being delivered) and were not touched: batch L-A x10, batch L-B x20")
    assert [(ln["batch_number"], ln["delivered_quantity"]) for ln in cancelled["details"]["delivered_lines_kept"]] == [
        ("L-A", 10), ("L-B", 20)]
    assert batch_balances(home) == {"L-A": 10, "L-B": 20}


def test_a_receipt_another_live_process_holds_is_left_alone(home: Path, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    args = ("--from", str(serial_file(tmp_path, "h.csv", ["SN-H1", "SN-H2"])), "--warehouse", "W1")
    half_done(monkeypatch, home, 1, *args)
    other = JobOwnership(home / "data" / "inventory.sqlite3", "receipt", 1)  # another process, to the scripts
    assert other.take()
    try:
        before = recorded_state(home)
        for action in ("resume", "cancel"):
            done = script(home, "jobs", action, "receipt-1")
            assert (done.returncode, done.stdout) == (1, f"not done: {HELD}\n")
        code, report = receive(home, *args)
        assert code == 1 and report["problem"] == f"nothing was recorded: {HELD}"
        [job] = jobs(home)[1]
        assert job["how_to_finish"] == ("nothing: another scanner-app process is working on it "
                                        "(wait for it to finish or stop it)")
        assert recorded_state(home) == before
    finally:
        other.release()
    assert receive(home, *args)[0] == 0


def test_jobs_resume_closes_a_receipt_started_in_the_window(home: Path) -> None:
    from scanner_app.inventory.store import InventoryStore
    from scanner_app.outbox import EMBEDDED_TARGET, Outbox
    from scanner_app.workflows.receiving import ReceivingWorkflow

    store = InventoryStore(home / "data" / "inventory.sqlite3")
    try:
        window = ReceivingWorkflow(Outbox(store), EMBEDDED_TARGET)
        window.start("PO-W", "W1")
        item = store.get_item("I2")
        assert item is not None and window.receive_serial("SN-W1", item=item).accepted
        window.close()  # the window was killed
    finally:
        store.close()
    [job] = jobs(home)[1]
    assert (job["holds"], job["how_to_finish"]) == (
        "1 line recorded in the window, reference PO-W, 1 new serial number",
        "closes it with the lines it has (as Finish does) and waits for delivery")
    done = script(home, "jobs", "resume", "receipt-1")
    assert (done.returncode, done.stdout) == (0, "receipt-1 finished: 1 line assigned\n")
    assert serial_counts(home, ["SN-W1"]) == [1] and jobs(home) == (0, [])


def test_an_id_that_is_not_an_open_receipt_is_said_so(home: Path) -> None:
    done = script(home, "jobs", "cancel", "receipt-42")
    assert (done.returncode, done.stdout) == (1, "not done: there is no receipt-42\n")
