"""The checks a serial number passes before a workflow takes it out of stock (dispatch
maps it to an outgoing document, assembly consumes it into a kit): it is active, has not
gone out already, and is in the workflow's warehouse. Qt-free; one indexed read was
already made (the serial itself)."""

from __future__ import annotations

from typing import Literal

from scanner_app.inventory.models import SerialNumber

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
