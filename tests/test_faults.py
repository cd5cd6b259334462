"""Environmental faults, met as a person meets them: a damaged, newer or held database, a
full disk, a folder or bad TOML as config.toml, a home folder the user may not enter. Each
is a real fault on real files (real subprocesses of ``scanner-app``), answered with words
saying what happened and what to do, its exit code (3: could not start; 4: failed during
the work), no traceback (unless --debug), and nothing half-written."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from scanner_app.faults import DiskFull, describe, explain, free_space
from scanner_app.inventory.schema_migrations import bundled_migrations

ROOT = Path(__file__).resolve().parent.parent
LATEST = bundled_migrations()[-1].version
ITEMS = {"items": [{"item_id": "T1", "name": "Test one", "sku": "TST-1"}]}


def cli(home: Path, *args: str, prefix: tuple[str, ...] = (), timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*prefix, sys.executable, "-m", "scanner_app", "--home", str(home), *args],
                          capture_output=True, text=True, cwd=ROOT, timeout=timeout, check=False)


def installed(home: Path) -> Path:
    """A home folder with the demo catalogue; returns its inventory database."""
    assert cli(home, "history").returncode == 0
    return home / "data" / "inventory.sqlite3"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def items_file(tmp_path: Path) -> Path:
    file = tmp_path / "items.json"
    file.write_text(json.dumps(ITEMS))
    return file


def no_traceback(out: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in out.stderr and "Traceback" not in out.stdout


# -- a damaged database ---------------------------------------------------------------------------

def test_a_file_that_is_not_a_database_is_named_and_left_as_it_was(tmp_path: Path) -> None:
    home = tmp_path / "home"
    db = home / "data" / "inventory.sqlite3"
    db.parent.mkdir(parents=True)
    db.write_bytes(bytes(range(256)) * 32)
    before = digest(db)
    out = cli(home, "lookup", "Z22-1001")
    assert out.returncode == 3
    assert out.stderr == (
        f"scanner-app: {db} is damaged (SQLite: file is not a database); nothing was written to it. What to do: "
        f"close every scanner-app, move the file aside (e.g. rename it to inventory.sqlite3.damaged) and restore "
        f"it from a backup; without one, scanner-app starts a new file there (the demo catalogue, or a Zoho sync)\n")
    assert digest(db) == before
    no_traceback(out)


def test_an_import_into_a_damaged_file_is_refused_not_reported_as_done(tmp_path: Path) -> None:
    home = tmp_path / "home"
    db = installed(home)
    size = db.stat().st_size
    with db.open("r+b") as file:  # the last three pages (4 KiB each) overwritten: pages no lookup reads
        file.seek(size - 3 * 4096)
        file.write(b"\xde\xad\xbe\xef" * 3 * 1024)
    before = digest(db)
    out = cli(home, "import", str(items_file(tmp_path)))
    assert out.returncode == 4
    assert out.stderr.startswith(f"scanner-app: {db} is damaged (SQLite: Page ")
    assert "nothing was written to it. What to do: close every scanner-app, move the file aside" in out.stderr
    assert "Imported" not in out.stdout
    assert digest(db) == before  # rolled back: not a byte of the import in the file
    no_traceback(out)


def test_debug_adds_the_traceback(tmp_path: Path) -> None:
    home = tmp_path / "home"
    db = home / "data" / "inventory.sqlite3"
    db.parent.mkdir(parents=True)
    db.write_bytes(b"not a database at all" * 100)
    out = cli(home, "--debug", "lookup", "Z22-1001")
    assert out.returncode == 3
    assert "is damaged (SQLite: file is not a database)" in out.stderr
    assert "Traceback (most recent call last)" in out.stderr
    assert "DatabaseDamaged" in out.stderr
    log = (home / "logs" / "scanner-app.log").read_text()
    assert "Traceback (most recent call last)" in log  # the log keeps it, with or without --debug


# -- a database from a newer scanner-app -----------------------------------------------------------

def test_a_database_from_a_newer_version_says_which_and_changes_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    db = installed(home)
    with sqlite3.connect(db) as conn:
        conn.execute(f"PRAGMA user_version = {LATEST + 3}")
    conn.close()
    before = digest(db)
    out = cli(home, "lookup", "Z22-1001")
    assert out.returncode == 3
    assert out.stderr == (
        f"scanner-app: {db} was written by a newer scanner-app (schema version {LATEST + 3}; this scanner-app "
        f"0.1.0 knows up to {LATEST}); nothing was changed. What to do: install the newer scanner-app, or use "
        f"another home folder (--home DIR)\n")
    assert digest(db) == before
    no_traceback(out)


# -- a database another program holds ---------------------------------------------------------------

def test_a_held_database_is_waited_for_visibly_then_refused_with_nothing_written(tmp_path: Path) -> None:
    home = tmp_path / "home"
    db = installed(home)
    (home / "config.toml").write_text("[storage]\nlock_wait_seconds = 1\n")
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        out = cli(home, "import", str(items_file(tmp_path)))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert out.returncode == 4
    assert out.stderr == (
        f"scanner-app: waiting for {db}, held by another program (up to 1 s)...\n"
        f"scanner-app: {db} is held by another program: waited 1 s for it and gave up; nothing was changed. "
        f"What to do: close the other program (another scanner-app, a database browser, a backup tool) and try "
        f"again, or allow a longer wait with [storage] lock_wait_seconds in config.toml\n")
    assert cli(home, "lookup", "TST-1").returncode == 1  # not imported
    no_traceback(out)


def test_a_lock_released_while_waiting_lets_the_work_finish(tmp_path: Path) -> None:
    home = tmp_path / "home"
    db = installed(home)
    (home / "config.toml").write_text("[storage]\nlock_wait_seconds = 60\n")
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    command = subprocess.Popen([sys.executable, "-m", "scanner_app", "--home", str(home), "import",
                                str(items_file(tmp_path))], cwd=ROOT, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        assert command.stderr is not None
        first = command.stderr.readline()  # said as soon as the first short wait runs out
        assert first == f"scanner-app: waiting for {db}, held by another program (up to 60 s)...\n"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    out, err = command.communicate(timeout=60)
    assert command.returncode == 0, err
    assert out.startswith("Imported ")
    assert cli(home, "lookup", "TST-1").returncode == 0


# -- config.toml ------------------------------------------------------------------------------------

def test_a_folder_as_config_toml_is_named(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "config.toml").mkdir(parents=True)
    out = cli(home, "lookup", "Z22-1001")
    assert out.returncode == 3
    assert out.stderr == (
        f"scanner-app: {home / 'config.toml'} is a folder, not a settings file: move it aside (scanner-app then "
        f"starts with the default settings and writes the file when a setting is saved)\n")
    no_traceback(out)


def test_bad_toml_says_which_file_and_what_to_do(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    (home / "config.toml").write_text("[feedback\nvolume = 1\n")
    out = cli(home, "lookup", "Z22-1001")
    assert out.returncode == 3
    assert out.stderr.startswith(f"scanner-app: {home / 'config.toml'} is not valid TOML (")
    assert out.stderr.endswith("): fix it, or move it aside to start with the default settings\n")
    no_traceback(out)


# -- permissions ------------------------------------------------------------------------------------

def _without_root_override() -> tuple[str, ...]:
    """A prefix that runs a command without the power to ignore file permissions: as root,
    drop CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH; as another user nothing is needed."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: permissions cannot be denied")
    return (setpriv, "--bounding-set=-dac_override,-dac_read_search")


