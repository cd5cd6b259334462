"""Kill trials: ``kill -9`` at random moments of the CLI's jobs, then the README's recovery.

Each trial runs one ``scanner-app`` job command as its own process on one station (the
embedded inventory), kills it with SIGKILL after a random delay, then recovers the way the
README says a person or a script does: run the same command again (every fourth trial:
``scanner-app jobs`` lists what is open and ``jobs resume ID`` finishes it, then the same
command runs again and must only report). The jobs, in turn, with fresh numbers each time:

- ``receive --from serials.csv`` (120 new serial numbers of a serial-tracked item),
- ``dispatch`` of 119 of them to a new sales order,
- ``receive --from batches.csv`` (thirty batches of a batch-tracked item, one reference),
- ``assemble`` of a kit (the last serial-tracked unit and thirty untracked units).

When to kill: an unkilled run of each job first, its database polled every few
milliseconds, says when the job is open and when it is done; 60 % of the kills land at a
random moment of the open phase (where a kill leaves the most behind), the rest anywhere
from late in the start-up to just past the end (before the job exists, after it is done,
during delivery).

After each recovery the station must hold exactly what the command asked, once: no open
job left (``scanner-app jobs --json`` is empty), every serial received once / mapped once
to its document, every batch's quantity exactly the file's (never doubled), the kit's
stock up by one and its components down by one kit's worth, and ``PRAGMA integrity_check``
``ok``. The tally says where the kills landed (before the job existed, while it was open,
after it completed), how many recoveries were needed and every failure.

Checks (correctness, judged in ``--quick`` too): stuck = 0, lost = 0, doubled = 0,
integrity failures = 0, recovery failures = 0, and every kill done. ``--kills`` (default
200; quick: 8). No speed target: the run's figures are the tally.

    .venv/bin/python benchmarks/kill_trials.py [--kills 200] [--seed 1] [--quick]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from verdict import Verdict, add_arguments, sizes

ROOT = Path(__file__).resolve().parents[1]
SERIALS_PER_RECEIPT = 120
BATCH_QUANTITIES = (5, 7, 11) * 10  # thirty batches in one file
LABELS_PER_KIT = 30
AIMED = 0.6  # of the kills, the share aimed inside the job's open phase (the rest: anywhere)
CHECKS = {"stuck": "open jobs left after recovery", "lost": "lines asked for and not recorded after recovery",
          "doubled": "lines recorded more than once", "integrity_failures": "PRAGMA integrity_check not ok",
          "recovery_failures": "recoveries that did not exit 0"}

CATALOGUE = {
    "warehouses": [{"warehouse_id": "wh-kt", "warehouse_name": "Kill Trial Warehouse"}],
    "storage_locations": [
        {"storage_location_id": "bin-kt-in", "location_id": "wh-kt", "storage_location_code": "KT-IN",
         "storage_location_name": "Receiving"},
        {"storage_location_id": "bin-kt-pick", "location_id": "wh-kt", "storage_location_code": "KT-PICK",
         "storage_location_name": "Picking"}],
    "items": [
        {"item_id": "kt-serial", "name": "Trial scanner", "sku": "KT-SCAN", "unit": "pcs", "status": "active",
         "track_serial_number": True, "track_batch_number": False},
        {"item_id": "kt-batch", "name": "Trial gel", "sku": "KT-GEL", "unit": "bottle", "status": "active",
         "track_serial_number": False, "track_batch_number": True},
        {"item_id": "kt-plain", "name": "Trial labels", "sku": "KT-LBL", "unit": "roll", "status": "active",
         "track_serial_number": False, "track_batch_number": False,
         "locations": [{"location_id": "wh-kt", "location_name": "Kill Trial Warehouse",
                        "location_stock_on_hand": 100000,
                        "storages": [{"storage_location_id": "bin-kt-pick", "quantity": 100000}]}]}],
    "composite_items": [
        {"composite_item_id": "kt-kit", "name": "Trial kit", "sku": "KT-KIT", "unit": "kit", "status": "active",
         "is_combo_product": True, "mapped_items": [{"item_id": "kt-serial", "quantity": 1},
                                                    {"item_id": "kt-plain", "quantity": LABELS_PER_KIT}]}],
    "batches": [],
    "serial_numbers": [],
}


@dataclass
class Tally:
    kills: int = 0
    landed: Counter[str] = field(default_factory=Counter)  # where the kill hit
    by_job: Counter[str] = field(default_factory=Counter)
    stuck: int = 0
    lost: int = 0
    doubled: int = 0
    integrity_failures: int = 0
    recovery_failures: int = 0
    failures: list[str] = field(default_factory=list)

    def fail(self, what: str, trial: str, detail: str) -> None:
        self.fail_lines(what, trial, [detail])

    def fail_lines(self, what: str, trial: str, details: list[str]) -> None:
        """``details``: one per line lost, doubled...; counted one by one, said once."""
        if details:
            setattr(self, what, getattr(self, what) + len(details))
            more = f" and {len(details) - 3} more" if len(details) > 3 else ""
            self.failures.append(f"{trial}: {what} {len(details)}: {'; '.join(details[:3])}{more}")


class Station:
    """One home folder and the CLI run against it."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.env = dict(os.environ, SCANNER_APP_HOME=str(home), PYTHONUNBUFFERED="1")
        self.env.pop("SCANNER_APP_DEBUG", None)

    def argv(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "scanner_app", "--home", str(self.home), *args]

    def run(self, *args: str, timeout: float = 180.0) -> subprocess.CompletedProcess[str]:
        return subprocess.run(self.argv(*args), check=False, env=self.env, cwd=ROOT, capture_output=True, text=True,
                              timeout=timeout)

    def start(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(self.argv(*args), env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, text=True)

    def db(self) -> sqlite3.Connection:
        return sqlite3.connect(self.home / "data" / "inventory.sqlite3", timeout=30)

    def open_jobs(self) -> list[dict[str, Any]]:
        done = self.run("jobs", "--json")
        if done.returncode != 0:
            raise RuntimeError(f"`jobs --json` exited {done.returncode}: {done.stderr.strip()}")
        return list(json.loads(done.stdout))


def scalar(conn: sqlite3.Connection, sql: str, *params: Any) -> Any:
    row = conn.execute(sql, params).fetchone()
    return row[0] if row else None


class Job:
    """One trial's command, what it asks for, and how to check it was done exactly once."""

    name = ""

    def __init__(self, station: Station, number: int, folder: Path) -> None:
        self.station, self.number, self.folder = station, number, folder

    def args(self) -> list[str]:
        raise NotImplementedError

    def check(self, conn: sqlite3.Connection, tally: Tally, trial: str) -> None:
        raise NotImplementedError


def _csv(path: Path, rows: list[dict[str, Any]]) -> Path:
    header = ["item", "batch", "manufacturer_batch", "manufactured", "expiry", "quantity", "serial"]
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, header)
        writer.writeheader()
        for row in rows:
            writer.writerow({key: row.get(key, "") for key in header})
    return path


