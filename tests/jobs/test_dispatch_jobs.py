"""Dispatches survive a kill: ``scanner-app dispatch`` run again continues the open dispatch
a killed run left (its serials counted once), reports a completed one without mapping
again; ``scanner-app jobs`` lists, resumes (the whole command from its saved plan, or a
window's dispatch as scanned) and cancels open dispatches, and leaves alone one another
live process holds.

A half-done dispatch is made in this process (a workflow that scanned some serials and
was abandoned, its lock dropped as a kill drops it); one test kills a real subprocess with
SIGKILL once its first serial row is in the database. Every re-run, resume and cancel is a
real subprocess."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox import EMBEDDED_TARGET, Outbox
from scanner_app.workflows.dispatch import DispatchWorkflow
from scanner_app.workflows.dispatch_run import DispatchPlan
from tests.workflows.conftest import dispatch_catalogue, serial
from tests.workflows.helpers import ROOT, scanner_for, script, script_home

HELD = "dispatch-1 is being worked on by another scanner-app process; wait for it to finish or stop it"
DOC = ("--entity-type", "salesorder", "--entity-id", "SO-42", "--warehouse", "W1")


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return script_home(tmp_path, dispatch_catalogue())


def inventory(home: Path) -> Path:
    return home / "data" / "inventory.sqlite3"


def command(*serials: str) -> list[str]:
    args = ["dispatch", *DOC, "--item", "DRL-18"]
    for number in serials:
        args += ["--serial", number]
    return args


def run_json(home: Path, *args: str) -> tuple[int, Any]:
    done = script(home, *args, "--json")
    assert done.stdout, done.stderr
    return done.returncode, json.loads(done.stdout)


@pytest.fixture
def abandoned(home: Path) -> Iterator[Any]:
    """``abandon(serials, plan=...)``: a dispatch of SO-42 opened in this process with
    ``serials`` scanned, then left as a killed process leaves it (lock dropped, still open).
    ``plan``: the serials of the command that started it (None: started in the window)."""
    stores: list[InventoryStore] = []

    def abandon(serials: list[str], plan: list[str] | None = None, *, hold: bool = False) -> DispatchWorkflow:
        store = InventoryStore(inventory(home))
        stores.append(store)
        workflow = DispatchWorkflow(Outbox(store), EMBEDDED_TARGET)
        saved = None if plan is None else DispatchPlan("salesorder", "SO-42", "W1", "DRL-18", tuple(plan)).to_json()
        workflow.start("salesorder", "SO-42", "W1", saved)
        scan = scanner_for(store, workflow)
        assert scan("DRL-18").verdict == "item_selected"
        for number in serials:
            assert scan(number).verdict == "serial_added", number
        if not hold:  # as a kill leaves it: the lock dropped, the rows open
            workflow.close()
        return workflow

    yield abandon
    for store in stores:
        store.close()


def mappings(home: Path) -> list[tuple[str, str]]:
    with sqlite3.connect(inventory(home)) as conn:
        return sorted(conn.execute("SELECT serialnumber, entity_id FROM embedded_serial_mappings"))


def dispatch_states(home: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(inventory(home)) as conn:
        return list(conn.execute("SELECT dispatch_id, state FROM dispatches ORDER BY dispatch_id"))


# -- the same command again ---------------------------------------------------------------------
def test_a_rerun_continues_the_open_dispatch_a_killed_run_left(home: Path, abandoned: Any) -> None:
    abandoned(["SN-0001"], ["SN-0001", "SN-0002"])
    code, report = run_json(home, *command("SN-0001", "SN-0002"))
    assert code == 0, report
    assert (report["continued"], report["dispatch_id"], report["all_mapped"]) == (True, 1, True)
    assert [(s["serialnumber"], s["verdict"], s["state"]) for s in report["serials"]] == [
        ("SN-0001", "already_scanned", "mapped"), ("SN-0002", "serial_added", "mapped")]
    assert mappings(home) == [("SN-0001", "SO-42"), ("SN-0002", "SO-42")]
    assert dispatch_states(home) == [(1, "completed")]
    assert run_json(home, "jobs") == (0, [])


def test_a_rerun_after_completion_reports_and_maps_only_what_is_new(home: Path) -> None:
    first, _ = run_json(home, *command("SN-0001"))
    assert first == 0
    again = script(home, *command("SN-0001", "SN-0002"))
    assert again.returncode == 0, again.stdout + again.stderr
    assert again.stdout.splitlines() == [
        "dispatch salesorder SO-42 (warehouse W1)",
        "  already dispatched before (dispatch-1): those serial numbers are reported as they are, not mapped again",
        "  SN-0001: mapped", "  SN-0002: mapped"]
    code, report = run_json(home, *command("SN-0001", "SN-0002"))
    assert code == 0 and report["completed_before"] == [1, 2] and report["dispatch_id"] is None
    assert [(s["serialnumber"], s["verdict"], s["dispatch_id"]) for s in report["serials"]] == [
        ("SN-0001", "already_dispatched", 1), ("SN-0002", "already_dispatched", 2)]
    assert "was dispatched with dispatch-1 before: not mapped again" in report["serials"][0]["message"]
    assert mappings(home) == [("SN-0001", "SO-42"), ("SN-0002", "SO-42")]
    assert dispatch_states(home) == [(1, "completed"), (2, "completed")]


def test_a_refused_serial_in_a_rerun_records_nothing_and_releases_the_open_dispatch(home: Path,
                                                                                    abandoned: Any) -> None:
    abandoned(["SN-0001"], ["SN-0001", "SN-OUT"])
    code, report = run_json(home, *command("SN-0001", "SN-OUT"))
    assert code == 1 and report["problem"] == "some serial numbers were refused: nothing was recorded"
    assert [(s["serialnumber"], s["state"]) for s in report["serials"]] == [("SN-0001", "not_recorded"),
                                                                            ("SN-OUT", "refused")]
    assert dispatch_states(home) == [(1, "cancelled")] and mappings(home) == []


def test_sigkill_once_the_first_serial_is_written_then_the_same_command_finishes_it(tmp_path: Path) -> None:
    """Where the kill lands (open, or already completed) does not change what must hold:
    after the re-run every serial is mapped once and nothing is left open."""
    numbers = [f"SK-{i:03d}" for i in range(150)]
    catalogue = dispatch_catalogue()
    catalogue["serial_numbers"] += [serial(n, "I2") for n in numbers]
    home = script_home(tmp_path, catalogue)
    args = command(*numbers)
    process = subprocess.Popen([sys.executable, "-m", "scanner_app", "--home", str(home), *args],
                               cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60  # a hang guard only
        while process.poll() is None and time.monotonic() < deadline:
            with sqlite3.connect(inventory(home), timeout=30) as conn:
                if conn.execute("SELECT COUNT(*) FROM dispatch_serials").fetchone()[0]:
                    break
            time.sleep(0.005)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=60)
    code, report = run_json(home, *args)
    assert code == 0, report["problem"]
    assert [s["serialnumber"] for s in report["serials"]] == numbers
    assert all(s["state"] == "mapped" for s in report["serials"])
    assert mappings(home) == sorted((n, "SO-42") for n in numbers)
    assert run_json(home, "jobs") == (0, [])
    with sqlite3.connect(inventory(home)) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


# -- scanner-app jobs ------------------------------------------------------------------------------
def test_jobs_lists_an_open_dispatch_and_resume_finishes_the_whole_command(home: Path, abandoned: Any) -> None:
    abandoned(["SN-0001"], ["SN-0001", "SN-0002", "SN-0004"])
    code, jobs = run_json(home, "jobs")
    assert code == 0 and len(jobs) == 1
    job = jobs[0]
    assert (job["id"], job["kind"], job["number"], job["document"], job["warehouse_id"], job["holds"]) == (
        "dispatch-1", "dispatch", 1, "salesorder SO-42", "W1", "1 serial number scanned")
    assert job["how_to_finish"] == ("finishes the `scanner-app dispatch` command that started it (3 serial numbers "
                                    "of DRL-18): scans the rest, completes and delivers")
    listed = script(home, "jobs")
    assert listed.stdout.startswith("dispatch-1  salesorder SO-42  (warehouse W1, started ")
    assert "1 serial number scanned; resume: finishes the `scanner-app dispatch` command" in listed.stdout
    resumed = script(home, "jobs", "resume", "dispatch-1")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert resumed.stdout.strip() == "finished dispatch-1 (salesorder SO-42): 3 serial numbers mapped"
    assert mappings(home) == [("SN-0001", "SO-42"), ("SN-0002", "SO-42"), ("SN-0004", "SO-42")]
    assert run_json(home, "jobs") == (0, [])
    code, again = run_json(home, *command("SN-0001", "SN-0002", "SN-0004"))  # the script's own re-run: reports
    assert code == 0 and again["completed_before"] == [1]


def test_resume_completes_a_window_dispatch_with_what_was_scanned(home: Path, abandoned: Any) -> None:
    abandoned(["SN-0001", "SN-0002"])
    code, jobs = run_json(home, "jobs")
    assert jobs[0]["how_to_finish"] == "completes it with the 2 serial numbers scanned and delivers"
    code, outcome = run_json(home, "jobs", "resume", "dispatch-1")
    assert code == 0 and outcome["done"] is True
    assert outcome["message"] == "finished dispatch-1 (salesorder SO-42): 2 serial numbers mapped"
    assert [(s["serialnumber"], s["state"]) for s in outcome["details"]["serials"]] == [
        ("SN-0001", "mapped"), ("SN-0002", "mapped")]


def test_resume_of_a_window_dispatch_missing_a_bin_says_what_and_changes_nothing(home: Path,
                                                                                  abandoned: Any) -> None:
    abandoned(["SN-0001", "SN-0003"])
    _, jobs = run_json(home, "jobs")
    assert jobs[0]["how_to_finish"] == ("nothing: 1 serial number has no bin (SN-0003); scan them in the window, "
                                        "or cancel it")
    resumed = script(home, "jobs", "resume", "dispatch-1")
    assert resumed.returncode == 1
    assert resumed.stdout.strip() == (
        "not done: dispatch-1 (salesorder SO-42) cannot be completed: 1 serial number(s) have no bin (SN-0003): "
        "scan their bin; nothing was changed (scan them in the window, or `scanner-app jobs cancel dispatch-1`)")
    assert dispatch_states(home) == [(1, "open")] and mappings(home) == []


def test_cancel_releases_what_the_dispatch_held(home: Path, abandoned: Any) -> None:
    abandoned(["SN-0001", "SN-0002"])
    cancelled = script(home, "jobs", "cancel", "dispatch-1")
    assert cancelled.returncode == 0
    assert cancelled.stdout.strip() == "cancelled dispatch-1 (salesorder SO-42): released 2 serial numbers"
    assert dispatch_states(home) == [(1, "cancelled")]
    code, again = run_json(home, "jobs", "cancel", "dispatch-1")
    assert (code, again["done"], again["message"]) == (
        1, False, "dispatch-1 (salesorder SO-42) is not open: it was cancelled")
    other = script(home, "dispatch", "--entity-type", "salesorder", "--entity-id", "SO-7", "--warehouse", "W1",
                   "--item", "DRL-18", "--serial", "SN-0001")
    assert other.returncode == 0, other.stdout  # released: another document may take it


def test_cancel_in_json_lists_the_released_serials(home: Path, abandoned: Any) -> None:
    abandoned(["SN-0002"])
    code, outcome = run_json(home, "jobs", "cancel", "dispatch-1")
    assert code == 0 and outcome == {
        "id": "dispatch-1", "done": True,
        "message": "cancelled dispatch-1 (salesorder SO-42): released 1 serial number",
        "details": {"dispatch_id": 1, "released": [{"item_id": "I2", "serialnumber": "SN-0002"}]}}


def test_a_dispatch_held_by_a_live_process_is_left_alone(home: Path, abandoned: Any) -> None:
    holder = abandoned(["SN-0001"], ["SN-0001", "SN-0002"], hold=True)
    try:
        _, jobs = run_json(home, "jobs")
        assert jobs[0]["how_to_finish"] == f"nothing now: {HELD}"
        for action in ("resume", "cancel"):
            done = script(home, "jobs", action, "dispatch-1")
            assert (done.returncode, done.stdout.strip()) == (1, f"not done: {HELD}")
        code, report = run_json(home, *command("SN-0001", "SN-0002"))
        assert code == 1 and report["problem"] == HELD
        assert dispatch_states(home) == [(1, "open")] and mappings(home) == []
    finally:
        holder.close()
    assert script(home, "jobs", "resume", "dispatch-1").returncode == 0  # its holder gone: resumable


def test_an_id_that_is_not_an_open_dispatch_is_said_plainly(home: Path) -> None:
    done = script(home, "jobs", "resume", "dispatch-99")
    assert (done.returncode, done.stdout.strip()) == (1, "not done: there is no dispatch-99")


# -- the window ------------------------------------------------------------------------------------
def test_the_window_does_not_load_an_open_dispatch_another_process_holds(qtbot: Any, station_for: Any) -> None:
    from scanner_app.jobs.ownership import JobOwnership
    from scanner_app.ui.main_window import MainWindow

    station = station_for(dispatch_catalogue())
    left = DispatchWorkflow(Outbox(station.inventory), EMBEDDED_TARGET)
    left.start("salesorder", "SO-LEFT", "W1")  # a window that was killed: its dispatch stays open
    assert scanner_for(station.inventory, left)("DRL-18").verdict == "item_selected"
    assert scanner_for(station.inventory, left)("SN-0001").verdict == "serial_added"
    left.close()
    other = JobOwnership(station.inventory.path, "dispatch", 1)  # `jobs resume dispatch-1` elsewhere
    assert other.take()
    try:
        window = MainWindow(station)
        qtbot.addWidget(window)
        window.show()
        page = window.dispatch_page
        qtbot.waitUntil(lambda: page.banner_state == "refused")
        assert page.banner.current.message.text() == f"The open dispatch was not loaded here: {HELD}"
        assert window.dispatch.workflow.dispatch is None
        window.close()
    finally:
        other.release()
    again = MainWindow(station)  # once the other process let go, the window takes it over
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(lambda: again.dispatch.workflow.dispatch is not None)
    assert again.dispatch.workflow.dispatch.entity_id == "SO-LEFT"
    assert [s.serialnumber for s in again.dispatch.workflow.serials()] == ["SN-0001"]
    assert script(station.inventory.path.parent.parent, "jobs", "cancel", "dispatch-1").stdout.strip() == f"not done: {HELD}"
    again.close()