def test_a_home_folder_the_user_may_not_enter_is_named(tmp_path: Path) -> None:
    prefix = _without_root_override()
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0)
    try:
        out = cli(home, "lookup", "Z22-1001", prefix=prefix)
    finally:
        home.chmod(0o755)
    assert out.returncode == 3
    assert out.stderr.startswith(f"scanner-app: permission denied: {home / 'data'} (Permission denied); "
                                 f"nothing was changed. What to do: let the user running scanner-app (")
    assert out.stderr.endswith(") read and write it, or use another home folder (--home DIR)\n")
    assert list(home.iterdir()) == []
    no_traceback(out)


def test_a_database_the_user_may_only_read_is_named(tmp_path: Path) -> None:
    prefix = _without_root_override()
    home = tmp_path / "home"
    db = installed(home)
    before = digest(db)
    (home / "data").chmod(0o555)
    db.chmod(0o444)
    try:
        out = cli(home, "import", str(items_file(tmp_path)), prefix=prefix)
    finally:
        (home / "data").chmod(0o755)
        db.chmod(0o644)
    assert out.returncode == 3
    assert out.stderr.startswith(f"scanner-app: permission denied: {db} (")
    assert digest(db) == before
    no_traceback(out)


# -- a full disk ------------------------------------------------------------------------------------

