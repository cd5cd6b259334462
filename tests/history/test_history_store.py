"""The scan history: durable, newest first, every field kept, one file per home."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from scanner_app.codes.classification import Classification, CodeKind
from scanner_app.history import HistoryStore
from scanner_app.inventory.models import Item, LookupResult
from scanner_app.scanning.scan import Scan, ScanOutcome, ScanSource


def outcome(raw: str, status: str = "found", source: ScanSource = ScanSource.WEDGE) -> ScanOutcome:
    c = Classification(raw=raw, kind=CodeKind.TEXT, display=raw.replace("\x1d", "<GS>"), text=raw)
    if status == "found":
        result = LookupResult(status="found", kind="item", item=Item(item_id="1", name="Drill"))
    else:
        result = LookupResult(status="not_found", reason=f"No item with code {raw!r}")
    return ScanOutcome(Scan(raw, source, received_at=1_700_000_000.0, capture_ms=12.5), c, result,
                       {"classify": 0.05, "lookup": 0.2, "capture": 12.5})


def test_record_and_read_back_newest_first(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "history.sqlite3")
    store.record(outcome("A-1"))
    store.record(outcome("B\x1d2", status="not_found", source=ScanSource.MANUAL))
    entries = store.recent(10)
    assert [e.raw for e in entries] == ["B\x1d2", "A-1"]
    newest, oldest = entries
    assert newest.display == "B<GS>2" and newest.source == "manual" and newest.status == "not_found"
    assert newest.reason == "No item with code 'B\\x1d2'"
    assert oldest.summary == "Drill" and oldest.result_kind == "item"
    assert oldest.timings_ms == {"classify": 0.05, "lookup": 0.2, "capture": 12.5}
    assert oldest.scanned_at.startswith("2023-11-14T22:13:20")
    store.close()


def test_survives_reopen_and_uses_wal(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    store = HistoryStore(path)
    for i in range(5):
        store.record(outcome(f"C-{i}"))
    store.close()
    assert HistoryStore(path).count() == 5
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_limit(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.sqlite3")
    for i in range(7):
        store.record(outcome(f"D-{i}"))
    assert [e.raw for e in store.recent(3)] == ["D-6", "D-5", "D-4"]
    assert store.recent(0) == []
    store.close()