class ReceiveSerials(Job):
    name = "receive serials"

    def serials(self) -> list[str]:
        return [f"KT{self.number:04d}-{i:02d}" for i in range(SERIALS_PER_RECEIPT)]

    def args(self) -> list[str]:
        path = _csv(self.folder / f"serials-{self.number}.csv",
                    [{"item": "KT-SCAN", "quantity": 1, "serial": s} for s in self.serials()])
        return ["receive", "--from", str(path), "--warehouse", "wh-kt", "--bin", "KT-IN",
                "--reference", f"ASN-S{self.number}"]

    def check(self, conn: sqlite3.Connection, tally: Tally, trial: str) -> None:
        lost, doubled = [], []
        for serial in self.serials():
            count = scalar(conn, "SELECT COUNT(*) FROM serial_numbers WHERE item_id = 'kt-serial'"
                                 " AND serialnumber = ?", serial)
            if count == 0:
                lost.append(f"serial {serial} not received")
            elif count > 1:
                doubled.append(f"serial {serial} received {count} times")
        tally.fail_lines("lost", trial, lost)
        tally.fail_lines("doubled", trial, doubled)


class Dispatch(Job):
    name = "dispatch"

    def __init__(self, station: Station, number: int, folder: Path, serials: list[str]) -> None:
        super().__init__(station, number, folder)
        self.serials = serials

    def args(self) -> list[str]:
        args = ["dispatch", "--entity-type", "salesorder", "--entity-id", f"SO-KT-{self.number}",
                "--warehouse", "wh-kt", "--item", "KT-SCAN"]
        for serial in self.serials:
            args += ["--serial", serial]
        return args

    def check(self, conn: sqlite3.Connection, tally: Tally, trial: str) -> None:
        lost, doubled = [], []
        for serial in self.serials:
            rows = conn.execute("SELECT entity_type, entity_id FROM embedded_serial_mappings"
                                " WHERE item_id = 'kt-serial' AND serialnumber = ?", (serial,)).fetchall()
            if not rows:
                lost.append(f"serial {serial} not mapped")
            elif len(rows) > 1 or rows[0][1] != f"SO-KT-{self.number}":
                doubled.append(f"serial {serial} mapped as {rows}")
        tally.fail_lines("lost", trial, lost)
        tally.fail_lines("doubled", trial, doubled)


