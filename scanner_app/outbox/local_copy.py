"""``LocalCopy``: what a cloud inventory system just accepted, written into the station's
own store at once, so the station reads its own writes before the next sync.

The relay calls a deliverer's ``record_locally(local, entry, result)`` (see
:class:`~scanner_app.outbox.delivery.LocalEcho`) with a ``LocalCopy`` on its own
connection, inside the transaction that marks the entry delivered: the entry is
delivered and the local copy shows it, or neither (see ``RelayLedger.delivered``). The
deliverers say what the vendor answered in these terms; only this module knows the
tables. No Qt.

What each write leaves behind:

- :meth:`serials_mapped`: a row per serial in ``embedded_serial_mappings`` (the local
  record of which outgoing document a serial is mapped to; it outlives catalogue syncs),
  which dispatch and assembly read through ``SerialClaims``: the serial is no longer
  offered to another document. ``is_transacted_out`` is set only when the vendor said so.
- :meth:`batch_known`: the batch's row with its codes in the lookup index (found by
  ``scanner-app lookup`` at once); an existing row keeps its place and balance.
- :meth:`serial_known`: a received serial's row and code, unless the store has it.
- :meth:`assembly_built`: the kits' stock up at the assembly's place, each component's
  stock down in the warehouse where the local copy keeps any (the bench's bin first;
  never below what it has).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from scanner_app.inventory import code_keys as K
from scanner_app.inventory.models import Batch
from scanner_app.outbox.embedded_bundle_stock import available, put, take


@dataclass(frozen=True)
class UsedComponent:
    """A component an assembly consumed: how much, and the bins its scanned units came from."""

    item_id: str
    quantity: float
    serial_numbers: tuple[str, ...] = ()
    batch_ids: tuple[str, ...] = ()


class LocalCopy:
    """Writes to the store through ``conn``, inside the caller's open transaction (never
    commits). ``now`` stamps the rows that have a time."""

    def __init__(self, conn: sqlite3.Connection, *, now: Callable[[], float] = time.time) -> None:
        if not conn.in_transaction:
            raise ValueError("LocalCopy writes inside the caller's write transaction")
        self.conn = conn
        self.now = now

    # -- serial numbers ---------------------------------------------------------------------

    def serials_mapped(self, item_id: str, serial_numbers: Sequence[str], *, entity_type: str, entity_id: str,
                       warehouse_id: str | None, bin_id: str | None, transacted_out: bool = False) -> None:
        """The vendor mapped these serials of ``item_id`` to the document."""
        at = self.now()
        self.conn.executemany(
            "INSERT INTO embedded_serial_mappings (item_id, serialnumber, entity_type, entity_id, warehouse_id,"
            " bin_id, mapped_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (item_id, serialnumber) DO UPDATE SET"
            " entity_type = excluded.entity_type, entity_id = excluded.entity_id,"
            " warehouse_id = excluded.warehouse_id, bin_id = excluded.bin_id, mapped_at = excluded.mapped_at",
            [(item_id, number, entity_type, entity_id, warehouse_id, bin_id, at) for number in serial_numbers])
        if transacted_out:
            self.conn.executemany("UPDATE serial_numbers SET is_transacted_out = 1 WHERE item_id = ?"
                                  " AND serialnumber = ?", [(item_id, number) for number in serial_numbers])

    def serial_known(self, serialnumber_id: str, serialnumber: str, item_id: str, *, warehouse_id: str | None,
                     bin_id: str | None) -> None:
        """A serial the vendor lists for the item (received): scannable here at once."""
        if not self._exists("items", "item_id", item_id) or self.conn.execute(
                "SELECT 1 FROM serial_numbers WHERE (item_id = ? AND serialnumber = ?) OR serialnumber_id = ?",
                (item_id, serialnumber, serialnumber_id)).fetchone():
            return  # the catalogue's copy (or a sync) knows it already
        warehouse_id, bin_id = self._place(warehouse_id, bin_id)
        self.conn.execute("INSERT INTO serial_numbers (serialnumber_id, serialnumber, item_id, status,"
                          " is_transacted_out, warehouse_id, bin_id) VALUES (?, ?, ?, 'active', 0, ?, ?)",
                          (serialnumber_id, serialnumber, item_id, warehouse_id, bin_id))
        self.conn.execute("INSERT OR IGNORE INTO codes (code, kind, target_id) VALUES (?, ?, ?)",
                          (K.text_key(serialnumber), K.SERIAL, serialnumber_id))

    # -- batches -------------------------------------------------------------------------------

    def batch_known(self, batch: Batch, *, warehouse_id: str | None = None, bin_id: str | None = None) -> None:
        """The vendor's record of a batch (created or reused): its number, dates and status
        replace the local row's; a new row is placed in ``warehouse_id``/``bin_id`` (the
        receipt's) with the vendor's balance."""
        if not self._exists("items", "item_id", batch.item_id):
            return  # an item the local copy does not have: the next sync brings both
        if self._exists("batches", "batch_id", batch.batch_id):
            self.conn.execute("UPDATE batches SET batch_number = ?, manufacturer_batch_number = ?,"
                              " manufactured_date = ?, expiry_date = ?, status = ? WHERE batch_id = ?",
                              (batch.batch_number, batch.manufacturer_batch_number, batch.manufactured_date,
                               batch.expiry_date, batch.status, batch.batch_id))
        else:
            if batch.warehouse_id:  # the vendor's place, else the receipt's
                warehouse_id, bin_id = batch.warehouse_id, batch.bin_id
            warehouse_id, bin_id = self._place(warehouse_id, bin_id)
            self.conn.execute(
                "INSERT INTO batches (batch_id, item_id, batch_number, manufacturer_batch_number, manufactured_date,"
                " expiry_date, balance_quantity, status, warehouse_id, bin_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (batch.batch_id, batch.item_id, batch.batch_number, batch.manufacturer_batch_number,
                 batch.manufactured_date, batch.expiry_date, batch.balance_quantity, batch.status or "active",
                 warehouse_id, bin_id))
        self.conn.execute("DELETE FROM codes WHERE target_id = ? AND kind IN (?, ?)",
                          (batch.batch_id, K.BATCH, K.MFR_BATCH))
        codes = [(K.text_key(batch.batch_number), K.BATCH, batch.batch_id)]
        if batch.manufacturer_batch_number:
            codes.append((K.text_key(batch.manufacturer_batch_number), K.MFR_BATCH, batch.batch_id))
        self.conn.executemany("INSERT OR IGNORE INTO codes (code, kind, target_id) VALUES (?, ?, ?)", codes)

    # -- assemblies ------------------------------------------------------------------------------

    def assembly_built(self, kit_item_id: str, quantity: float, warehouse_id: str, bin_id: str | None,
                       components: Iterable[UsedComponent]) -> None:
        """Kits up at the place, components down, each by at most what the local copy has:
        it follows the vendor, it does not judge it."""
        if not self._exists("warehouses", "warehouse_id", warehouse_id):
            return  # the local copy does not know the place: the next sync brings the stock
        place_bin = bin_id if self._exists("bins", "bin_id", bin_id) else None
        for used in components:
            if not self._exists("items", "item_id", used.item_id):
                continue
            # the vendor took it from the warehouse (its assembly has no bin): here first
            # from the bench's bin and the scanned units' bins, then the rest of the warehouse
            have = available(self.conn, used.item_id, warehouse_id, None)
            if have > 0:
                first = ([place_bin] if place_bin else []) + self._bins_of(used)
                take(self.conn, used.item_id, min(have, used.quantity), warehouse_id, None, prefer_bins=first)
        if self._exists("items", "item_id", kit_item_id):
            put(self.conn, kit_item_id, quantity, warehouse_id, place_bin)

    # -- helpers -----------------------------------------------------------------------------------

    def _exists(self, table: str, column: str, value: str | None) -> bool:
        if value is None:
            return False
        return self.conn.execute(f"SELECT 1 FROM {table} WHERE {column} = ?", (value,)).fetchone() is not None

    def _place(self, warehouse_id: str | None, bin_id: str | None) -> tuple[str | None, str | None]:
        """The place as far as the local copy knows it (its rows reference warehouses and bins)."""
        warehouse = warehouse_id if self._exists("warehouses", "warehouse_id", warehouse_id) else None
        return warehouse, bin_id if warehouse and self._exists("bins", "bin_id", bin_id) else None

    def _bins_of(self, used: UsedComponent) -> list[str]:
        bins = [r[0] for n in used.serial_numbers for r in self.conn.execute(
            "SELECT bin_id FROM serial_numbers WHERE item_id = ? AND serialnumber = ? AND bin_id IS NOT NULL",
            (used.item_id, n))]
        bins += [r[0] for b in used.batch_ids for r in self.conn.execute(
            "SELECT bin_id FROM batches WHERE batch_id = ? AND bin_id IS NOT NULL", (b,))]
        return bins
