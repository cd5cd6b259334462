"""``ReceiveRun``: one ``scanner-app receive`` run (or ``jobs resume`` of one). Qt-free.

It turns the command line (one batch, a GS1 label, serial numbers) or a shipping-notice
file into receipt rows and a :class:`~.receiving_plan.ReceivePlan`, checks every row with
the receive workflow's rules while holding back the writes, and records them (each line
with its outbox entry, and the row marked recorded, in one transaction) only when every
row was accepted: a refused file leaves nothing behind. The receipt is then closed (no
more lines) and its lines are followed until the worker has delivered them.

The same command run again (the same ``--reference``; without one, the same place and
rows) finds the receipt it made: an open one (a killed run) is continued, recording only
the rows not recorded yet; a completed one is reported as it stands, nothing received
again. The same reference with other content is refused, naming that receipt.

On a Zoho station each row's item is brought up to date from Zoho (its record with the
tracking flags, its serial numbers and batches, when due) before its row is checked
(:mod:`~scanner_app.workflows.inline_scans`); when Zoho cannot be reached the local copy
is used (said on stderr) or, with none, the row is refused (``details_unavailable``).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from functools import partial
from typing import Any, Literal

from scanner_app.codes.classification import CodeKind
from scanner_app.inventory.models import Item
from scanner_app.jobs.ownership import JobInUse
from scanner_app.outbox import Outbox
from scanner_app.outbox.for_station import station_target
from scanner_app.outbox.store import ActionRefused
from scanner_app.scanning.scan import Scan, ScanSource
from scanner_app.workflows.inline_scans import DetailsUnavailable, InlineScans, to_stderr
from scanner_app.workflows.places import PlaceNotFound, find_bin, find_warehouse
from scanner_app.workflows.receiving import ReceivingWorkflow
from scanner_app.workflows.receiving_answers import ReceiveAnswer
from scanner_app.workflows.receiving_file import FileRefused, ReceiptRow, checked_row, read_rows
from scanner_app.workflows.receiving_plan import ReceivePlan
from scanner_app.workflows.receiving_records import ReceiptRow as ReceiptRecord
from scanner_app.workflows.receiving_rules import BadField, BatchFields, label_fields

_BATCH_OPTIONS = ("batch", "manufacturer_batch", "manufactured", "expiry", "quantity", "gs1")
FINAL_STATES = ("assigned", "conflict", "failed", "cancelled")
Run = Literal["new", "continued", "already_completed"]


def all_assigned(report: dict[str, Any]) -> bool:
    """Every line of a run's report was assigned (and there is at least one)."""
    return bool(report["lines"]) and all(line["state"] == "assigned" for line in report["lines"])


def when(stamp: float | None) -> str:
    """A receipt's time for a person: local date and minute."""
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(stamp or 0))


class UsageProblem(ValueError):
    """The options do not make one receipt (exit 2); ``str()`` says which."""