class ReceiveBatches(Job):
    name = "receive batches"

    def batches(self) -> list[tuple[str, int]]:
        return [(f"KTB{self.number:04d}-{i}", q) for i, q in enumerate(BATCH_QUANTITIES)]

    def args(self) -> list[str]:
        path = _csv(self.folder / f"batches-{self.number}.csv",
                    [{"item": "KT-GEL", "batch": b, "expiry": "2036-12-31", "quantity": q} for b, q in self.batches()])
        return ["receive", "--from", str(path), "--warehouse", "wh-kt", "--bin", "KT-IN",
                "--reference", f"ASN-B{self.number}"]

    def check(self, conn: sqlite3.Connection, tally: Tally, trial: str) -> None:
        for batch, quantity in self.batches():
            rows = conn.execute("SELECT balance_quantity FROM batches WHERE item_id = 'kt-batch'"
                                " AND batch_number = ?", (batch,)).fetchall()
            total = sum(float(r[0]) for r in rows)
            if not rows or total < quantity:
                tally.fail("lost", trial, f"batch {batch}: {total:g} of {quantity}")
            elif len(rows) > 1 or total > quantity:
                tally.fail("doubled", trial, f"batch {batch}: {total:g} for {quantity} ({len(rows)} rows)")


class Assemble(Job):
    name = "assemble"

    def __init__(self, station: Station, number: int, folder: Path, serial: str, before: dict[str, float]) -> None:
        super().__init__(station, number, folder)
        self.serial, self.before = serial, before

    def args(self) -> list[str]:
        return ["assemble", "--kit", "KT-KIT", "--quantity", "1", "--warehouse", "wh-kt",
                "--component", f"KT-SCAN={self.serial}", *["--component", "KT-LBL"] * LABELS_PER_KIT]

    def check(self, conn: sqlite3.Connection, tally: Tally, trial: str) -> None:
        after = stock(conn)
        kits = after["kt-kit"] - self.before["kt-kit"]
        labels = self.before["kt-plain"] - after["kt-plain"]
        expected = f"(expected +1, -{LABELS_PER_KIT})"
        if kits < 1 or labels < LABELS_PER_KIT:
            tally.fail("lost", trial, f"kit stock +{kits:g}, labels -{labels:g} {expected}")
        elif kits > 1 or labels > LABELS_PER_KIT:
            tally.fail("doubled", trial, f"kit stock +{kits:g}, labels -{labels:g} {expected}")


def stock(conn: sqlite3.Connection) -> dict[str, float]:
    """Stock on hand of the kit and the untracked component, in the trial warehouse."""
    return {item: float(scalar(conn, "SELECT COALESCE(SUM(quantity), 0) FROM item_stock WHERE item_id = ?"
                                     " AND warehouse_id = 'wh-kt'", item) or 0.0) for item in ("kt-kit", "kt-plain")}


