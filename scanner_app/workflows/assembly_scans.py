"""The rules a scan passes at the kitting bench, one verdict and sentence each
(:class:`~scanner_app.workflows.assembly_answers.AssemblyAnswer`). Qt-free; a few indexed
reads per scan, so the answer is on screen within a frame.

- Before an assembly is open, a kit starts one and a bin label chooses the bin.
- A code of the current component's serial or batch is read as that first (a numeric
  serial can look like a GTIN; batch numbers repeat across items).
- An item code: the kit itself, another kit (starts it while nothing is ticked), a
  component (ticks one unit, or the GS1 quantity; a serial- or batch-tracked one is
  selected and waits for its serial or batch), or not in the kit.
- A serial number: of a component, active, not gone out, in this warehouse (the checks
  dispatch makes), not scanned twice, not taken by a dispatch or another assembly.
- A batch: of a component, active, not expired, in this warehouse, with enough left (less
  what other assemblies hold of it and have not built yet).
- Every tick: not more than the kits need, not more than the stock here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from scanner_app.inventory.code_keys import text_key
from scanner_app.inventory.models import Batch, Item, SerialNumber
from scanner_app.scanning.scan import ScanOutcome
from scanner_app.workflows.assembly_answers import (
    EPSILON,
    AssemblyAnswer,
    ComponentLine,
    amount,
    batch_short_words,
)
from scanner_app.workflows.dispatch_records import ClaimTaken
from scanner_app.workflows.kit_components import remaining_words
from scanner_app.workflows.serial_checks import SerialClaims, serial_refusal

if TYPE_CHECKING:
    from scanner_app.workflows.assembly import AssemblyWorkflow


def gs1_quantity(gs1: dict[str, str] | None) -> int | None:
    """The count a GS1 label carries (AI 30 variable count, AI 37 count of trade items);
    0 when it is there but not a count; None when there is none."""
    for ai in ("30", "37"):
        value = (gs1 or {}).get(ai)
        if value is not None:
            return int(value) if value.isdigit() else 0
    return None


def detail_needed(line: ComponentLine) -> AssemblyAnswer:
    """The refusal for a tracked component given without its serial or batch."""
    if line.track_serial_number:
        return AssemblyAnswer("needs_serial", f"{line.name} is tracked by serial number: give each unit's serial "
                              "number", line=line)
    return AssemblyAnswer("needs_batch", f"{line.name} is tracked by batch: give its batch number", line=line)


class ComponentScans:
    """The scan rules of ``workflow``'s open assembly."""

    def __init__(self, workflow: AssemblyWorkflow) -> None:
        self.wf = workflow
        self.claims = SerialClaims(workflow.store)
        self.dispatches = self.claims.dispatches  # serial_of_item: the read dispatch finds a serial with

    def handle(self, outcome: ScanOutcome) -> AssemblyAnswer:
        wf, result, c = self.wf, outcome.result, outcome.classification
        text = (c.text if c.text is not None else c.raw).strip()
        if result.status == "invalid":
            return AssemblyAnswer("invalid", result.reason or "Not a valid code")
        if not wf.is_open:
            if result.kind == "bin" and result.bin is not None:
                return wf.select_bin(result.bin)
            if result.kind == "item" and result.item is not None:
                return wf.start(result.item)
            if wf.assembly is not None and wf.assembly.state == "completed" and result.status == "found":
                return AssemblyAnswer("assembly_closed", "This assembly is completed: scan the next kit to build")
            return AssemblyAnswer("no_kit", result.reason if result.status == "not_found" and result.reason
                                  else f"{text}: scan the kit to build first (any of its codes)")
        quantity = gs1_quantity(result.gs1)
        gs1 = result.gs1 or {}
        if quantity == 0:
            return AssemblyAnswer("bad_quantity", f"The label's quantity ({gs1.get('30') or gs1.get('37')}) "
                                  "is not a count of units")
        own = self._own_code(gs1.get("21") or gs1.get("10") or text)
        if isinstance(own, SerialNumber):
            return self._serial(own, quantity)
        if isinstance(own, Batch):
            return self._batch(own, quantity)
        if result.kind == "bin" and result.bin is not None:
            return wf.select_bin(result.bin)
        if result.kind == "serial" and result.serial is not None:
            return self._serial(result.serial, quantity)
        if result.kind == "batch" and result.batch is not None:
            return self._batch(result.batch, quantity)
        if result.kind == "item" and result.item is not None:
            return self._item(result.item, quantity)
        return AssemblyAnswer("unknown_code", result.reason or f"No item, serial number, batch or bin with code {text}")

    def _own_code(self, text: str) -> SerialNumber | Batch | None:
        """A serial or batch of the component waiting for one, by the scanned text."""
        line = self.wf.lines_by_item().get(self.wf.current or "")
        if line is None or not text:
            return None
        if line.track_serial_number:
            return self.dispatches.serial_of_item(line.item_id, text, text_key(text))
        if line.track_batch_number:
            return self.wf.records.batch_of_item(line.item_id, text_key(text))
        return None

    def _component(self, item_id: str, name: str, what: str = "") -> ComponentLine | AssemblyAnswer:
        kit = self.wf.kit
        assert kit is not None
        if item_id == kit.item_id:
            return AssemblyAnswer("kit_itself", f"{kit.name} is the kit being built: scan its components")
        line = self.wf.lines_by_item().get(item_id)
        if line is None:
            subject = f"{what}{name}, which" if what else name
            return AssemblyAnswer("not_in_kit", f"{subject} is not a component of {kit.name}")
        if line.status != "active":
            return AssemblyAnswer("component_inactive", f"{line.name} is {line.status}")
        return line

    def _item(self, item: Item, quantity: int | None) -> AssemblyAnswer:
        wf = self.wf
        kit = wf.kit
        if item.is_composite and item.item_id not in wf.lines_by_item() and kit and item.item_id != kit.item_id:
            return wf.start(item)  # another kit: built instead while nothing is ticked, else refused
        line = self._component(item.item_id, item.name)
        if isinstance(line, AssemblyAnswer):
            return line
        if line.track_serial_number or line.track_batch_number:
            wf.current = line.item_id
            what = ("serial number: scan each unit's serial number" if line.track_serial_number
                    else "batch: scan its batch (or a GS1 label with its batch)")
            return AssemblyAnswer("component_selected", f"{line.name} is tracked by {what}", line=line)
        return self._tick(line, float(quantity or 1))

    def _serial(self, serial: SerialNumber, quantity: int | None) -> AssemblyAnswer:
        wf = self.wf
        assert wf.assembly is not None
        name = self._name(serial.item_id)
        line = self._component(serial.item_id, name, f"{serial.serialnumber} is a serial number of ")
        if isinstance(line, AssemblyAnswer):
            return line
        number = serial.serialnumber
        if not line.track_serial_number:
            return AssemblyAnswer("not_tracked", f"{line.name} is not tracked by serial number: scan the item")
        if quantity not in (None, 1):
            return AssemblyAnswer("bad_quantity", f"A serial number is one unit; the label says {quantity}")
        if any(u.item_id == serial.item_id and u.serialnumber == number for u in wf.units()):
            return AssemblyAnswer("duplicate", f"{number} is already scanned in this assembly")
        refusal = serial_refusal(serial, line.name, wf.assembly.warehouse_id)
        if refusal is not None:
            return AssemblyAnswer(*refusal)
        elsewhere = self.claims.elsewhere(serial.item_id, number, assembly_id=wf.assembly.assembly_id)
        if elsewhere is not None:
            return AssemblyAnswer("claimed", f"{number} of {line.name} is already {elsewhere}")
        note = None
        if wf.bin is not None and serial.bin_id and serial.bin_id != wf.bin.bin_id:
            note = f"the inventory has {number} in bin {serial.bin_code or serial.bin_id}"
        return self._tick(line, 1.0, serialnumber=number, note=note)

    def _batch(self, batch: Batch, quantity: int | None) -> AssemblyAnswer:
        wf = self.wf
        assert wf.assembly is not None
        name = self._name(batch.item_id)
        line = self._component(batch.item_id, name, f"Batch {batch.batch_number} is a batch of ")
        if isinstance(line, AssemblyAnswer):
            return line
        if not line.track_batch_number:
            return AssemblyAnswer("not_tracked", f"{line.name} is not tracked by batch: scan the item")
        number, amount_ = batch.batch_number, float(quantity or 1)
        if batch.status != "active":
            return AssemblyAnswer("batch_inactive", f"Batch {number} of {line.name} is {batch.status}")
        if batch.is_expired(wf.today().isoformat()):
            return AssemblyAnswer("batch_expired", f"Batch {number} of {line.name} expired on {batch.expiry_date}")
        if batch.warehouse_id and batch.warehouse_id != wf.assembly.warehouse_id:
            return AssemblyAnswer("batch_other_warehouse", f"Batch {number} of {line.name} is in another "
                                  f"warehouse ({batch.warehouse_id})")
        taken = sum(u.quantity for u in wf.units() if u.batch_id == batch.batch_id)
        elsewhere = wf.records.batch_held_elsewhere(wf.assembly.assembly_id, batch.batch_id)
        if taken + elsewhere + amount_ > batch.balance_quantity + EPSILON:
            return AssemblyAnswer("batch_short", batch_short_words(number, line.name, batch.balance_quantity, taken,
                                                                   elsewhere, amount_))
        return self._tick(line, amount_, batch=batch)

    def _tick(self, line: ComponentLine, quantity: float, *, serialnumber: str | None = None,
              batch: Batch | None = None, note: str | None = None) -> AssemblyAnswer:
        wf = self.wf
        if line.done:
            return AssemblyAnswer("too_many", f"All {amount(line.needed)} of {line.name} are ticked already", line=line)
        if line.ticked + quantity > line.needed + EPSILON:
            return AssemblyAnswer("too_many", f"{line.name}: {amount(line.remaining)} more needed, this scan is "
                                  f"{amount(quantity)}", line=line)
        if line.ticked + quantity > line.in_stock + EPSILON:
            why = line.shortage(wf.place) or f"{line.name}: only {amount(line.in_stock)} in stock {wf.place}"
            return AssemblyAnswer("out_of_stock", f"{why}; {amount(line.ticked)} ticked already", line=line)
        if line.track_serial_number or line.track_batch_number:
            wf.current = line.item_id
        try:
            after = wf.add_unit(line, quantity, serialnumber, batch)
        except ClaimTaken as taken:  # another process took the serial or the batch since the check
            return AssemblyAnswer("batch_short" if batch is not None else "claimed", str(taken), line=line)
        what = f" ({serialnumber})" if serialnumber else f" (batch {batch.batch_number})" if batch else ""
        words = f"{after.name}{what}: {amount(after.ticked)} of {amount(after.needed)}"
        left = remaining_words(wf.lines())
        words += f" · still to scan: {left}" if left else " · every component is ticked: complete the assembly"
        return AssemblyAnswer("ticked", words, note, after)

    def _name(self, item_id: str) -> str:
        line = self.wf.lines_by_item().get(item_id)
        if line is not None:
            return line.name
        item = self.wf.store.get_item(item_id)
        return item.name if item is not None else f"item {item_id}"
