"""``ReceiveRun``: one ``scanner-app receive`` run. Qt-free.

It turns the command line (one batch, a GS1 label, serial numbers) or a shipping-notice
file into receipt rows, checks every row with the receive workflow's rules while holding
back the writes, and records them (each line with its outbox entry) only when every row
was accepted: a refused file leaves nothing behind. The receipt is then closed (no more
lines) and its lines are followed until the worker has delivered them.

On a Zoho station each row's item is brought up to date from Zoho (its record with the
tracking flags, its serial numbers and batches, when due) before its row is checked
(:mod:`~scanner_app.workflows.inline_scans`); when Zoho cannot be reached the local copy
is used (said on stderr) or, with none, the row is refused (``details_unavailable``).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any

from scanner_app.codes.classification import CodeKind
from scanner_app.inventory.models import Item
from scanner_app.outbox import Outbox
from scanner_app.outbox.for_station import station_target
from scanner_app.scanning.scan import Scan, ScanSource
from scanner_app.workflows.inline_scans import DetailsUnavailable, InlineScans, to_stderr
from scanner_app.workflows.places import PlaceNotFound, find_bin, find_warehouse
from scanner_app.workflows.receiving import ReceivingWorkflow
from scanner_app.workflows.receiving_answers import ReceiveAnswer, ReceiveNotReady
from scanner_app.workflows.receiving_file import FileRefused, ReceiptRow, checked_row, read_rows
from scanner_app.workflows.receiving_rules import BadField, BatchFields, label_fields

_BATCH_OPTIONS = ("batch", "manufacturer_batch", "manufactured", "expiry", "quantity", "gs1")


class UsageProblem(ValueError):
    """The options do not make one receipt (exit 2); ``str()`` says which."""


class ReceiveRun:
    def __init__(self, station: Any, args: argparse.Namespace) -> None:
        self.station, self.args = station, args
        self.outbox = Outbox(station.inventory)
        self._held: list[Callable[[], object]] = []
        self.workflow = ReceivingWorkflow(self.outbox, station_target(station.settings),
                                          warning_days=station.settings.receiving.expiry_warning_days,
                                          today=station.today, write=self._held.append)
        self._rows_of: dict[int, int] = {}  # line position -> first row number
        self._items: dict[str, Item | ReceiveAnswer] = {}
        self.scans = InlineScans(station, to_stderr("receive"))
        self.label_item: Item | None = None
        self.rows: list[ReceiptRow] = []
        self.problem: str | None = None
        self._rows_from_args()

    # -- the input ---------------------------------------------------------------------------
    def _rows_from_args(self) -> None:
        a = self.args
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

    # -- checking, then recording ---------------------------------------------------------------
    def check_and_record(self) -> dict[str, Any]:
        if self.problem is not None:
            return self._refused_report([])
        try:
            warehouse_id, bin_id = self._place()
            self.workflow.start(self.args.reference, warehouse_id, bin_id, close_open=False)
        except (PlaceNotFound, ReceiveNotReady) as refused:
            self.problem = f"{refused}: nothing was recorded"
            return self._refused_report([])
        answers = [(row, self._take(row)) for row in self.rows]
        refusals = [f"{row.where}: {answer.message}" for row, answer in answers if not answer.accepted]
        if refusals:
            assert self.workflow.receipt is not None
            self.records_forget()
            self.problem = "; ".join(refusals) + ": nothing was recorded"
            return self._refused_report(answers)
        for work in self._held:  # every row was accepted: record them, each line with its entry
            work()
        self._held.clear()
        self.workflow.finish()  # no more lines; what was recorded is delivered
        return self.report()

    def records_forget(self) -> None:
        assert self.workflow.receipt is not None
        self.workflow.records.forget(self.workflow.receipt.receipt_id)
        self._held.clear()

    def _place(self) -> tuple[str, str | None]:
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
        if self.label_item is not None and self.args.item and item.item_id != self.label_item.item_id:
            return ReceiveAnswer("unknown_item", f"--item {row.item} is {item.name}, the label is "
                                 f"{self.label_item.name}")
        if row.serial:
            answer = self.workflow.receive_serial(row.serial, item=item)
        else:
            assert row.batch is not None
            answer = self.workflow.receive_batch(BatchFields(row.batch, row.manufacturer_batch, row.manufactured,
                                                             row.expiry, row.quantity), item=item)
            if answer.verdict == "needs_confirmation" and answer.pending is not None:
                if not self.args.accept_expiring:
                    return ReceiveAnswer("needs_confirmation", answer.message.replace(": receive it anyway?", "")
                                         + " (--accept-expiring takes it)")
                answer = self.workflow.confirm(answer.pending)
        if answer.line is not None:
            self._rows_of.setdefault(answer.line.position, row.row)
        return answer

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
        return {"receipt": None, "all_assigned": False, "problem": self.problem, "lines": lines}

    def report(self) -> dict[str, Any]:
        lines = []
        for line in self.workflow.all_lines():
            row = self._rows_of.get(line.position, 0)
            code = next((r.item for r in self.rows if r.row == row), line.item_id)
            lines.append({"row": row, "item": code, **line.to_json(), "verdict": None, "message": None})
        return {"receipt": self._receipt_json(), "all_assigned": False, "problem": None, "lines": lines}

    def close(self) -> None:
        self.workflow.close()
