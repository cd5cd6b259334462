"""The assembly tables (migration 0007): assemblies and the component units ticked for
them, and the indexed reads a component scan is checked with (a batch of an item by its
number, a serial number in another assembly, what other assemblies hold of a batch).
Writes are one short transaction each; the window runs them on its database-writer thread.
A command's plan is saved with its assembly (``job_plans``, migration 0008).

A unit is claimed atomically: :meth:`AssemblyRecords.add_unit` checks its serial (or its
batch's quantity) again inside the ``BEGIN IMMEDIATE`` transaction that inserts it, so two
processes never both take one serial or more of a batch than is left; the loser's write
raises :class:`~.dispatch_records.ClaimTaken` with the usual words."""

from __future__ import annotations

import secrets
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from scanner_app.inventory.models import Batch
from scanner_app.inventory.records import load_batch
from scanner_app.inventory.store import InventoryStore
from scanner_app.jobs.plans import save_plan
from scanner_app.workflows.dispatch_records import ClaimTaken

_COLUMNS: Final = "assembly_id, reference, kit_item_id, quantity, warehouse_id, bin_id, state"
_BATCH_OF_ITEM_SQL: Final = """
SELECT b.batch_id FROM codes AS c JOIN batches AS b ON b.batch_id = c.target_id
WHERE c.code = ? AND c.kind IN ('batch', 'mfr_batch') AND b.item_id = ?
ORDER BY c.kind = 'batch' DESC, b.status = 'active' DESC, b.expiry_date DESC LIMIT 1
"""
# Another assembly that took this serial: open, or completed and not given up on; with its
# kit's name and whether a step of it is still to be delivered (not built yet).
_SERIAL_IN_ASSEMBLY_SQL: Final = """
SELECT a.reference, a.state, k.name,
       EXISTS (SELECT 1 FROM outbox_entries AS e WHERE e.document = 'assembly:' || a.reference
               AND e.state != 'delivered')
FROM assembly_units AS u JOIN assemblies AS a ON a.assembly_id = u.assembly_id
LEFT JOIN items AS k ON k.item_id = a.kit_item_id
WHERE u.item_id = ? AND u.serialnumber = ? AND u.assembly_id != ? AND a.state != 'cancelled'
  AND NOT EXISTS (SELECT 1 FROM outbox_entries AS e WHERE e.document = 'assembly:' || a.reference
                  AND e.state = 'discarded')
LIMIT 1
"""

# What other assemblies hold of a batch and have not built yet: open ones, and completed
# ones with a step still to deliver (not given up on). A built one lowered the balance.
_BATCH_HELD_ELSEWHERE_SQL: Final = """
SELECT COALESCE(SUM(u.quantity), 0) FROM assembly_units AS u JOIN assemblies AS a ON a.assembly_id = u.assembly_id
WHERE u.batch_id = ? AND u.assembly_id != ? AND (a.state = 'open' OR (a.state = 'completed'
  AND EXISTS (SELECT 1 FROM outbox_entries AS e WHERE e.document = 'assembly:' || a.reference
              AND e.state NOT IN ('delivered', 'discarded'))
  AND NOT EXISTS (SELECT 1 FROM outbox_entries AS e WHERE e.document = 'assembly:' || a.reference
                  AND e.state = 'discarded')))
"""


def new_reference() -> str:
    """A reference no other station will make: sent as Zoho's ``reference_number``."""
    return f"ASM-{secrets.token_hex(5).upper()}"


@dataclass(frozen=True)
class AssemblyRow:
    assembly_id: int
    reference: str
    kit_item_id: str
    quantity: int
    warehouse_id: str
    bin_id: str | None
    state: str  # open | completed | cancelled

    @property
    def document(self) -> str:
        return f"assembly:{self.reference}"


@dataclass(frozen=True)
class UnitRow:
    """One accepted component scan."""

    position: int
    item_id: str
    quantity: float
    serialnumber: str | None = None
    batch_id: str | None = None


