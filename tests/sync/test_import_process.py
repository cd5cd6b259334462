"""Pages imported by a child process: the same answer as on a thread, into the same
file; a dead child fails its page and the next page starts a new one."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from scanner_app.inventory.store import InventoryStore
from scanner_app.sync.import_process import ImportProcess, ImportProcessFailed


def test_a_page_goes_in_from_the_child(store: InventoryStore) -> None:
    process = ImportProcess(store.path)
    try:
        report, skipped = process.import_records({"items": [
            {"item_id": "1", "name": "Tape", "sku": "TAPE"},
            {"item_id": "2", "name": "Bad barcode", "upc": "036000291453"},
        ]})
        assert process.pid not in (None, os.getpid())
        assert report.items == 1 and [s.label for s in skipped] == ["Bad barcode"]
        assert store.get_item("1") is not None  # written to the file this process reads

        # a child that died between pages is replaced: the next page goes in through a new
        # one (the death is waited for, so the test does not race the kernel's reaping; a
        # child dying during a page is test_a_child_that_cannot_open_the_store_fails_the_page)
        first = process.pid
        assert first is not None
        os.kill(first, 9)
        deadline = time.monotonic() + 30
        while process._worker.died() is False and time.monotonic() < deadline:
            time.sleep(0.01)
        assert process._worker.died() == -9
        process.import_records({"items": [{"item_id": "3", "name": "Glue"}]})
        assert process.pid != first and store.get_item("3") is not None
        assert process._worker.restarts == 1
    finally:
        process.close()
    assert process.pid is None
    with pytest.raises(ImportProcessFailed, match="closed"):
        process.import_records({"items": [{"item_id": "4", "name": "Late"}]})


def test_a_child_that_cannot_open_the_store_fails_the_page(tmp_path: Path) -> None:
    broken = tmp_path / "inventory.sqlite3"
    broken.write_bytes(b"this is not an SQLite database, whatever its name says" * 100)
    process = ImportProcess(broken)
    try:
        with pytest.raises(ImportProcessFailed, match="died"):
            process.import_records({"items": [{"item_id": "1", "name": "Tape"}]})
    finally:
        process.close()
