"""Assemblies survive a kill: ``scanner-app assemble`` run again takes over the open
assembly the same command left (its ticked units counted once) or reports the one it
completed without building again; ``scanner-app jobs`` lists, resumes (the whole command
from its saved plan, or a window's assembly when everything is ticked) and cancels open
assemblies, and leaves alone one another live process holds.

A half-done assembly is made by running the command in this process and stopping it
right after its Nth unit was committed (or right after completion, before delivery), its
lock dropped as a kill drops it. Every re-run, resume and cancel is a real subprocess."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from scanner_app import cli
from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox import EMBEDDED_TARGET, Outbox
from scanner_app.workflows.assembly import AssemblyWorkflow
from scanner_app.workflows.assembly_records import AssemblyRecords
from tests.workflows.helpers import scanner_for, script, script_home
from tests.workflows.kit_catalogue import TODAY, kit_catalogue

HELD = "assembly-1 is being worked on by another scanner-app process; wait for it to finish or stop it"
COMMAND = ("assemble", "--kit", "KIT-REP", "--warehouse", "W1", "--location", "A-01-01",
           "--component", "SCR-10", "--component", "SCR-10", "--component", "DRL-18=SN-1",
           "--component", "GLU-50=GL-OK", "--component", "GLU-50=GL-OK")


class Killed(BaseException):
    """Stands for SIGKILL in this process."""


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return script_home(tmp_path, kit_catalogue())


def half_done(monkeypatch: pytest.MonkeyPatch, home: Path, units: int) -> None:
    """The command run in this process, stopped right after its ``units``-th unit was committed."""
    original = AssemblyRecords.add_unit
    written = []

    def add_unit(self: AssemblyRecords, *args: Any) -> None:
        original(self, *args)
        written.append(1)
        if len(written) == units:
            raise Killed

    with monkeypatch.context() as patched:
        patched.setattr(AssemblyRecords, "add_unit", add_unit)
        with pytest.raises(Killed):
            cli.main(["--home", str(home), *COMMAND])
    assert len(written) == units


def completed_undelivered(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """The command run in this process, stopped right after the assembly was completed."""
    from scanner_app.commands import delivery_wait

    def killed(*_args: Any) -> None:
        raise Killed

    with monkeypatch.context() as patched:
        patched.setattr(delivery_wait, "deliver_or_wait", killed)
        with pytest.raises(Killed):
            cli.main(["--home", str(home), *COMMAND])


def query(home: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(home / "data" / "inventory.sqlite3") as conn:
        return conn.execute(sql).fetchall()


def reference(home: Path) -> str:
    return str(query(home, "SELECT reference FROM assemblies WHERE assembly_id = 1")[0][0])


def run_json(home: Path, *args: str) -> tuple[int, Any]:
    done = script(home, *args, "--json")
    assert done.stdout, done.stderr
    return done.returncode, json.loads(done.stdout)


def built(home: Path) -> list[tuple[Any, ...]]:
    return query(home, "SELECT reference, status FROM embedded_bundles")


# -- the same command again ---------------------------------------------------------------------
def test_a_rerun_takes_over_the_open_assembly_and_ticks_only_the_rest(monkeypatch: pytest.MonkeyPatch,
                                                                      home: Path) -> None:
    half_done(monkeypatch, home, 3)
    code, report = run_json(home, *COMMAND)
    assert code == 0, report["problem"]
    assert (report["continued"], report["assembly_id"], report["recorded"]) == (True, 1, True)
    assert [(s["code"], s["detail"], s["verdict"]) for s in report["scans"]] == [
        ("GLU-50", "GL-OK", "ticked"), ("GLU-50", "GL-OK", "ticked")]
    assert [(c["name"], c["ticked"]) for c in report["components"]] == [("Screw pack", 2.0), ("Drill", 1.0),
                                                                        ("Glue", 2.0)]
    assert query(home, "SELECT assembly_id, state FROM assemblies") == [(1, "completed")]
    assert built(home) == [(reference(home), "built")]
    assert run_json(home, "jobs") == (0, [])


def test_a_rerun_after_completion_reports_it_and_builds_nothing_again(monkeypatch: pytest.MonkeyPatch,
                                                                      home: Path) -> None:
    completed_undelivered(monkeypatch, home)
    again = script(home, *COMMAND)
    assert again.returncode == 0, again.stdout + again.stderr
    lines = again.stdout.splitlines()
    assert lines[1] == "  already completed before (assembly-1): reported as it is, not built again"
    assert lines[-1] == "recorded"
    code, report = run_json(home, *COMMAND)
    assert code == 0 and (report["completed_before"], report["assembly_id"], report["progress"]) == (True, 1, "recorded")
    assert query(home, "SELECT assembly_id, state FROM assemblies") == [(1, "completed")]
    assert built(home) == [(reference(home), "built")]


# -- scanner-app jobs ------------------------------------------------------------------------------
def test_jobs_lists_an_open_assembly_and_resume_finishes_the_whole_command(monkeypatch: pytest.MonkeyPatch,
                                                                          home: Path) -> None:
    half_done(monkeypatch, home, 1)
    ref = reference(home)
    code, jobs = run_json(home, "jobs")
    assert code == 0 and [(j["id"], j["document"], j["warehouse_id"], j["holds"], j["how_to_finish"]) for j in jobs] == [
        ("assembly-1", f"assembly {ref}", "W1",
         f"kit 1 x Repair kit ({ref}); ticked: Screw pack 1 of 2, Drill 0 of 1, Glue 0 of 2",
         ("finishes the `scanner-app assemble` command that started it (5 component(s) given): ticks the rest, "
          "completes and delivers"))]
    resumed = script(home, "jobs", "resume", "assembly-1")
    assert (resumed.returncode, resumed.stdout.strip()) == (0, f"finished assembly-1 (1 x Repair kit ({ref})): recorded")
    assert built(home) == [(ref, "built")]
    assert run_json(home, "jobs") == (0, [])
    code, again = run_json(home, *COMMAND)  # the script's own re-run afterwards: reports, builds nothing
    assert code == 0 and again["completed_before"] is True and built(home) == [(ref, "built")]


@pytest.fixture
def window_assembly(home: Path) -> Iterator[Any]:
    """``open(*codes, hold=False)``: an assembly of the repair kit opened as the window does
    (no plan) with ``codes`` scanned, left as a closed window leaves it (or still held)."""
    opened: list[tuple[InventoryStore, AssemblyWorkflow, bool]] = []

    def open_(*codes: str, hold: bool = False) -> AssemblyWorkflow:
        store = InventoryStore(home / "data" / "inventory.sqlite3")
        bench = AssemblyWorkflow(Outbox(store), EMBEDDED_TARGET, today=lambda: TODAY)
        bench.choose("W1", "B1", 1)
        scan = scanner_for(store, bench)
        assert scan("KIT-REP").verdict == "kit_started"
        for code in codes:
            assert scan(code).accepted, code
        if not hold:
            bench.close()
        opened.append((store, bench, hold))
        return bench

    yield open_
    for store, bench, hold in opened:
        if hold:
            bench.close()
        store.close()


def test_resume_of_a_window_assembly_says_what_is_missing_and_changes_nothing(home: Path,
                                                                               window_assembly: Any) -> None:
    window_assembly("SCR-10", "DRL-18", "SN-1")
    ref = reference(home)
    _, jobs = run_json(home, "jobs")
    assert jobs[0]["how_to_finish"] == ("nothing: components still to scan: Screw pack 1 more, Glue 2 more; scan them "
                                        "in the window, or cancel it")
    resumed = script(home, "jobs", "resume", "assembly-1")
    assert (resumed.returncode, resumed.stdout.strip()) == (
        1, (f"not done: assembly-1 (1 x Repair kit ({ref})) cannot be completed: components still to scan: Screw "
            "pack 1 more, Glue 2 more; nothing was changed (scan them in the window, or `scanner-app jobs cancel "
            "assembly-1`)"))
    assert query(home, "SELECT state FROM assemblies") == [("open",)] and built(home) == []


def test_resume_completes_a_window_assembly_with_everything_ticked(home: Path, window_assembly: Any) -> None:
    window_assembly("SCR-10", "SCR-10", "DRL-18", "SN-1", "GLU-50", "GL-OK", "GLU-50", "GL-OK")
    _, jobs = run_json(home, "jobs")
    assert jobs[0]["how_to_finish"] == "completes it (every component is ticked) and delivers"
    code, outcome = run_json(home, "jobs", "resume", "assembly-1")
    assert (code, outcome["done"], outcome["details"]["progress"]) == (0, True, "recorded")
    assert built(home) == [(reference(home), "built")]


def test_cancel_releases_the_units_the_assembly_held(home: Path, window_assembly: Any) -> None:
    window_assembly("DRL-18", "SN-1", "GLU-50", "GL-OK")
    ref = reference(home)
    code, outcome = run_json(home, "jobs", "cancel", "assembly-1")
    assert (code, outcome["message"]) == (
        0, (f"cancelled assembly-1 (1 x Repair kit ({ref})): released 1 serial number, 1 batch quantity "
            "(2 component units ticked)"))
    assert [(u["item_id"], u["serialnumber"], u["batch_id"]) for u in outcome["details"]["released"]] == [
        ("DRL", "SN-1", None), ("GLU", None, "bt-GL-OK")]
    assert query(home, "SELECT state FROM assemblies") == [("cancelled",)]
    taken = script(home, "dispatch", "--entity-type", "salesorder", "--entity-id", "SO-1", "--warehouse", "W1",
                   "--item", "DRL-18", "--serial", "SN-1")
    assert taken.returncode == 0, taken.stdout  # released: a dispatch may take it now


def test_an_assembly_held_by_a_live_process_is_left_alone(monkeypatch: pytest.MonkeyPatch, home: Path,
                                                          window_assembly: Any) -> None:
    window_assembly("SCR-10", hold=True)
    _, jobs = run_json(home, "jobs")
    assert jobs[0]["how_to_finish"] == f"nothing now: {HELD}"
    for action in ("resume", "cancel"):
        done = script(home, "jobs", action, "assembly-1")
        assert (done.returncode, done.stdout.strip()) == (1, f"not done: {HELD}")
    assert query(home, "SELECT state FROM assemblies") == [("open",)]


# -- the window ------------------------------------------------------------------------------------
def test_the_window_does_not_load_an_open_assembly_another_process_holds(qtbot: Any, station_for: Any) -> None:
    from scanner_app.jobs.ownership import JobOwnership
    from scanner_app.ui.main_window import MainWindow

    station = station_for(kit_catalogue())
    left = AssemblyWorkflow(Outbox(station.inventory), EMBEDDED_TARGET, today=lambda: TODAY)
    left.choose("W1", "B1", 1)
    assert scanner_for(station.inventory, left)("KIT-REP").verdict == "kit_started"
    left.close()  # a window that was killed: its assembly stays open
    other = JobOwnership(station.inventory.path, "assembly", 1)  # `jobs resume assembly-1` elsewhere
    assert other.take()
    try:
        window = MainWindow(station)
        qtbot.addWidget(window)
        window.show()
        page = window.assemble_page
        qtbot.waitUntil(lambda: page.banner_state == "refused")
        assert page.banner.current.message.text() == f"The open assembly was not loaded here: {HELD}"
        assert window.assemble.workflow.assembly is None
        window.close()
    finally:
        other.release()
    again = MainWindow(station)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(lambda: again.assemble.workflow.assembly is not None)
    assert again.assemble.workflow.assembly.assembly_id == 1
    again.close()


# -- --reference: the same build of untracked components ---------------------------------------------
def untracked_kit_home(tmp_path: Path) -> Path:
    catalogue = kit_catalogue()
    catalogue["composite_items"].append(
        {"composite_item_id": "KBOX", "name": "Box kit", "sku": "KIT-BOX",
         "mapped_items": [{"item_id": "BOX", "quantity": 1}, {"item_id": "SCR", "quantity": 1}]})
    return script_home(tmp_path, catalogue)


def box_kit(*extra: str) -> tuple[str, ...]:
    return ("assemble", "--kit", "KIT-BOX", "--warehouse", "W1", "--location", "A-01-01",
            "--component", "BOX-1", "--component", "SCR-10", *extra)


def test_a_rerun_with_the_same_reference_reports_the_build_without_serials_instead_of_building_again(
        tmp_path: Path) -> None:
    home = untracked_kit_home(tmp_path)
    code, first = run_json(home, *box_kit("--reference", "WO-7"))
    assert code == 0 and first["recorded"] is True
    code, again = run_json(home, *box_kit("--reference", "WO-7"))
    assert code == 0 and (again["completed_before"], again["assembly_id"]) == (True, 1)
    assert len(built(home)) == 1  # one kit built, not two
    assert query(home, "SELECT quantity FROM item_stock WHERE item_id = 'BOX'") == [(1.0,)]
    # without a reference the bench builds the same kit again, on purpose
    code, second = run_json(home, *box_kit())
    assert code == 0 and second["completed_before"] is False and len(built(home)) == 2


def test_a_reference_used_by_another_build_is_refused_and_nothing_is_recorded(tmp_path: Path) -> None:
    home = untracked_kit_home(tmp_path)
    assert run_json(home, *box_kit("--reference", "WO-7"))[0] == 0
    other = script(home, "assemble", "--kit", "KIT-BOX", "--quantity", "2", "--warehouse", "W1", "--location",
                   "A-01-01", "--reference", "WO-7", "--component", "BOX-1", "--component", "SCR-10")
    assert other.returncode == 1
    assert other.stdout.splitlines()[-1] == (
        "not done: reference WO-7 is assembly-1's, completed, built with other arguments; nothing was recorded: "
        "a different build needs its own --reference")
    assert query(home, "SELECT assembly_id, state FROM assemblies") == [(1, "completed")]
