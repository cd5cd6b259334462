"""The checks a serial number passes before a workflow takes it out of stock (dispatch
maps it to an outgoing document, assembly consumes it into a kit): it is active, has not
gone out already, and is in the workflow's warehouse (:func:`serial_refusal`: no read, the
serial itself was already read); and no other workflow has taken it yet
(:class:`SerialClaims`: one indexed read per table). Qt-free.

A serial is taken by a dispatch (open, or completed and not discarded) or by an assembly
(open, or completed and not discarded): both workflows ask :class:`SerialClaims`, so
neither can take a unit the other already holds. A new serial being received (a receipt's
line not assigned yet) is not in ``serial_numbers`` until its entry is delivered, so no
workflow can take it; :meth:`SerialClaims.being_received` says why in words."""

from __future__ import annotations

from typing import Literal

from scanner_app.inventory.models import SerialNumber
from scanner_app.inventory.store import InventoryStore
from scanner_app.workflows.assembly_records import AssemblyRecords
from scanner_app.workflows.dispatch_records import DispatchRecords
from scanner_app.workflows.receiving_records import ReceiptRecords

SerialRefusal = Literal["serial_inactive", "transacted_out", "other_warehouse"]


def serial_refusal(serial: SerialNumber, item_name: str, warehouse_id: str) -> tuple[SerialRefusal, str] | None:
    """(verdict, words) when ``serial`` of ``item_name`` cannot be taken in ``warehouse_id``."""
    number = serial.serialnumber
    if serial.status != "active":
        return "serial_inactive", f"{number} of {item_name} is {serial.status}"
    if serial.is_transacted_out:
        return "transacted_out", f"{number} of {item_name} has already gone out (transacted out)"
    if serial.warehouse_id and serial.warehouse_id != warehouse_id:
        return "other_warehouse", (f"{number} of {item_name} is in {serial.warehouse_name or serial.warehouse_id}, "
                                   "not in this warehouse")
    return None


class SerialClaims:
    """Where else a serial of ``store`` is already taken: another dispatch or an assembly."""

    def __init__(self, store: InventoryStore) -> None:
        self.dispatches = DispatchRecords(store)
        self.assemblies = AssemblyRecords(store)
        self.receipts = ReceiptRecords(store)

    def elsewhere(self, item_id: str, serialnumber: str, *, dispatch_id: int = 0, assembly_id: int = 0) -> str | None:
        """Words for the dispatch or assembly (other than the asking ``dispatch_id`` or
        ``assembly_id``) that holds this serial, or None."""
        return (self.dispatches.claimed_elsewhere(dispatch_id, item_id, serialnumber)
                or self.assemblies.serial_in_other_assembly(assembly_id, item_id, serialnumber))

    def being_received(self, item_id: str, serialnumber: str) -> str | None:
        """The receipt a serial not in the inventory yet is a live line of, in words, or None."""
        return self.receipts.serial_received_elsewhere(0, item_id, serialnumber)