def landed(conn: sqlite3.Connection, job: Job) -> str:
    """Where the kill hit, from what the killed process left: no job row yet, an open job, or a
    completed one."""
    if isinstance(job, Dispatch):
        state = scalar(conn, "SELECT state FROM dispatches WHERE entity_id = ? ORDER BY dispatch_id DESC",
                       f"SO-KT-{job.number}")
    elif isinstance(job, Assemble):
        state = scalar(conn, "SELECT a.state FROM assemblies AS a JOIN assembly_units AS u"
                             " ON u.assembly_id = a.assembly_id WHERE u.serialnumber = ?"
                             " ORDER BY a.assembly_id DESC", job.serial)
        state = state or ("open" if scalar(conn, "SELECT COUNT(*) FROM assemblies WHERE state = 'open'") else None)
    else:
        reference = f"ASN-{'S' if isinstance(job, ReceiveSerials) else 'B'}{job.number}"
        state = scalar(conn, "SELECT state FROM receipts WHERE reference = ? ORDER BY receipt_id DESC", reference)
    return {None: "before the job existed", "open": "while it was open"}.get(state, f"after it was {state}")


def kill(station: Station, job: Job, phases: Phases, rng: random.Random) -> None:
    """Start ``job`` and SIGKILL it: mostly (:data:`AIMED`) a random time after it is seen
    open in the database (the start-up's jitter does not move the aim), otherwise at a random
    moment of the whole run."""
    into_open = phases.into_open(rng) if rng.random() < AIMED else None
    process = station.start(*job.args())
    try:
        if into_open is None:
            process.wait(timeout=phases.anywhere(rng))
        else:
            conn = station.db()
            try:
                while process.poll() is None and _where(conn, job) != "while it was open":
                    time.sleep(0.002)
            finally:
                conn.close()
            process.wait(timeout=into_open)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
    process.wait(timeout=60)


def _where(conn: sqlite3.Connection, job: Job) -> str:
    try:
        return landed(conn, job)
    except sqlite3.OperationalError:  # held for a moment by the run's own write
        return ""


def recover(station: Station, job: Job, tally: Tally, trial: str, via_jobs: bool) -> None:
    """The README's recovery: ``scanner-app jobs`` then ``jobs resume ID`` for each open job
    (``via_jobs``), then the same command again, which must exit 0."""
    if via_jobs:
        for open_job in station.open_jobs():
            resumed = station.run("jobs", "resume", open_job["id"])
            if resumed.returncode != 0:
                tally.fail("recovery_failures", trial,
                           f"`jobs resume {open_job['id']}` exited {resumed.returncode}: "
                           f"{(resumed.stdout + resumed.stderr).strip()[-300:]}")
    again = station.run(*job.args())
    if again.returncode != 0:
        tally.fail("recovery_failures", trial, f"re-run exited {again.returncode}: "
                                               f"{(again.stdout + again.stderr).strip()[-300:]}")


@dataclass(frozen=True)
class Phases:
    """Seconds after its start when an unkilled run of a job was first seen open, first seen
    done (completed or closed) and ended; ``opened`` None when the poll never saw it open."""

    opened: float | None
    done: float | None
    ended: float

    def anywhere(self, rng: random.Random) -> float:
        """A moment from late in the start-up to just past the end."""
        return rng.uniform(0.7 * (self.opened or 0.7 * self.ended), 1.1 * self.ended)

    def into_open(self, rng: random.Random) -> float | None:
        """Seconds into the open phase, or None when a run was never seen open."""
        if self.opened is None:
            return None
        return rng.uniform(0.0, (self.done or self.ended) - self.opened)


def trial(station: Station, job: Job, phases: Phases, rng: random.Random, tally: Tally, via_jobs: bool) -> None:
    """Kill ``job`` at a random moment (:func:`kill`), recover, check."""
    name = f"{job.name} #{job.number}"
    kill(station, job, phases, rng)
    tally.kills += 1
    tally.by_job[job.name] += 1
    with station.db() as conn:
        tally.landed[landed(conn, job)] += 1
    recover(station, job, tally, name, via_jobs)
    left = station.open_jobs()
    if left:
        tally.fail("stuck", name, f"open after recovery: {[j['id'] for j in left]}")
        for open_job in left:  # keep the next trials independent of this failure
            station.run("jobs", "cancel", open_job["id"])
    conn = station.db()
    try:
        job.check(conn, tally, name)
        verdict = scalar(conn, "PRAGMA integrity_check")
        if verdict != "ok":
            tally.fail("integrity_failures", name, str(verdict))
    finally:
        conn.close()


