"""Receipts as jobs (kind ``receipt``, :mod:`scanner_app.jobs`): open receipts listed, resumed
or cancelled by ``scanner-app jobs``. Qt-free.

- listing: every open receipt, with how much of it is recorded ("12 of 40 lines recorded"
  for a command's, whose plan is saved) and whether another live process is working on it;
- ``resume``: a command's receipt is finished from its saved plan (the rows not recorded
  yet are recorded, no file needed) and waited for; a receipt started in the window is
  closed with the lines it has (as the page's Finish does) and waited for. Exit 0 when
  every line was assigned;
- ``cancel``: one transaction: lines nothing of which was sent are cancelled and their
  entries discarded (their serial numbers may be received again), the reference is
  released; what was delivered to the inventory system (or is being delivered) is not
  touched, and the words say so.

A receipt another live process holds (:class:`~scanner_app.jobs.ownership.JobOwnership`) is
neither resumed nor cancelled: the answer says so (exit 1).
"""

from __future__ import annotations

from typing import Any

from scanner_app.jobs import JobNotFound, JobOutcome, OpenJob
from scanner_app.jobs.ownership import JobInUse, in_use_elsewhere
from scanner_app.outbox import Outbox
from scanner_app.outbox.for_station import station_target
from scanner_app.workflows.receiving import ReceivingWorkflow
from scanner_app.workflows.receiving_answers import ReceiptLine
from scanner_app.workflows.receiving_plan import PLAN_KIND
from scanner_app.workflows.receiving_records import ReceiptRecords, ReceiptRow
from scanner_app.workflows.receiving_run import ReceiveRun, all_assigned, when

EXIT_OK, EXIT_NOT_DONE = 0, 1
_LISTED = 5  # serial numbers named in a sentence before "and N more"


class ReceiptJobs:
    kind = PLAN_KIND

    def open_jobs(self, station: Any) -> list[OpenJob]:
        records = ReceiptRecords(station.inventory)
        jobs = []
        for row in records.all_open():
            live = [line for line in records.lines(row.receipt_id) if not line.cancelled]
            plan = records.plan(row.receipt_id)
            serials = sum(1 for line in live if line.kind == "serial")
            if plan is not None:
                done = len(records.recorded_rows(row.receipt_id))
                holds = f"{done} of {_lines(len(plan.rows))} recorded"
                how = (f"records the other {_lines(len(plan.rows) - done)} from the saved command"
                       " and waits for delivery"
                       if done < len(plan.rows) else "closes it and waits for delivery")
            else:
                holds = f"{_lines(len(live))} recorded in the window"
                how = "closes it with the lines it has (as Finish does) and waits for delivery"
            if row.reference:
                holds += f", reference {row.reference}"
            if serials:
                holds += f", {serials} new serial number{'s' if serials != 1 else ''}"
            if in_use_elsewhere(station.inventory.path, PLAN_KIND, row.receipt_id):
                how = "nothing: another scanner-app process is working on it (wait for it to finish or stop it)"
            jobs.append(OpenJob(kind=PLAN_KIND, number=row.receipt_id,
                                document=f"reference {row.reference}" if row.reference else "no reference",
                                warehouse_id=row.warehouse_id, started_at=row.created_at, holds=holds,
                                how_to_finish=how))
        return jobs

    def resume(self, station: Any, number: int, *, timeout: float) -> JobOutcome:
        records = ReceiptRecords(station.inventory)
        receipt = _open_receipt(records, number)
        plan = records.plan(number)
        run = ReceiveRun.for_receipt(station, receipt, plan) if plan is not None else ReceiveRun(station)
        try:
            report = run.continue_receipt() if plan is not None else run.close_window_receipt(receipt)
            if report["problem"] is None and report["lines"]:
                run.wait(timeout)
                report = run.report()
        except JobInUse as busy:
            return JobOutcome(EXIT_NOT_DONE, str(busy), {"receipt": number})
        finally:
            run.close()
        report["all_assigned"] = all_assigned(report)
        if report["problem"] is not None:
            return JobOutcome(EXIT_NOT_DONE, f"{receipt.job_id}: {report['problem']}", report)
        if not report["lines"]:
            return JobOutcome(EXIT_OK, f"{receipt.job_id} had no lines: it is closed, nothing to deliver", report)
        lines = report["lines"]
        if report["all_assigned"]:
            return JobOutcome(EXIT_OK, f"{receipt.job_id} finished: {_lines(len(lines), 'all ')} assigned", report)
        left = [f"line {ln['line']} ({_what(ln)}) {ln['state']}" + (f": {ln['reason']}" if ln["reason"] else "")
                for ln in lines if ln["state"] != "assigned"]
        return JobOutcome(EXIT_NOT_DONE, f"{receipt.job_id} has every line recorded, but {len(left)} of {len(lines)} "
                          f"not assigned: {'; '.join(left)} (see `scanner-app outbox`)", report)

    def cancel(self, station: Any, number: int) -> JobOutcome:
        records = ReceiptRecords(station.inventory)
        receipt = _open_receipt(records, number)
        workflow = ReceivingWorkflow(Outbox(station.inventory), station_target(station.settings), today=station.today)
        try:
            workflow.take_over(receipt)
            done = workflow.cancel_receipt(f"{receipt.job_id} cancelled (scanner-app jobs cancel)")
        except JobInUse as busy:
            return JobOutcome(EXIT_NOT_DONE, str(busy), {"receipt": number})
        finally:
            workflow.close()
        released = [line.to_json() for line in done.released]
        kept = [{**line.to_json(), "delivered_quantity": went} for line, went in done.kept]
        return JobOutcome(EXIT_OK, _cancelled_words(receipt, done.released, done.kept),
                          {"receipt": number, "reference_released": receipt.reference, "released_lines": released,
                           "delivered_lines_kept": kept})


