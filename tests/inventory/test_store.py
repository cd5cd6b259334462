"""The store's file: migrations from empty, idempotent reopening, pragmas, threads."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from scanner_app.inventory.schema_migrations import (
    Migration,
    MigrationError,
    bundled_migrations,
    migrate,
    split_statements,
)
from scanner_app.inventory.store import InventoryStore, StoreClosed
from tests.inventory.helpers import table_counts

LATEST = bundled_migrations()[-1].version


def test_new_file_is_migrated_to_the_latest_version(tmp_path: Path) -> None:
    with InventoryStore(tmp_path / "sub" / "inv.sqlite3") as store:
        assert store.schema_version() == LATEST >= 1
        assert table_counts(store) == dict.fromkeys(table_counts(store), 0)
        conn = store.connection()
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_reopening_keeps_data_and_runs_no_migration(loaded: InventoryStore) -> None:
    before = table_counts(loaded)
    path = loaded.path
    loaded.close()
    with InventoryStore(path) as again:
        assert again.schema_version() == LATEST
        assert table_counts(again) == before
        # running the migrations once more is a no-op too
        assert migrate(again.connection()) == LATEST
        assert table_counts(again) == before


def test_a_database_newer_than_the_program_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "inv.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {LATEST + 1}")
    conn.close()
    with pytest.raises(MigrationError, match="newer"):
        InventoryStore(path)


def test_a_failing_migration_leaves_the_previous_version(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "x.sqlite3", isolation_level=None)
    good = Migration(1, "0001_a.sql", "CREATE TABLE a (x);")
    bad = Migration(2, "0002_b.sql", "CREATE TABLE b (x); INSERT INTO nowhere VALUES (1);")
    with pytest.raises(sqlite3.OperationalError):
        migrate(conn, [good, bad])
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert "a" in names and "b" not in names
    conn.close()


def test_statements_are_split_at_real_semicolons_only() -> None:
    sql = "-- a comment; with a semicolon\nCREATE TABLE t (x TEXT DEFAULT 'a;b');\nINSERT INTO t VALUES ('c;d');\n"
    assert split_statements(sql) == [
        "-- a comment; with a semicolon\nCREATE TABLE t (x TEXT DEFAULT 'a;b');",
        "INSERT INTO t VALUES ('c;d');",
    ]


def test_each_thread_gets_its_own_connection_and_close_closes_all(loaded: InventoryStore) -> None:
    seen: list[tuple[int, int]] = []

    def read() -> None:
        seen.append((id(loaded.connection()), loaded.count_items()))

    threads = [threading.Thread(target=read) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ids = {conn_id for conn_id, _ in seen} | {id(loaded.connection())}
    assert len(ids) == 4
    assert {count for _, count in seen} == {loaded.count_items()}
    loaded.close()
    loaded.close()  # idempotent
    with pytest.raises(StoreClosed):
        loaded.count_items()


def test_a_failed_transaction_writes_nothing(store: InventoryStore) -> None:
    with pytest.raises(RuntimeError), store.transaction() as conn:
        conn.execute("INSERT INTO warehouses VALUES ('W9', 'Nine')")
        raise RuntimeError("boom")
    assert store.warehouses() == []


def test_readers(loaded: InventoryStore) -> None:
    assert [w.name for w in loaded.warehouses()] == ["Main", "Overflow"]
    assert [b.code for b in loaded.bins()] == ["A-01-01", "A-01-02"]
    assert [b.warehouse_name for b in loaded.bins("W1")] == ["Main", "Main"]
    assert loaded.bins("W2") == []
    assert loaded.count_items() == 5
    assert loaded.get_item("nope") is None
    item = loaded.get_item("I1")
    assert item is not None and item.name == "Tissues"
    serial = loaded.get_serial("S1")
    assert serial is not None and serial.bin_code == "A-01-01"
    batch = loaded.get_batch("BA1")
    assert batch is not None and batch.expiry_date == "2030-06-30"
