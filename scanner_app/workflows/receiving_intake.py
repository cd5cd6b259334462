"""Taking a line into the open receipt, by the rules: the item must be active and tracked
(by batch or serial number); batch dates are checked (:mod:`.receiving_rules`); the same
item and batch again adds to its line; a serial must be new for the item, not already in
this receipt and not being received by another one. Batch numbers, manufacturer batch
numbers and serial numbers are codes within the stated limits, and a quantity is more
than 0 and at most a billion (:mod:`~scanner_app.inventory.input_limits`), whichever way
they came (scan, page, command line, file). One verdict per rule, and a refused line
changes nothing. :class:`~.receiving.ReceivingWorkflow` builds on this."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

from scanner_app.inventory.code_keys import text_key
from scanner_app.inventory.models import Item
from scanner_app.outbox.store import ActionRefused
from scanner_app.workflows.receiving_answers import (
    PendingLine,
    ReceiptLine,
    ReceiveAnswer,
    sentence,
)
from scanner_app.workflows.receiving_lines import ReceiptLines
from scanner_app.workflows.receiving_records import ReceiptRecords, ReceiptRow
from scanner_app.workflows.receiving_rules import (
    BadField,
    BatchFields,
    check_code,
    check_dates,
    checked_quantity,
    parse_date,
)


class ReceivingIntake:
    """The rules half of the receive workflow (see the module docstring)."""

    lines: ReceiptLines
    records: ReceiptRecords
    receipt: ReceiptRow | None
    current_item: Item | None
    warning_days: int
    today: Callable[[], dt.date]

    def _emit(self) -> None:
        raise NotImplementedError

    def item_name(self, item_id: str) -> str:
        raise NotImplementedError

    def select_item(self, item: Item) -> ReceiveAnswer:
        refused = self._unusable(item)
        if refused is not None:
            return refused
        self.current_item = item
        self._emit()
        what = "scan or type each batch" if item.track_batch_number else "scan each unit's serial number"
        return ReceiveAnswer("item_selected", f"{item.name}: {what}")

    def _unusable(self, item: Item) -> ReceiveAnswer | None:
        if not (item.track_batch_number or item.track_serial_number):
            return ReceiveAnswer("not_tracked", f"{item.name} is tracked by neither batch nor serial number: "
                                 "there is nothing for the station to assign")
        if item.status != "active":
            return ReceiveAnswer("item_inactive", f"{item.name} is {item.status}")
        return None

    # -- batches -----------------------------------------------------------------------------
    def receive_batch(self, fields: BatchFields, *, item: Item | None = None, confirmed: bool = False) -> ReceiveAnswer:
        """A batch of ``item`` (default: the current item) arrives."""
        if self.receipt is None or self.receipt.state != "open":
            return ReceiveAnswer("no_receipt", "Start a receipt first")
        item = item or self.current_item
        if item is None:
            return ReceiveAnswer("no_item", "Scan the item first")
        refused = self._unusable(item)
        if refused is not None:
            return refused
        if not item.track_batch_number:
            return ReceiveAnswer("not_tracked", f"{item.name} is tracked by serial number: scan each unit's serial")
        self.current_item = item
        number = fields.batch_number.strip()
        if not number:
            return ReceiveAnswer("bad_field", "A batch number is needed")
        fields = replace(fields, batch_number=number)
        refused = _field_refusal(fields)
        if refused is not None:
            return refused
        existing = self.lines.live_batch(item.item_id, number)
        if existing is not None:
            return self._add_to(existing, fields)
        answer = self._dates_answer(item, fields, confirmed, None)
        if answer is not None:
            return answer
        line = ReceiptLine(position=self.lines.next_position(), item_id=item.item_id, item_name=item.name,
                           kind="batch", quantity=fields.quantity, batch_number=number,
                           manufacturer_batch_number=fields.manufacturer_batch_number,
                           manufactured_date=fields.manufactured_date, expiry_date=fields.expiry_date)
        self.lines.add(self.receipt, line)
        dates = f", expiry {fields.expiry_date}" if fields.expiry_date else ""
        return ReceiveAnswer("line_added", f"{item.name}: batch {number}{dates}, quantity {fields.quantity:g}",
                             self.lines.get(line.position), self._store_note(item, fields), changed=(line.position,))

    def _dates_answer(self, item: Item, fields: BatchFields, confirmed: bool,
                      correcting: int | None) -> ReceiveAnswer | None:
        try:
            made = parse_date(fields.manufactured_date, "manufactured date")
            expiry = parse_date(fields.expiry_date, "expiry")
        except BadField as bad:
            return ReceiveAnswer("bad_field", f"Batch {fields.batch_number}: {bad}")
        check = check_dates(made, expiry, self.today(), self.warning_days)
        if check.refused:
            return ReceiveAnswer("expiry_before_manufactured", f"Batch {fields.batch_number} refused: {check.message}")
        if check.needs_confirmation and not confirmed:
            return ReceiveAnswer("needs_confirmation", f"Batch {fields.batch_number} of {item.name} {check.message}: "
                                 "receive it anyway?", pending=PendingLine(item.item_id, fields, correcting))
        return None

    def _add_to(self, line: ReceiptLine, fields: BatchFields) -> ReceiveAnswer:
        assert self.receipt is not None
        differing = [what for what, mine, theirs in (
            ("manufacturer batch", fields.manufacturer_batch_number, line.manufacturer_batch_number),
            ("manufactured date", fields.manufactured_date, line.manufactured_date),
            ("expiry", fields.expiry_date, line.expiry_date)) if mine and theirs and mine != theirs]
        if differing:
            return ReceiveAnswer("batch_details_differ", f"Batch {line.batch_number} is line {line.position} with "
                                 f"another {', '.join(differing)}: correct that line, or check the label")
        try:
            checked_quantity(line.quantity + fields.quantity, f"batch {line.batch_number}'s quantity")
        except BadField as bad:
            return ReceiveAnswer("bad_field", f"Batch refused: {bad}")
        try:
            grown = self.lines.add_quantity(self.receipt, line, fields.quantity)
        except ActionRefused as refused:
            return ReceiveAnswer("line_not_changeable", sentence(str(refused)))
        return ReceiveAnswer("quantity_added", f"{line.item_name}: batch {line.batch_number} now {grown.quantity:g} "
                             f"(+{fields.quantity:g})", self.lines.get(line.position), changed=(line.position,))

    def _store_note(self, item: Item, fields: BatchFields) -> str | None:
        for batch in item.batches:
            if text_key(batch.batch_number) == text_key(fields.batch_number):
                if fields.expiry_date and batch.expiry_date and batch.expiry_date != fields.expiry_date:
                    return (f"the inventory has batch {batch.batch_number} with expiry {batch.expiry_date}: "
                            "expect a conflict")
                return f"batch {batch.batch_number} is known: it will be reused"
        return None

    # -- serial numbers ---------------------------------------------------------------------------
    def receive_serial(self, number: str, *, item: Item | None = None) -> ReceiveAnswer:
        """A unit of ``item`` (default: the current item) with a new serial number arrives."""
        if self.receipt is None or self.receipt.state != "open":
            return ReceiveAnswer("no_receipt", "Start a receipt first")
        item = item or self.current_item
        if item is None:
            return ReceiveAnswer("no_item", "Scan the item first")
        refused = self._unusable(item) or self._serial_refusal(item, number.strip())
        if refused is not None:
            return refused
        self.current_item = item
        number = number.strip()
        line = ReceiptLine(position=self.lines.next_position(), item_id=item.item_id, item_name=item.name,
                           kind="serial", quantity=1.0, serialnumber=number)
        self.lines.add(self.receipt, line)
        return ReceiveAnswer("line_added", f"{item.name}: serial number {number}", self.lines.get(line.position),
                             changed=(line.position,))

    def _serial_refusal(self, item: Item, number: str, *, ignoring: int | None = None) -> ReceiveAnswer | None:
        assert self.receipt is not None
        if not item.track_serial_number:
            return ReceiveAnswer("not_tracked", f"{item.name} is tracked by batch: scan or type the batch number")
        if not number:
            return ReceiveAnswer("bad_field", "A serial number is needed")
        try:
            check_code(number, "the serial number")
        except BadField as bad:
            return ReceiveAnswer("bad_field", f"Serial number refused: {bad}")
        twice = self.lines.live_serial(item.item_id, number)
        if twice is not None and twice.position != ignoring:
            return ReceiveAnswer("serial_twice", f"{number} is already line {twice.position} of this receipt")
        if self.records.serial_exists(item.item_id, number):
            return ReceiveAnswer("serial_exists", f"{number} is already a serial number of {item.name}")
        elsewhere = self.records.serial_received_elsewhere(self.receipt.receipt_id, item.item_id, number)
        if elsewhere is not None:
            return ReceiveAnswer("serial_being_received", f"{number} of {item.name} is being received with {elsewhere}")
        return None

    # -- corrections ----------------------------------------------------------------------------
    def correct(self, position: int, change: BatchFields | str, *, confirmed: bool = False) -> ReceiveAnswer:
        """New fields for a batch line (``BatchFields``: number, dates, quantity) or a new
        serial number for a serial line, while nothing of it has gone yet."""
        line = self.lines.get(position)
        if line is None or self.receipt is None or line.cancelled:
            return ReceiveAnswer("line_not_changeable", f"There is no line {position} to correct")
        if not line.changeable:
            return ReceiveAnswer("line_not_changeable", f"Line {position} is {line.state}: it can no longer be "
                                 "corrected (receive another line instead)")
        item = Item(item_id=line.item_id, name=line.item_name, track_batch_number=line.kind == "batch",
                    track_serial_number=line.kind == "serial")
        if isinstance(change, str):
            if line.kind != "serial":
                return ReceiveAnswer("bad_field", f"Line {position} is a batch: correct its batch fields")
            refused = self._serial_refusal(item, change.strip(), ignoring=position)
            if refused is not None:
                return refused
            changed = replace(line, serialnumber=change.strip())
        else:
            if line.kind != "batch":
                return ReceiveAnswer("bad_field", f"Line {position} is a serial number: correct its serial number")
            change = replace(change, batch_number=change.batch_number.strip())
            if not change.batch_number:
                return ReceiveAnswer("bad_field", f"Line {position} needs a batch number")
            refused = _field_refusal(change)
            if refused is not None:
                return refused
            other = self.lines.live_batch(line.item_id, change.batch_number)
            if other is not None and other.position != position:
                return ReceiveAnswer("batch_details_differ", f"Batch {change.batch_number} is line {other.position}"
                                     " already: add to that line instead")
            answer = self._dates_answer(item, change, confirmed, position)
            if answer is not None:
                return answer
            changed = replace(line, batch_number=change.batch_number, quantity=change.quantity,
                              manufacturer_batch_number=change.manufacturer_batch_number,
                              manufactured_date=change.manufactured_date, expiry_date=change.expiry_date)
        try:
            self.lines.replace_line(self.receipt, line, changed)
        except ActionRefused as refused:
            return ReceiveAnswer("line_not_changeable", sentence(str(refused)))
        return ReceiveAnswer("line_corrected", f"Line {position} corrected: it is sent again",
                             self.lines.get(position), changed=(position,))


def _field_refusal(fields: BatchFields) -> ReceiveAnswer | None:
    """Why a batch's number, manufacturer batch or quantity cannot be taken; None when they can."""
    try:
        check_code(fields.batch_number, "the batch number")
        check_code(fields.manufacturer_batch_number, "the manufacturer batch number")
        checked_quantity(fields.quantity, "the quantity")
    except BadField as bad:
        return ReceiveAnswer("bad_field", f"Batch refused: {bad}")
    return None
