"""Crash safety: a process recording and delivering outbox entries is killed with SIGKILL
at random moments, again and again; a last run finishes the work. Afterwards every
recorded dispatch row has its entry, every entry was delivered and applied exactly once,
and both databases pass ``PRAGMA integrity_check``."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
KILLS = 25
ENTRIES_PER_RUN = 40

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


def start_worker(folder: Path, round_number: int, entries: int) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "tests.outbox.crash_worker", str(folder), str(round_number),
                             str(entries)], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def ready_line(worker: subprocess.Popen[str]) -> str:
    assert worker.stdout is not None
    line = worker.stdout.readline()
    assert line.startswith("ready"), (line, worker.stderr.read() if worker.stderr else "")
    return line


def read_all(path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_killed_again_and_again_every_entry_is_delivered_exactly_once(tmp_path: Path) -> None:
    rng = random.Random(2024)
    recovered_in_flight = killed_mid_run = 0
    for round_number in range(KILLS):
        worker = start_worker(tmp_path, round_number, ENTRIES_PER_RUN)
        recovered_in_flight += int(ready_line(worker).split()[1])
        time.sleep(rng.uniform(0, 0.12))
        if worker.poll() is None:
            killed_mid_run += 1
        os.kill(worker.pid, signal.SIGKILL)
        worker.communicate(timeout=10)
    finisher = start_worker(tmp_path, KILLS, 0)
    recovered_in_flight += int(ready_line(finisher).split()[1])
    out, err = finisher.communicate(timeout=60)
    assert finisher.returncode == 0 and out.strip() == "done 0", (out, err)

    inventory, server = tmp_path / "inventory.sqlite3", tmp_path / "server.sqlite3"
    rows = {str(k) for (k,) in read_all(inventory, "SELECT key FROM crash_dispatch")}
    entries = read_all(inventory, "SELECT json_extract(payload, '$.key'), state FROM outbox_entries")
    applied = Counter(str(k) for (k,) in read_all(server, "SELECT key FROM applied"))
    print(f"\n{KILLS} kills ({killed_mid_run} mid-run), {len(entries)} entries, "
          f"{recovered_in_flight} left in flight by a kill and re-checked")
    assert rows and sorted(str(k) for k, _ in entries) == sorted(rows)  # each saved row has its one entry
    assert {state for _, state in entries} == {"delivered"}
    assert applied == Counter(dict.fromkeys(rows, 1))  # exactly once, nothing extra
    for database in (inventory, server):
        assert read_all(database, "PRAGMA integrity_check") == [("ok",)]
    assert killed_mid_run >= KILLS // 2 and recovered_in_flight > 0  # the kills did land mid-delivery
