"""The rules a scan passes in an open dispatch, one verdict and sentence each
(:class:`~scanner_app.workflows.dispatch_answers.DispatchAnswer`). Qt-free; a few indexed
reads per scan, so the answer is on screen within a frame.

- A bin code sets the bin for the serials that follow (it must be in the warehouse).
- With a serial register (Pack.cloud) every code that is not an item or a batch goes to
  its rule (:mod:`~scanner_app.workflows.dispatch_register`), not to the local serials.
- A code of the current item's serial is read as that first (a numeric serial can look
  like an item code; batch numbers repeat across items).
- An item code selects the current item (tracked by serial number, active).
- A serial number: of the current item (a serial scanned first selects its item), active,
  not gone out, in this warehouse (:func:`~.serial_checks.serial_refusal`), not scanned
  twice here, not taken by another dispatch or an assembly
  (:class:`~.serial_checks.SerialClaims`); one still being received is said so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scanner_app.inventory.code_keys import text_key
from scanner_app.inventory.models import Bin, Item, SerialNumber
from scanner_app.scanning.scan import ScanOutcome
from scanner_app.workflows.dispatch_answers import DispatchAnswer
from scanner_app.workflows.serial_checks import serial_refusal

if TYPE_CHECKING:
    from scanner_app.workflows.dispatch_register import RegisterSerialRule
    from scanner_app.workflows.dispatch_state import OpenDispatch


class DispatchScans:
    """The scan rules of ``dispatch`` (the workflow's open dispatch, seen through
    :class:`~scanner_app.workflows.dispatch_state.OpenDispatch`); ``register``: the serial
    register's rule, when one keeps the serials."""

    def __init__(self, dispatch: OpenDispatch, register: RegisterSerialRule | None = None) -> None:
        self.wf = dispatch
        self.register = register

    def handle(self, outcome: ScanOutcome) -> DispatchAnswer:
        """Check one scan and take it in, or say why not (and change nothing)."""
        wf = self.wf
        if wf.dispatch is None:
            return DispatchAnswer("no_dispatch", "Start a dispatch first: enter the document and the warehouse")
        if not wf.is_open:
            return DispatchAnswer("dispatch_closed", f"This dispatch is {wf.dispatch.state}: start a new one")
        result, c = outcome.result, outcome.classification
        text = (c.text if c.text is not None else c.raw).strip()
        if result.status == "invalid":
            return DispatchAnswer("invalid", result.reason or "Not a valid code")
        if result.kind == "bin" and result.bin is not None:
            return self.take_bin(result.bin)
        if self.register is not None and not (result.kind in ("item", "batch") and result.item is not None):
            return self.register.query(wf, (result.gs1 or {}).get("21") or text)  # not the local serials
        if result.kind == "serial" and result.serial is not None:
            return self._take_serial(result.serial, (result.gs1 or {}).get("21") or text)
        if result.kind == "item" and result.item is not None:
            own = self._serial_of_current_item(text)  # a numeric serial can look like a code
            return self._take_serial(own, text) if own is not None else self._take_item(result.item)
        if result.kind == "batch":
            own = self._serial_of_current_item(text)
            if own is not None:
                return self._take_serial(own, text)
            return DispatchAnswer("not_dispatchable", f"{text} is a batch: dispatch maps serial numbers; "
                                  "scan the item or a unit's serial number")
        number = (result.gs1 or {}).get("21") or text
        own = self._serial_of_current_item(number)
        if own is not None:
            return self._take_serial(own, text)
        if wf.current_item is not None:
            name, receiving = wf.current_item.name, wf.claims.being_received(wf.current_item.item_id, number)
            if receiving is not None:  # not in the inventory until its receipt line is assigned
                return DispatchAnswer("being_received", f"{number} of {name} is being received in {receiving}, not "
                                      "in the inventory yet: dispatch it once that receipt line is assigned")
            return DispatchAnswer("not_of_item", f"{text} is not a serial number of {name}")
        return DispatchAnswer("unknown_code", result.reason or f"No item, serial number or bin with code {text}")

    def take_bin(self, bin_: Bin) -> DispatchAnswer:
        """The serials that follow are picked from ``bin_``, if it is in the dispatch's warehouse."""
        wf = self.wf
        assert wf.dispatch is not None
        if bin_.warehouse_id != wf.dispatch.warehouse_id:
            where = bin_.warehouse_name or bin_.warehouse_id
            return DispatchAnswer("bin_other_warehouse", f"Bin {bin_.code} is in {where}"
                                  f", not in this dispatch's warehouse")
        wf.current_bin = bin_
        return DispatchAnswer("bin_selected", f"Bin {bin_.code}: the serials that follow are picked from it")

    def _serial_of_current_item(self, text: str) -> SerialNumber | None:
        item = self.wf.current_item
        if item is None or not text:
            return None
        return self.wf.records.serial_of_item(item.item_id, text, text_key(text))

    def _take_item(self, item: Item) -> DispatchAnswer:
        if not item.track_serial_number:
            return DispatchAnswer("not_serial_tracked", f"{item.name} is not tracked by serial number: "
                                  "dispatch maps serial numbers only")
        if item.status != "active":
            return DispatchAnswer("item_inactive", f"{item.name} is {item.status}")
        self.wf.select_item(item)
        return DispatchAnswer("item_selected", f"{item.name}: scan each unit's serial number")

    def _take_serial(self, serial: SerialNumber, scanned: str) -> DispatchAnswer:
        wf = self.wf
        assert wf.dispatch is not None
        number = serial.serialnumber
        item = wf.current_item
        if item is not None and serial.item_id != item.item_id:
            own = self._serial_of_current_item(scanned)
            if own is None:
                return DispatchAnswer("other_item", f"{number} is a serial number of "
                                      f"{wf.item_name(serial.item_id)}, not of {item.name}")
            serial, number = own, own.serialnumber
        name = wf.item_name(serial.item_id)
        if wf.has_serial(serial.item_id, number):
            return wf.count_again(serial.item_id, number) or DispatchAnswer(
                "duplicate", f"{number} is already scanned in this dispatch")
        refusal = serial_refusal(serial, name, wf.dispatch.warehouse_id)
        if refusal is not None:
            return DispatchAnswer(*refusal)
        elsewhere = wf.claims.elsewhere(serial.item_id, number, dispatch_id=wf.dispatch.dispatch_id)
        if elsewhere is not None:
            return DispatchAnswer("claimed", f"{number} of {name} is already {elsewhere}")
        if item is None or item.item_id != serial.item_id:
            found = wf.store.get_item(serial.item_id)
            if found is None or not found.track_serial_number:
                return DispatchAnswer("not_serial_tracked", f"{name} is not tracked by serial number")
            wf.current_item = found
        return wf.add_checked_serial(serial, number, wf.current_bin)