class AssemblyRecords:
    """The assembly tables of ``store``'s database. ``now`` stamps the rows."""

    def __init__(self, store: InventoryStore, *, now: Callable[[], float] = time.time) -> None:
        self.store = store
        self.now = now

    def create(self, reference: str, kit_item_id: str, quantity: int, warehouse_id: str,
               bin_id: str | None, plan: dict[str, Any] | None = None,
               hold: Callable[[int], None] | None = None) -> AssemblyRow:
        """A new open assembly (with the command's ``plan``, in the same transaction).
        ``hold(assembly_id)`` runs before the commit (taking the job's ownership), so no
        other process sees it open and unheld."""
        with self.store.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO assemblies (reference, kit_item_id, quantity, warehouse_id, bin_id, created_at)"
                " VALUES (?, ?, ?, ?, ?, ?)", (reference, kit_item_id, quantity, warehouse_id, bin_id, self.now()))
            assert cursor.lastrowid is not None
            if hold is not None:
                hold(cursor.lastrowid)
            if plan is not None:
                save_plan(conn, "assembly", cursor.lastrowid, plan)
        return AssemblyRow(cursor.lastrowid, reference, kit_item_id, quantity, warehouse_id, bin_id, "open")

    def get(self, assembly_id: int) -> AssemblyRow | None:
        row = self.store.connection().execute(f"SELECT {_COLUMNS} FROM assemblies WHERE assembly_id = ?",
                                              (assembly_id,)).fetchone()
        return AssemblyRow(*row) if row else None

    def open_assemblies(self) -> list[tuple[AssemblyRow, float]]:
        """Every open assembly, oldest first, with when it was started."""
        rows = self.store.connection().execute(
            f"SELECT {_COLUMNS}, created_at FROM assemblies WHERE state = 'open' ORDER BY assembly_id")
        return [(AssemblyRow(*row[:7]), float(row[7])) for row in rows]

    def latest_open(self) -> AssemblyRow | None:
        row = self.store.connection().execute(
            f"SELECT {_COLUMNS} FROM assemblies WHERE state = 'open' ORDER BY assembly_id DESC LIMIT 1").fetchone()
        return AssemblyRow(*row) if row else None

    def units(self, assembly_id: int) -> list[UnitRow]:
        rows = self.store.connection().execute(
            "SELECT position, item_id, quantity, serialnumber, batch_id FROM assembly_units WHERE assembly_id = ?"
            " ORDER BY position", (assembly_id,))
        return [UnitRow(int(p), str(i), float(q), s, b) for p, i, q, s, b in rows]

    def add_unit(self, assembly_id: int, unit: UnitRow, claimed: Callable[[], str | None] | None = None) -> None:
        """Write the ticked unit. ``claimed`` (read inside this write transaction, which holds
        the database's write lock) gives the refusal's words when another job took its serial
        or batch quantity meanwhile: then nothing is written and ClaimTaken says so."""
        with self.store.transaction() as conn:
            taken = claimed() if claimed is not None else None
            if taken is not None:
                raise ClaimTaken(taken)
            conn.execute("INSERT INTO assembly_units (assembly_id, position, item_id, quantity, serialnumber,"
                         " batch_id, scanned_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (assembly_id, unit.position, unit.item_id, unit.quantity, unit.serialnumber,
                          unit.batch_id, self.now()))

    def change(self, assembly_id: int, *, quantity: int | None = None, bin_id: str | None = None,
               clear_bin: bool = False) -> None:
        """A new number of kits, or a new bin, for an open assembly."""
        with self.store.transaction() as conn:
            if quantity is not None:
                conn.execute("UPDATE assemblies SET quantity = ? WHERE assembly_id = ? AND state = 'open'",
                             (quantity, assembly_id))
            if bin_id is not None or clear_bin:
                conn.execute("UPDATE assemblies SET bin_id = ? WHERE assembly_id = ? AND state = 'open'",
                             (bin_id, assembly_id))

    def cancel(self, assembly_id: int) -> None:
        with self.store.transaction() as conn:
            conn.execute("UPDATE assemblies SET state = 'cancelled' WHERE assembly_id = ? AND state = 'open'",
                         (assembly_id,))

    def mark_completed(self, conn: sqlite3.Connection, assembly_id: int) -> None:
        """Inside the caller's transaction (the one that records the outbox entries)."""
        conn.execute("UPDATE assemblies SET state = 'completed', completed_at = ? WHERE assembly_id = ?",
                     (self.now(), assembly_id))

    # -- checks for one scan (indexed reads) ---------------------------------------------
    def batch_of_item(self, item_id: str, key: str) -> Batch | None:
        """The item's batch whose batch or manufacturer batch number has the code key ``key``."""
        conn = self.store.connection()
        row = conn.execute(_BATCH_OF_ITEM_SQL, (key, item_id)).fetchone()
        return load_batch(conn, row[0]) if row else None

    def batch_held_elsewhere(self, assembly_id: int, batch_id: str) -> float:
        """How much of the batch other assemblies (not ``assembly_id``) hold and have not built yet."""
        row = self.store.connection().execute(_BATCH_HELD_ELSEWHERE_SQL, (batch_id, assembly_id)).fetchone()
        return float(row[0])

    def batch_ticked(self, assembly_id: int, batch_id: str) -> float:
        """How much of the batch assembly ``assembly_id`` has ticked (as written)."""
        row = self.store.connection().execute(
            "SELECT COALESCE(SUM(quantity), 0) FROM assembly_units WHERE assembly_id = ? AND batch_id = ?",
            (assembly_id, batch_id)).fetchone()
        return float(row[0])

    def serial_in_other_assembly(self, assembly_id: int, item_id: str, serialnumber: str) -> str | None:
        """Words for the other assembly that took this serial (``assembly_id``: the one
        asking, 0 for none), or None."""
        row = self.store.connection().execute(_SERIAL_IN_ASSEMBLY_SQL,
                                              (item_id, serialnumber, assembly_id)).fetchone()
        if row is None:
            return None
        reference, state, kit_name, pending = row
        which = f"the assembly of {kit_name or 'a kit'} ({reference})"
        if state == "open":
            return f"a component of {which}, not built yet"
        return f"a component of {which}, completed but not built yet" if pending else f"consumed by {which}"