class ReceiveRun:
    """One run: :meth:`from_args` for ``scanner-app receive``, :meth:`for_receipt` to finish
    an open receipt a command started (``jobs resume``)."""

    def __init__(self, station: Any, args: argparse.Namespace | None = None) -> None:
        self.station, self.args = station, args
        self.outbox = Outbox(station.inventory)
        self._held: list[Callable[[], object]] = []
        self.workflow = ReceivingWorkflow(self.outbox, station_target(station.settings),
                                          warning_days=station.settings.receiving.expiry_warning_days,
                                          today=station.today, write=self._held.append)
        self._items: dict[str, Item | ReceiveAnswer] = {}
        self.scans = InlineScans(station, to_stderr("receive"))
        self.label_item: Item | None = None
        self.rows: list[ReceiptRow] = []
        self.plan: ReceivePlan | None = None
        self.accept_expiring = bool(args and args.accept_expiring)
        self.problem: str | None = None
        self.run: Run = "new"
        self.note: str | None = None
        self._recorded: dict[int, int] = {}  # the plan's row index -> its line's position
        self._receipt: ReceiptRecord | None = None
        if args is not None:
            self._rows_from_args()

    @classmethod
    def for_receipt(cls, station: Any, receipt: ReceiptRecord, plan: ReceivePlan) -> ReceiveRun:
        """A run that finishes the open receipt a command started, from its saved plan."""
        run = cls(station)
        run.plan, run.rows, run.accept_expiring = plan, list(plan.rows), plan.accept_expiring
        run._receipt = receipt
        return run

    # -- the input ---------------------------------------------------------------------------
    def _rows_from_args(self) -> None:
        a = self.args
        assert a is not None
        given = [name for name in (*_BATCH_OPTIONS, "item", "serial") if getattr(a, name, None)]
        if a.from_file is not None:
            if given:
                raise UsageProblem(f"--from takes the lines from the file: leave out --{given[0].replace('_', '-')}")
            try:
                self.rows = read_rows(a.from_file)
            except FileRefused as refused:
                self.problem = f"{a.from_file} refused, nothing was recorded: " + "; ".join(refused.problems)
            return
        if a.serial:
            mixed = [name for name in _BATCH_OPTIONS if getattr(a, name, None)]
            if mixed or not a.item:
                raise UsageProblem("--serial goes with --item only" if mixed else "--serial needs --item CODE")
            self.rows = [ReceiptRow(0, a.item, serial=s) for s in a.serial]
            return
        if not (a.item or a.gs1):
            raise UsageProblem("say what arrives: --item CODE --batch B, --gs1 RAW, --item CODE --serial S, "
                               "or --from FILE.csv")
        try:
            self.rows = [self._row_from_options()]
        except BadField as bad:
            self.problem = f"{bad}: nothing was recorded"

    def _row_from_options(self) -> ReceiptRow:
        a = self.args
        assert a is not None
        values: dict[str, str | None] = {"item": a.item, "batch": a.batch, "manufacturer_batch": a.manufacturer_batch,
                                         "manufactured": a.manufactured, "expiry": a.expiry, "quantity": a.quantity}
        if a.gs1:
            outcome = self.station.pipeline.process(Scan(a.gs1, ScanSource.CLI))
            self.station.history.record(outcome)
            c = outcome.classification
            if c.kind is not CodeKind.GS1 or not c.gs1:
                raise BadField(f"--gs1 is not a GS1 label: {outcome.result.reason or c.reason or c.display}")
            label = label_fields(c.gs1)
            if outcome.result.item is None:
                raise BadField(f"--gs1: no item with GTIN {label.gtin or '?'} in the inventory")
            self.label_item = outcome.result.item
            values["item"] = values["item"] or label.gtin or outcome.result.item.item_id
            filled = {"batch": label.batch_number, "manufactured": label.manufactured_date,
                      "expiry": label.expiry_date, "serial": label.serialnumber,
                      "quantity": None if label.quantity is None else f"{label.quantity:g}"}
            for name, value in filled.items():
                if not values.get(name) and value:
                    values[name] = value
        return checked_row(0, values)

    # -- which receipt: a new one, or the one the same command made ------------------------------
    def check_and_record(self) -> dict[str, Any]:
        """``scanner-app receive``: find or start the receipt, then record what is left of it."""
        if self.problem is not None:
            return self._refused_report([])
        assert self.args is not None
        try:
            warehouse_id, bin_id = self._place()
            plan = ReceivePlan(tuple(self.rows), warehouse_id, bin_id, (self.args.reference or "").strip() or None,
                               self.accept_expiring)
            receipt, new = self.workflow.start_command(plan)
        except PlaceNotFound as refused:
            self.problem = f"{refused}: nothing was recorded"
            return self._refused_report([])
        except JobInUse as busy:
            self.problem = f"nothing was recorded: {busy}"
            return self._refused_report([])
        if new:
            self.plan = plan
            return self._record_rest(new=True)
        refusal = self._other_content(receipt, plan)
        if refusal is not None:
            self.problem = refusal
            return self._refused_report([])
        earlier = self.workflow.records.plan(receipt.receipt_id)
        assert earlier is not None  # the same content: a command's receipt
        self.plan, self.rows = earlier, list(earlier.rows)
        self.accept_expiring = self.accept_expiring or earlier.accept_expiring
        if receipt.state != "open":
            self.workflow.show(receipt)
            self._recorded = self.workflow.records.recorded_rows(receipt.receipt_id)
            self.run = "already_completed"
            self.note = (f"{receipt.job_id}{_ref(receipt)} was already completed on {when(receipt.closed_at)}: "
                         "nothing was received again; its lines as recorded")
            return self.report()
        try:
            return self.continue_receipt(receipt)
        except JobInUse as busy:
            self.problem = f"nothing was recorded: {busy}"
            return self._refused_report([])

    def continue_receipt(self, receipt: ReceiptRecord | None = None) -> dict[str, Any]:
        """Hold the open ``receipt`` (default: the one :meth:`for_receipt` was made for) and
        record the plan's rows not recorded yet (JobInUse when another process holds it)."""
        receipt = receipt or self._receipt
        assert receipt is not None
        self.workflow.take_over(receipt)
        assert self.plan is not None
        self._recorded = self.workflow.records.recorded_rows(receipt.receipt_id)
        self.run = "continued"
        self.note = (f"{receipt.job_id}{_ref(receipt)} was left open by an earlier run: continued "
                     f"({len(self._recorded)} of {len(self.plan.rows)} lines were recorded already)")
        return self._record_rest(new=False)

    def close_window_receipt(self, receipt: ReceiptRecord) -> dict[str, Any]:
        """Hold the open ``receipt`` started in the window and close it with the lines it has
        (as the page's Finish does; JobInUse when another process holds it)."""
        self.workflow.take_over(receipt)
        self.workflow.finish()
        self.run = "continued"
        live = sum(1 for line in self.workflow.all_lines() if not line.cancelled)
        self.note = f"{receipt.job_id}{_ref(receipt)} (started in the window) was closed with the {live} line(s) it had"
        return self.report()

    def _other_content(self, receipt: ReceiptRecord, plan: ReceivePlan) -> str | None:
        """The refusal when ``receipt`` (found by the reference) holds another command's content."""
        if receipt.content_hash == plan.content_hash:
            return None
        job = receipt.job_id
        if receipt.state == "open":
            how = ("started in the window" if not receipt.from_command else "other lines or another place")
            return (f"reference {plan.reference} is open as {job} ({how}), nothing was recorded: finish it with "
                    f"`scanner-app jobs resume {job}` or cancel it with `scanner-app jobs cancel {job}`; "
                    "a different delivery needs its own --reference")
        return (f"reference {plan.reference} was already received on {when(receipt.closed_at)} ({job}) with "
                "other lines or another place, nothing was recorded: a different delivery needs its own --reference")

    # -- checking, then recording ---------------------------------------------------------------
    def _record_rest(self, *, new: bool) -> dict[str, Any]:
        receipt = self.workflow.receipt
        assert receipt is not None and self.plan is not None
        answers = []
        for ordinal, row in enumerate(self.rows):
            if ordinal in self._recorded:
                continue
            with self.workflow.lines.recording_with(partial(self._mark, receipt.receipt_id, ordinal)):
                answers.append((row, self._take(row)))
        refusals = [f"{row.where}: {answer.message}" for row, answer in answers if not answer.accepted]
        if refusals:
            self._held.clear()
            if new or not self._recorded:  # a receipt with no line yet (e.g. killed while checking) goes
                self.workflow.records.forget(receipt.receipt_id)
                self.problem = "; ".join(refusals) + ": nothing was recorded"
            else:
                self.problem = "; ".join(refusals) + f": nothing more was recorded; {self._still_open(receipt)}"
            return self._refused_report(answers)
        for work in self._held:  # every row was accepted: record them, each line with its entry
            try:
                work()
            except ActionRefused as refused:
                self._held.clear()
                self.workflow.reload()
                self.problem = f"{refused}; {self._still_open(receipt)}"
                return self.report()
        self._held.clear()
        self.workflow.finish()  # no more lines; what was recorded is delivered
        return self.report()

    def _mark(self, receipt_id: int, ordinal: int, conn: Any, position: int) -> None:
        self.workflow.records.mark_row(conn, receipt_id, ordinal, position)
        self._recorded[ordinal] = position

    def _still_open(self, receipt: ReceiptRecord) -> str:
        assert self.plan is not None
        done = len(self.workflow.records.recorded_rows(receipt.receipt_id))
        return (f"{receipt.job_id} stays open with {done} of {len(self.plan.rows)} lines recorded (run this again "
                f"once that is fixed, or release it: `scanner-app jobs cancel {receipt.job_id}`)")

    def _place(self) -> tuple[str, str | None]:
        assert self.args is not None
        inventory = self.station.inventory
        remembered_warehouse, remembered_bin = self.workflow.records.remembered_place()
        chosen = self.args.warehouse or remembered_warehouse
        if not chosen:
            raise PlaceNotFound("no warehouse: give --warehouse W (the station remembers it afterwards)")
        warehouse = find_warehouse(inventory, chosen)
        if self.args.bin:
            return warehouse.warehouse_id, find_bin(inventory, warehouse.warehouse_id, self.args.bin).bin_id
        same = warehouse.warehouse_id == remembered_warehouse
        return warehouse.warehouse_id, remembered_bin if same else None

    def _item(self, code: str) -> Item | ReceiveAnswer:
        """The item a code names (up to date, on a Zoho station), or the refusal saying why none."""
        if code not in self._items:
            try:
                outcome = self.scans.process(code)
            except DetailsUnavailable as unavailable:
                self._items[code] = ReceiveAnswer("details_unavailable", str(unavailable))
                return self._items[code]
            result = outcome.result
            item = result.item if result.kind == "item" or outcome.classification.kind is CodeKind.GS1 else None
            self._items[code] = item if item is not None else ReceiveAnswer(
                "unknown_item", result.reason or f"no item with code {code}")
        return self._items[code]

    def _take(self, row: ReceiptRow) -> ReceiveAnswer:
        item = self._item(row.item)
        if isinstance(item, ReceiveAnswer):
            return item
        if self.label_item is not None and self.args and self.args.item and item.item_id != self.label_item.item_id:
            return ReceiveAnswer("unknown_item", f"--item {row.item} is {item.name}, the label is "
                                 f"{self.label_item.name}")
        if row.serial:
            return self.workflow.receive_serial(row.serial, item=item)
        assert row.batch is not None
        waiting = self.workflow.lines.live_batch(item.item_id, row.batch)
        if waiting is not None and waiting.state in ("conflict", "failed"):  # an earlier run's line
            return ReceiveAnswer("line_not_changeable", f"batch {row.batch} is line {waiting.position}, which is "
                                 f"{waiting.state} ({waiting.reason}): more cannot be added to it")
        answer = self.workflow.receive_batch(BatchFields(row.batch, row.manufacturer_batch, row.manufactured,
                                                         row.expiry, row.quantity), item=item)
        if answer.verdict == "needs_confirmation" and answer.pending is not None:
            if not self.accept_expiring:
                return ReceiveAnswer("needs_confirmation", answer.message.replace(": receive it anyway?", "")
                                     + " (--accept-expiring takes it)")
            answer = self.workflow.confirm(answer.pending)
        return answer

    # -- waiting -------------------------------------------------------------------------------
    def wait(self, timeout: float) -> None:
        """Deliver (or wait for the window's relay to deliver) until every line is final or time is up."""
        from scanner_app.commands.delivery_wait import deliver_or_wait

        def assigning() -> bool:
            self.workflow.reload()
            return not all(line.state in FINAL_STATES for line in self.workflow.all_lines())

        try:
            deliver_or_wait(self.station, self.outbox, timeout, assigning)
        finally:
            self.workflow.reload()

    # -- what happened -----------------------------------------------------------------------------
    def _receipt_json(self) -> dict[str, Any] | None:
        r = self.workflow.receipt
        return None if r is None else {"id": r.receipt_id, "reference": r.reference, "warehouse_id": r.warehouse_id,
                                       "bin_id": r.bin_id}

    def _refused_report(self, answers: list[tuple[ReceiptRow, ReceiveAnswer]]) -> dict[str, Any]:
        lines = [{"row": row.row, "item": row.item, "item_id": None, "kind": "serial" if row.serial else "batch",
                  "batch_number": row.batch, "serialnumber": row.serial, "quantity": row.quantity,
                  "expiry_date": row.expiry, "state": "refused" if not a.accepted else "not recorded",
                  "reason": None if a.accepted else a.message, "batch_id": None, "verdict": a.verdict,
                  "message": a.message} for row, a in answers]
        r = self.workflow.receipt
        kept = self.run != "new" and r is not None and self.workflow.records.get(r.receipt_id) is not None
        receipt = self._receipt_json() if kept else None  # a refused new receipt was forgotten
        return {"receipt": receipt, "run": self.run, "note": self.note, "all_assigned": False, "problem": self.problem,
                "lines": lines}

    def report(self) -> dict[str, Any]:
        rows_of: dict[int, ReceiptRow] = {}
        for ordinal in sorted(self._recorded):
            rows_of.setdefault(self._recorded[ordinal], self.rows[ordinal])
        lines = []
        for line in self.workflow.all_lines():
            row = rows_of.get(line.position)
            lines.append({"row": row.row if row else 0, "item": row.item if row else line.item_id, **line.to_json(),
                          "verdict": None, "message": None})
        return {"receipt": self._receipt_json(), "run": self.run, "note": self.note, "all_assigned": False,
                "problem": self.problem, "lines": lines}

    def close(self) -> None:
        self.workflow.close()


def _ref(receipt: ReceiptRecord) -> str:
    return f" (reference {receipt.reference})" if receipt.reference else ""
