"""``ReceivingWorkflow``: goods arriving at the receiving bench. Qt-free.

Start a receipt (an optional reference such as the purchase order or receive number, the
warehouse, the receiving bin; the station remembers the last two), then feed it each
scan's :class:`~scanner_app.scanning.scan.ScanOutcome`:

- an item code selects the current item (tracked by batch or by serial number);
- a bin code sets the receiving bin for the lines that follow (in the receipt's warehouse);
- for a batch-tracked item, a batch number (a batch the store knows brings its dates)
  adds a line with the page's quantity and dates (:class:`BatchDraft`); the same item and
  batch again adds to that line's quantity;
- for a serial-tracked item, each unit's new serial number adds a line; one the item has
  already, one already in this receipt or being received by another is refused;
- a GS1 label (AIs 01, 10, 11, 17, 21, 30/37) does all of it in one scan.

Dates follow :mod:`~scanner_app.workflows.receiving_rules`: an expiry before the
manufactured date is refused; an expired or soon-expiring batch is answered
``needs_confirmation`` with a :class:`~.receiving_answers.PendingLine` that
:meth:`ReceivingWorkflow.confirm` takes. Each refusal is its own verdict and changes nothing.

Each line is recorded with its outbox entry (``batch.assign`` / ``serial.receive``) at once,
so the relay assigns batches while scanning goes on; lines' states follow their entries
(:mod:`~scanner_app.workflows.receiving_lines`), and ``changed`` fires on whichever thread
moved them. A line can be corrected or cancelled until its entry is being delivered.

A receipt is a job (:mod:`scanner_app.jobs`, kind ``receipt``): from the moment its row
exists until the receipt is finished or the workflow closed, this process holds it with a
:class:`~scanner_app.jobs.ownership.JobOwnership` (taken inside the transaction that creates
the row), so ``scanner-app jobs`` resumes or cancels only receipts nobody works on; taking
over one another live process holds raises :class:`~scanner_app.jobs.ownership.JobInUse`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from scanner_app import days
from scanner_app.codes.classification import CodeKind
from scanner_app.events import Event
from scanner_app.inventory.models import Bin, Item
from scanner_app.inventory.records import load_bin
from scanner_app.jobs.ownership import JobInUse, JobOwnership
from scanner_app.outbox import EntryChange, Outbox
from scanner_app.outbox.store import ActionRefused
from scanner_app.scanning.scan import ScanOutcome
from scanner_app.workflows.receiving_answers import (
    PendingLine,
    ReceiptLine,
    ReceiveAnswer,
    ReceiveNotReady,
    sentence,
)
from scanner_app.workflows.receiving_intake import ReceivingIntake
from scanner_app.workflows.receiving_lines import ReceiptCancelled, ReceiptLines
from scanner_app.workflows.receiving_plan import PLAN_KIND, ReceivePlan
from scanner_app.workflows.receiving_records import ReceiptRecords, ReceiptRow
from scanner_app.workflows.receiving_rules import BadField, BatchFields, label_fields
from scanner_app.workflows.unit import Workflow, Write, write_now

DEFAULT_WARNING_DAYS = 30


@dataclass(frozen=True)
class BatchDraft:
    """What the person typed for the next batch scan (empty: not given)."""

    quantity: float | None = None
    manufacturer_batch_number: str | None = None
    manufactured_date: str | None = None
    expiry_date: str | None = None


class ReceivingWorkflow(ReceivingIntake):
    """One station's receiving on ``outbox``'s database, recording entries for ``target``."""

    def __init__(self, outbox: Outbox, target: str, *, warning_days: int = DEFAULT_WARNING_DAYS,
                 today: days.Today = days.today, write: Write = write_now) -> None:
        self.outbox = outbox
        self.store = outbox.store
        self.records = ReceiptRecords(self.store)
        self.warning_days = warning_days
        self.today = today
        self.changed: Event[ReceivingWorkflow] = Event()
        self.lines = ReceiptLines(outbox, target, self.records, write=write, changed=self._emit)
        self.receipt: ReceiptRow | None = None
        self.current_item: Item | None = None
        self._names: dict[str, str] = {}
        self._ownership: JobOwnership | None = None
        outbox.entry_changed.connect(self._on_entry_changed)
        self._following = True

    def close(self) -> None:
        """Stop following the outbox and let the receipt go (idempotent)."""
        if self._following:
            self._following = False
            self.outbox.entry_changed.disconnect(self._on_entry_changed)
        self._let_go()

    def _emit(self) -> None:
        self.changed.emit(self)

    # -- the receipt ---------------------------------------------------------------------------
    def start(self, reference: str | None, warehouse_id: str, bin_id: str | None = None, *,
              close_open: bool = True) -> ReceiptRow:
        """Open a receipt (``close_open``: the window's open one is closed; its lines still go through)."""
        if warehouse_id not in {w.warehouse_id for w in self.store.warehouses()}:
            raise ReceiveNotReady(f"there is no warehouse {warehouse_id!r} in the inventory")
        if bin_id:
            found = load_bin(self.store.connection(), bin_id)
            if found is None or found.warehouse_id != warehouse_id:
                raise ReceiveNotReady(f"bin {bin_id!r} is not in warehouse {warehouse_id}")
        taken: list[JobOwnership] = []
        try:
            row = self.records.create((reference or "").strip() or None, warehouse_id, bin_id or None,
                                      close_open=close_open, on_created=lambda number: taken.append(self._take(number)))
        except BaseException:
            _release(taken)
            raise
        self._hold(taken[0])
        self._load(row)
        return row

    def start_command(self, plan: ReceivePlan) -> tuple[ReceiptRow, bool]:
        """A new receipt for a command's ``plan``, held and loaded: (it, True); or the
        receipt the same command may have made before, neither held nor loaded: (it, False)."""
        taken: list[JobOwnership] = []
        try:
            row, new = self.records.claim_for_command(plan, lambda number: taken.append(self._take(number)))
        except BaseException:
            _release(taken)
            raise
        if new:
            self._hold(taken[0])
            self._load(row)
        return row, new

    def take_over(self, row: ReceiptRow) -> None:
        """Hold the open receipt ``row`` and load it with its lines (JobInUse when another
        live process holds it: nothing is loaded then)."""
        self._hold(self._take(row.receipt_id))
        self._load(self.records.get(row.receipt_id))

    def show(self, row: ReceiptRow) -> None:
        """Load a receipt to read its lines' states (a completed one: nothing is held)."""
        self._let_go()
        self._load(row)

    def resume(self) -> ReceiptRow | None:
        """Reload the latest open receipt started in the window (after a restart), with its
        lines; JobInUse (and nothing loaded) when another live process holds it."""
        row = self.records.latest_open()
        if row is not None:
            self.take_over(row)
        return self.receipt

    def cancel_receipt(self, why: str) -> ReceiptCancelled:
        """Cancel the held open receipt (see :meth:`ReceiptLines.cancel_all`) and let it go."""
        assert self.receipt is not None and self.is_open
        cancelled = self.lines.cancel_all(self.receipt, why)
        self._let_go()
        self._load(self.records.get(self.receipt.receipt_id))
        return cancelled

    def _take(self, number: int) -> JobOwnership:
        if self._ownership is not None and self._ownership.number == number:
            return self._ownership
        ownership = JobOwnership(self.store.path, PLAN_KIND, number)
        if not ownership.take():
            raise JobInUse(PLAN_KIND, number)
        return ownership

    def _hold(self, ownership: JobOwnership) -> None:
        if ownership is not self._ownership:
            self._let_go()
            self._ownership = ownership

    def _let_go(self) -> None:
        ownership, self._ownership = self._ownership, None
        if ownership is not None:
            ownership.release()

    def reload(self) -> None:
        """Read the receipt and its lines' states again (e.g. after a failed write)."""
        if self.receipt is not None:
            self._load(self.records.get(self.receipt.receipt_id))

    def finish(self) -> None:
        """Close the receipt: no more lines; what was recorded is still delivered."""
        if self.is_open:
            assert self.receipt is not None
            self.records.close(self.receipt.receipt_id)
            self.receipt = self.records.get(self.receipt.receipt_id) or replace(self.receipt, state="closed")
            self._let_go()
            self._emit()

    def complete(self) -> None:
        """:meth:`finish` the open receipt; ReceiveNotReady when none is open."""
        if not self.is_open:
            raise ReceiveNotReady("there is no open receipt to complete")
        self.finish()

    def cancel(self) -> None:
        """Cancel the open receipt, if any (:meth:`cancel_receipt`: its lines not sent are released)."""
        if self.is_open:
            assert self.receipt is not None
            self.cancel_receipt(f"{self.receipt.job_id} cancelled")

    @property
    def is_open(self) -> bool:
        return self.receipt is not None and self.receipt.state == "open"

    def _load(self, row: ReceiptRow | None) -> None:
        self.receipt, self.current_item = row, None
        self.lines.load(row, self.item_name)
        self._emit()

    def item_name(self, item_id: str) -> str:
        name = self._names.get(item_id)
        if name is None:
            row = self.store.connection().execute("SELECT name FROM items WHERE item_id = ?", (item_id,)).fetchone()
            name = self._names[item_id] = str(row[0]) if row else f"item {item_id}"
        return name

    def select_bin(self, bin_: Bin) -> ReceiveAnswer:
        """The receiving bin for the lines that follow (scanned, or chosen on the page)."""
        if not self.is_open:
            return ReceiveAnswer("no_receipt", "Start a receipt first")
        assert self.receipt is not None
        if bin_.warehouse_id != self.receipt.warehouse_id:
            return ReceiveAnswer("bin_other_warehouse", f"Bin {bin_.code} is in "
                                 f"{bin_.warehouse_name or bin_.warehouse_id}, not in this receipt's warehouse")
        self.records.set_bin(self.receipt.receipt_id, self.receipt.warehouse_id, bin_.bin_id)
        self.receipt = replace(self.receipt, bin_id=bin_.bin_id)
        self._emit()
        return ReceiveAnswer("bin_selected", f"Bin {bin_.code}: the lines that follow are received into it")

    # -- scans -----------------------------------------------------------------------------------
    def handle(self, outcome: ScanOutcome, draft: BatchDraft | None = None) -> ReceiveAnswer:
        """Check one scan and take it in, or say why not (and change nothing)."""
        if not self.is_open:
            return ReceiveAnswer("no_receipt", "Start a receipt first: its reference, warehouse and bin")
        draft = draft or BatchDraft()
        result, c = outcome.result, outcome.classification
        text = (c.text if c.text is not None else c.raw).strip()
        if result.status == "invalid":
            return ReceiveAnswer("invalid", result.reason or "Not a valid code")
        if c.kind is CodeKind.GS1 and result.gs1:
            return self._take_label(result.gs1, result.item, draft)
        if result.kind == "bin" and result.bin is not None:
            return self.select_bin(result.bin)
        current = self.current_item
        if result.kind == "serial" and result.serial is not None:
            if current is None or current.item_id == result.serial.item_id:
                return ReceiveAnswer("serial_exists", f"{result.serial.serialnumber} is already a serial number of "
                                     f"{self.item_name(result.serial.item_id)}")
            if current.track_serial_number:
                return self.receive_serial(text)  # another item's serial: new for this one
        if result.kind == "item" and result.item is not None:
            if current is not None and current.track_serial_number and self.records.serial_exists(
                    current.item_id, text):
                return ReceiveAnswer("serial_exists", f"{text} is already a serial number of {current.name}")
            return self.select_item(result.item)
        if result.kind == "batch" and result.batch is not None:
            known = result.batch
            if current is None or current.item_id == known.item_id:
                item = current or self.store.get_item(known.item_id)
                if item is None:
                    return ReceiveAnswer("unknown_item", f"Batch {known.batch_number}'s item is not in the inventory")
                fields = self._fields(known.batch_number, draft, known.manufacturer_batch_number,
                                      known.manufactured_date, known.expiry_date)
                return fields if isinstance(fields, ReceiveAnswer) else self.receive_batch(fields, item=item)
        if current is None:
            return ReceiveAnswer("no_item", result.reason or f"No item with code {text}: scan the item first")
        if current.track_batch_number:
            fields = self._fields(text, draft)
            return fields if isinstance(fields, ReceiveAnswer) else self.receive_batch(fields)
        return self.receive_serial(text)

    def _fields(self, number: str, draft: BatchDraft, mfr: str | None = None, made: str | None = None,
                expiry: str | None = None) -> BatchFields | ReceiveAnswer:
        """The batch fields of a scanned batch number: the page's, else the store's."""
        if not number:
            return ReceiveAnswer("bad_field", "A batch number is needed")
        return BatchFields(number, draft.manufacturer_batch_number or mfr, draft.manufactured_date or made,
                           draft.expiry_date or expiry, draft.quantity or 1.0)

    def _take_label(self, gs1: dict[str, str], item: Item | None, draft: BatchDraft) -> ReceiveAnswer:
        try:
            label = label_fields(gs1)
        except BadField as bad:
            return ReceiveAnswer("bad_field", f"The label cannot be used: {bad}")
        if item is None:
            gtin = label.gtin or "?"
            return ReceiveAnswer("unknown_item", f"No item with GTIN {gtin} in the inventory")
        if item.track_serial_number:
            if label.serialnumber:
                return self.receive_serial(label.serialnumber, item=item)
            answer = self.select_item(item)
            return replace(answer, note="The label has no serial number (21): scan each unit's serial")
        if item.track_batch_number:
            if not label.batch_number:
                answer = self.select_item(item)
                return replace(answer, note="The label has no batch (10): scan or type the batch number")
            quantity = label.quantity or draft.quantity or 1.0
            return self.receive_batch(BatchFields(label.batch_number, draft.manufacturer_batch_number,
                                                  label.manufactured_date, label.expiry_date, quantity), item=item)
        return self.select_item(item)  # says it is not tracked

    # -- a person's confirmations and changes ------------------------------------------------------
    def confirm(self, pending: PendingLine) -> ReceiveAnswer:
        """Take a line that waited for confirmation (an expiring batch)."""
        item = self.store.get_item(pending.item_id)
        if item is None:
            return ReceiveAnswer("unknown_item", f"Item {pending.item_id} is no longer in the inventory")
        if pending.correcting is not None:
            return self.correct(pending.correcting, pending.fields, confirmed=True)
        return self.receive_batch(pending.fields, item=item, confirmed=True)

    def cancel_line(self, position: int) -> ReceiveAnswer:
        line = self.lines.get(position)
        if line is None or self.receipt is None or line.cancelled:
            return ReceiveAnswer("line_not_changeable", f"There is no line {position} to cancel")
        try:
            self.lines.replace_line(self.receipt, line, replace(line, cancelled=True))
        except ActionRefused as refused:
            return ReceiveAnswer("line_not_changeable", sentence(str(refused)))
        return ReceiveAnswer("line_cancelled", f"Line {position} cancelled: nothing of it is sent", changed=(position,))

    def _on_entry_changed(self, change: EntryChange) -> None:
        self.lines.on_entry_changed(change)

    # -- what the page shows --------------------------------------------------------------------
    def totals(self) -> dict[str, float]:
        """Lines and units received (cancelled lines left out), and lines per state."""
        live = [line for line in self.lines.all() if not line.cancelled]
        counts: dict[str, float] = {"lines": len(live), "units": sum(line.quantity for line in live)}
        for line in live:
            counts[line.state] = counts.get(line.state, 0) + 1
        return counts

    def all_lines(self) -> list[ReceiptLine]:
        return self.lines.all()


def _release(taken: list[JobOwnership]) -> None:
    """Let go of an ownership taken inside a transaction that did not commit."""
    for ownership in taken:
        ownership.release()


# The window and the commands drive it as a Workflow (mypy checks that it is one).
_AS_WORKFLOW: type[Workflow] = ReceivingWorkflow