def _open_receipt(records: ReceiptRecords, number: int) -> ReceiptRow:
    receipt = records.get(number)
    job = f"{PLAN_KIND}-{number}"
    if receipt is None:
        raise JobNotFound(f"there is no {job}")
    if receipt.cancelled_at is not None:
        raise JobNotFound(f"{job} is not open: it was cancelled on {when(receipt.cancelled_at)}")
    if receipt.state != "open":
        raise JobNotFound(f"{job} is not open: it was completed on {when(receipt.closed_at)} "
                          "(its command run again reports its lines)")
    return receipt


def _lines(count: int, every: str = "") -> str:
    return f"{every}{count} lines" if count != 1 else "1 line"


def _what(line: dict[str, Any]) -> str:
    return f"batch {line['batch_number']}" if line["kind"] == "batch" else f"serial {line['serialnumber']}"


def _cancelled_words(receipt: ReceiptRow, released: tuple[ReceiptLine, ...],
                     kept: tuple[tuple[ReceiptLine, float], ...]) -> str:
    parts = []
    if receipt.reference:
        parts.append(f"reference {receipt.reference}")
    if released:
        serials = [line.serialnumber or "" for line in released if line.kind == "serial"]
        batches = [line for line in released if line.kind == "batch"]
        what = []
        if serials:
            named = ", ".join(serials[:_LISTED]) + (f" and {len(serials) - _LISTED} more" if len(serials) > _LISTED
                                                    else "")
            what.append(f"{len(serials)} serial number{'s' if len(serials) != 1 else ''} ({named})")
        if batches:
            what.append(f"{len(batches)} batch line{'s' if len(batches) != 1 else ''} "
                        f"({sum(line.quantity for line in batches):g} units)")
        parts.append(f"{_lines(len(released))} nothing of which was sent: " + " and ".join(what))
    words = f"{receipt.job_id} cancelled: released " + ("; ".join(parts) if parts else "nothing (it had no lines)")
    if kept:
        delivered = ", ".join(f"{line.kind} {line.code} x{went:g}" for line, went in kept)
        were = "were" if len(kept) != 1 else "was"
        words += (f"; {_lines(len(kept))} had already reached the inventory system (or {were} being delivered) and "
                  f"{were} not touched: {delivered}")
    return words


RECEIPT_JOBS = ReceiptJobs()