def _can_mount_tmpfs() -> bool:
    if not sys.platform.startswith("linux") or shutil.which("unshare") is None or os.geteuid() != 0:
        return False
    probe = subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c",
                            "mount -t tmpfs -o size=64k tmpfs /mnt"], capture_output=True, timeout=30, check=False)
    return probe.returncode == 0


def test_a_full_disk_is_named_with_its_free_space_and_nothing_is_half_written(tmp_path: Path) -> None:
    """A real 3 MB tmpfs (in a private mount namespace, so nothing leaks), nearly filled,
    then a 3,000-item import: SQLite's SQLITE_FULL, rolled back, said in words."""
    if not _can_mount_tmpfs():
        pytest.skip("needs root and unshare to mount a small tmpfs")
    catalogue = tmp_path / "big.json"
    catalogue.write_text(json.dumps({"items": [{"item_id": f"B{i}", "name": f"Big item {i} " + "x" * 200,
                                                "sku": f"BIG-{i}"} for i in range(3000)]}))
    disk = tmp_path / "disk"
    disk.mkdir()
    home = disk / "home"
    py = f"{sys.executable} -m scanner_app --home {home}"
    script = f"""
set -e
mount -t tmpfs -o size=3m tmpfs {disk}
{py} history > /dev/null
head -c $(( $(df -k --output=avail {disk} | tail -1) * 1024 - 150000 )) /dev/zero > {disk}/filler
set +e
{py} import {catalogue} > {tmp_path}/out.txt 2> {tmp_path}/err.txt
echo $? > {tmp_path}/code.txt
{py} lookup BIG-1 > /dev/null 2>&1; echo $? > {tmp_path}/lookup.txt
{py} lookup Z22-1001 > /dev/null 2>&1; echo $? >> {tmp_path}/lookup.txt
"""
    subprocess.run(["unshare", "-m", "--propagation", "private", "sh", "-c", script], cwd=ROOT, check=True,
                   timeout=120)
    err = (tmp_path / "err.txt").read_text()
    assert (tmp_path / "code.txt").read_text().strip() == "4", err
    assert err.startswith(f"scanner-app: the disk holding {home / 'data'} is full (")
    assert err.endswith(" free); nothing from this step was saved. What to do: free some space on that disk, "
                        "then try again\n")
    assert "Traceback" not in err
    assert (tmp_path / "out.txt").read_text() == ""
    # nothing half-written: not one of the 3,000 items, and the demo catalogue still answers
    assert (tmp_path / "lookup.txt").read_text().split() == ["1", "0"]


# -- the mapping itself -----------------------------------------------------------------------------

def test_os_errors_are_read_as_faults(tmp_path: Path) -> None:
    full = OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "config.toml.tmp"))
    assert describe(full) == (f"the disk holding {tmp_path} is full ({free_space(tmp_path)} free); nothing from "
                              f"this step was saved. What to do: free some space on that disk, then try again")
    denied = PermissionError(errno.EACCES, "Permission denied", str(tmp_path / "logs"))
    words = describe(denied)
    assert words is not None and words.startswith(f"permission denied: {tmp_path / 'logs'} (Permission denied)")
    assert describe(OSError(errno.ECONNRESET, "reset")) is None
    assert describe(ValueError("a bug")) is None
    assert isinstance(DiskFull(tmp_path).path, Path)


def test_a_raw_sqlite_error_names_the_damaged_file(tmp_path: Path) -> None:
    good, bad = tmp_path / "history.sqlite3", tmp_path / "inventory.sqlite3"
    sqlite3.connect(good).close()
    bad.write_bytes(b"garbage" * 1000)
    words = describe(sqlite3.DatabaseError("database disk image is malformed"), tmp_path)
    assert words is not None and words.startswith(f"{bad} is damaged (SQLite: database disk image is malformed)")


def test_anything_else_is_called_a_bug_and_points_at_the_log(tmp_path: Path) -> None:
    words, environmental = explain(KeyError("x"), tmp_path, tmp_path / "scanner-app.log")
    assert not environmental
    assert words == (f"stopped on an unexpected error (KeyError: 'x'); this is a bug: the details are in "
                     f"{tmp_path / 'scanner-app.log'}")
