"""Where an assembly's stock comes from and goes to in the embedded inventory: a bin, or
the whole warehouse (scanned units' bins first, then the stock without a bin, then the
bins by code); not enough changes nothing. And the assembly payload survives the outbox."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from scanner_app.inventory.importer import import_document
from scanner_app.inventory.store import InventoryStore
from scanner_app.outbox.bundles import AssemblyRecord, ConsumedBatch, ConsumedComponent
from scanner_app.outbox.embedded_bundle_stock import ShortOfStock, available, put, take
from tests.workflows.kit_catalogue import kit_catalogue


@pytest.fixture
def kits(tmp_path: Path) -> Iterator[InventoryStore]:
    store = InventoryStore(tmp_path / "inventory.sqlite3")
    import_document(store, kit_catalogue())  # Screw pack: B1 50, B2 5, no bin 10 (all in W1)
    yield store
    store.close()


def screws(store: InventoryStore) -> dict[str | None, float]:
    return dict(store.connection().execute(
        "SELECT bin_id, quantity FROM item_stock WHERE item_id = 'SCR' AND warehouse_id = 'W1'").fetchall())


def test_a_bin_or_the_whole_warehouse(kits: InventoryStore) -> None:
    conn = kits.connection()
    assert (available(conn, "SCR", "W1", "B1"), available(conn, "SCR", "W1", None)) == (50, 65)
    assert available(conn, "SCR", "W2", None) == 0 and available(conn, "MAN", "W1", "B1") == 0


def test_without_a_bin_the_scanned_bins_come_first_then_no_bin_then_bins_by_code(kits: InventoryStore) -> None:
    with kits.transaction() as conn:
        take(conn, "SCR", 8, "W1", None, prefer_bins=["B2"])
    assert screws(kits) == {"B1": 50, "B2": 0, None: 7}
    with kits.transaction() as conn:
        take(conn, "SCR", 12, "W1", None)
    assert screws(kits) == {"B1": 45, "B2": 0, None: 0}


def test_not_enough_changes_nothing(kits: InventoryStore) -> None:
    with pytest.raises(ShortOfStock, match="66 needed, 65 in stock"), kits.transaction() as conn:
        take(conn, "SCR", 66, "W1", None)
    with pytest.raises(ShortOfStock, match="6 needed, 5 in stock"), kits.transaction() as conn:
        take(conn, "SCR", 6, "W1", "B2")
    assert screws(kits) == {"B1": 50, "B2": 5, None: 10}


def test_kits_go_to_the_place(kits: InventoryStore) -> None:
    with kits.transaction() as conn:
        put(conn, "KREP", 2, "W1", "B1")
        put(conn, "KREP", 1, "W1", "B1")
        put(conn, "KREP", 1, "W1", None)
    assert dict(kits.connection().execute("SELECT bin_id, quantity FROM item_stock WHERE item_id = 'KREP'")
                .fetchall()) == {"B1": 3, None: 1}


def test_the_payload_round_trips() -> None:
    record = AssemblyRecord("ASM-1", "2026-01-15", "KREP", "Repair kit", 2, "W1", None, (
        ConsumedComponent("SCR", "Screw pack", 4),
        ConsumedComponent("DRL", "Drill", 2, ("SN-1", "SN-2")),
        ConsumedComponent("GLU", "Glue", 4, batches=(ConsumedBatch("bt-1", "GL-OK", 4),))))
    assert AssemblyRecord.from_payload(record.to_payload()) == record
    assert record.document == "assembly:ASM-1"
    with pytest.raises(ValueError, match="an assembly payload without 'line_items'"):
        AssemblyRecord.from_payload({"date": "2026-01-15"})