def timed(station: Station, job: Job) -> Phases:
    """One unkilled run of ``job`` (it must succeed), its database polled every few
    milliseconds for when the job was open and when it was done."""
    process = subprocess.Popen(station.argv(*job.args()), env=station.env, cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    start = time.perf_counter()
    opened = done = None
    conn = station.db()
    try:
        while process.poll() is None:
            where = _where(conn, job)
            now = time.perf_counter() - start
            if where == "while it was open" and opened is None:
                opened = now
            elif where.startswith("after") and done is None:
                done = now
            time.sleep(0.003)
    finally:
        conn.close()
    ended = time.perf_counter() - start
    output = process.stdout.read() if process.stdout else ""
    if process.returncode != 0:
        raise SystemExit(f"the unkilled {job.name} failed (exit {process.returncode}):\n{output}")
    return Phases(opened, done, ended)


def _s(seconds: float | None) -> str:
    return "-" if seconds is None else f"{seconds:.2f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, help="SIGKILLs in all (default 200; quick: 8)")
    parser.add_argument("--seed", type=int, default=1)
    add_arguments(parser)
    args = parser.parse_args(argv)
    sizes(args, kills=(200, 8))
    verdict = Verdict.from_args("kill_trials", [], args)
    rng = random.Random(args.seed)
    tally = Tally()
    with tempfile.TemporaryDirectory(prefix="kill-trials-") as tmp:
        folder = Path(tmp)
        station = Station(folder / "home")
        (folder / "catalogue.json").write_text(json.dumps(CATALOGUE), encoding="utf-8")
        imported = station.run("import", str(folder / "catalogue.json"))
        if imported.returncode != 0:
            raise SystemExit(f"import failed: {imported.stdout}{imported.stderr}")
        # One unkilled run of each job: how long a run takes, so the kills land all along it.
        number = 0
        receive = ReceiveSerials(station, number, folder)
        base = {"receive serials": timed(station, receive)}
        base["dispatch"] = timed(station, Dispatch(station, number, folder, receive.serials()[:-1]))
        base["receive batches"] = timed(station, ReceiveBatches(station, number, folder))
        with station.db() as conn:
            before = stock(conn)
        base["assemble"] = timed(station, Assemble(station, number, folder, receive.serials()[-1], before))
        print("unkilled runs, s (first seen open / done / ended): " + ", ".join(
            f"{name} {_s(p.opened)}/{_s(p.done)}/{p.ended:.2f}" for name, p in base.items()), flush=True)
        windows = base
        while tally.kills < args.kills:
            number += 1
            receive = ReceiveSerials(station, number, folder)
            cycle: list[Job] = [receive, Dispatch(station, number, folder, receive.serials()[:-1]),
                                ReceiveBatches(station, number, folder)]
            for job in cycle:
                if tally.kills < args.kills:
                    trial(station, job, windows[job.name], rng, tally, via_jobs=tally.kills % 4 == 3)
            if tally.kills < args.kills:
                with station.db() as conn:
                    before = stock(conn)
                trial(station, Assemble(station, number, folder, receive.serials()[-1], before),
                      windows["assemble"], rng, tally, via_jobs=tally.kills % 4 == 3)
            print(f"  {tally.kills} kills, {len(tally.failures)} failures", flush=True)
    print(f"kills: {tally.kills} (" + ", ".join(f"{name} {n}" for name, n in sorted(tally.by_job.items())) + ")")
    print("where they landed: " + ", ".join(f"{where} {n}" for where, n in sorted(tally.landed.items())))
    for failure in tally.failures[:40]:
        print(f"  {failure}")
    for name, what in CHECKS.items():
        count = getattr(tally, name)
        verdict.check(f"{name} = 0 ({what})", count == 0, f"{count}")
    verdict.check(f"{tally.kills} kills done", tally.kills >= args.kills)
    return verdict.finish()


if __name__ == "__main__":
    sys.exit(main())
