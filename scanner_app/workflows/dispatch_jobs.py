"""Open dispatches as jobs (``scanner-app jobs``; :mod:`scanner_app.jobs`): ``dispatch-N``. Qt-free.

- listed with what each holds ("37 serial numbers scanned") and what resume will do;
- ``resume``: a dispatch started by ``scanner-app dispatch`` finishes that whole command
  from its saved plan (:func:`~.dispatch_run.run_dispatch`: scans what is left, completes,
  delivers, reports like the command); one started in the window is completed with what
  was scanned when every serial has its bin, else nothing changes and the words say what
  is missing (exit 1);
- ``cancel``: the dispatch is cancelled and its serials released, said in words.

A dispatch held by another live process (:mod:`scanner_app.jobs.ownership`) is neither
resumed nor cancelled.
"""

from __future__ import annotations

from typing import Any

from scanner_app.jobs import JobNotFound, JobOutcome, OpenJob
from scanner_app.jobs.ownership import JobInUse, holding, in_use_elsewhere
from scanner_app.jobs.plans import load_plan, plans_of
from scanner_app.workflows.dispatch_records import DispatchRecords, DispatchRow

KIND = "dispatch"


def serial_count(n: int) -> str:
    return f"{n} serial number{'' if n == 1 else 's'}"


class DispatchJobs:
    kind = KIND

    def open_jobs(self, station: Any) -> list[OpenJob]:
        records = DispatchRecords(station.inventory)
        plans = plans_of(station.inventory.connection(), KIND)
        jobs = []
        for row, started, count in records.open_dispatches():
            jobs.append(OpenJob(KIND, row.dispatch_id, f"{row.entity_type} {row.entity_id}", row.warehouse_id,
                                started, f"{serial_count(count)} scanned",
                                self._how_to_finish(station, records, row, count, plans.get(row.dispatch_id))))
        return jobs

    def _how_to_finish(self, station: Any, records: DispatchRecords, row: DispatchRow, count: int,
                       plan: dict[str, Any] | None) -> str:
        if in_use_elsewhere(station.inventory.path, KIND, row.dispatch_id):
            return f"nothing now: {JobInUse(KIND, row.dispatch_id)}"
        if plan is not None:
            return (f"finishes the `scanner-app dispatch` command that started it ({serial_count(len(plan['serials']))}"
                    f" of {plan['item']}): scans the rest, completes and delivers")
        missing = _window_problem(station, records, row, count)
        if missing is not None:
            return f"nothing: {missing}; scan them in the window, or cancel it"
        return f"completes it with the {serial_count(count)} scanned and delivers"

    def resume(self, station: Any, number: int, *, timeout: float) -> JobOutcome:
        from scanner_app.commands import EXIT_NOT_DONE, EXIT_OK
        from scanner_app.workflows.dispatch_run import DispatchPlan, run_dispatch

        records = DispatchRecords(station.inventory)
        row = _open_row(records, number)
        if in_use_elsewhere(station.inventory.path, KIND, number):  # checked again when it is taken over
            return JobOutcome(1, str(JobInUse(KIND, number)))
        plan = load_plan(station.inventory.connection(), KIND, number)
        if plan is None:
            return self._complete_scanned(station, records, row, timeout)
        code, report = run_dispatch(station, DispatchPlan.from_json(plan), timeout, resume=row)
        mapped = sum(1 for line in report["serials"] if line["state"] in ("mapped", "recorded"))
        doc = f"{row.entity_type} {row.entity_id}"
        if code == EXIT_OK:
            message = f"finished dispatch-{number} ({doc}): {serial_count(mapped)} mapped"
        else:
            message = f"dispatch-{number} ({doc}) is not finished: {report['problem']}"
        return JobOutcome(code if code == EXIT_OK else EXIT_NOT_DONE, message, report)

    def _complete_scanned(self, station: Any, records: DispatchRecords, row: DispatchRow,
                          timeout: float) -> JobOutcome:
        """A dispatch the window started: completed with what it has, when it can be."""
        from scanner_app.commands.delivery_wait import deliver_or_wait
        from scanner_app.outbox import Outbox
        from scanner_app.outbox.for_station import dispatch_target
        from scanner_app.workflows.dispatch import DispatchWorkflow
        from scanner_app.workflows.dispatch_answers import DispatchNotReady

        doc = f"{row.entity_type} {row.entity_id}"
        workflow = DispatchWorkflow(Outbox(station.inventory), dispatch_target(station.settings))
        try:
            try:
                workflow.take_over(row, count_again=False)
                workflow.complete()
            except JobInUse as busy:
                return JobOutcome(1, str(busy))
            except DispatchNotReady as missing:
                return JobOutcome(1, f"dispatch-{row.dispatch_id} ({doc}) cannot be completed: {missing}; "
                                     f"nothing was changed (scan them in the window, or "
                                     f"`scanner-app jobs cancel dispatch-{row.dispatch_id}`)")

            def validating() -> bool:
                workflow.reload()
                return any(s.state == "validating" for s in workflow.serials())

            if workflow.target is not None and validating():
                deliver_or_wait(station, workflow.outbox, timeout, validating)
            workflow.reload()
            serials = workflow.serials()
        finally:
            workflow.close()
        lines = [{"serialnumber": s.serialnumber, "item_id": s.item_id, "bin_id": s.bin_id, "state": s.state,
                  "reason": s.reason} for s in serials]
        done = all(s.state in ("mapped", "recorded") for s in serials)
        details = {"dispatch_id": row.dispatch_id, "all_mapped": done, "serials": lines}
        if done:
            return JobOutcome(0, f"finished dispatch-{row.dispatch_id} ({doc}): {serial_count(len(serials))} mapped",
                              details)
        left = [f"{s.serialnumber} {s.state}" + (f" ({s.reason})" if s.reason else "") for s in serials
                if s.state not in ("mapped", "recorded")]
        return JobOutcome(1, f"dispatch-{row.dispatch_id} ({doc}) was completed, not every serial number is mapped "
                             f"yet: {', '.join(left)}", details)

    def cancel(self, station: Any, number: int) -> JobOutcome:
        records = DispatchRecords(station.inventory)
        row = _open_row(records, number)
        try:
            with holding(station.inventory.path, KIND, number):
                released = records.serials(number)
                records.cancel(number)
        except JobInUse as busy:
            return JobOutcome(1, str(busy))
        doc = f"{row.entity_type} {row.entity_id}"
        return JobOutcome(0, f"cancelled dispatch-{number} ({doc}): released {serial_count(len(released))}",
                          {"dispatch_id": number, "released": [{"item_id": s.item_id, "serialnumber": s.serialnumber}
                                                               for s in released]})


def _open_row(records: DispatchRecords, number: int) -> DispatchRow:
    row = records.get(number)
    if row is None:
        raise JobNotFound(f"there is no dispatch-{number}")
    if row.state != "open":
        raise JobNotFound(f"dispatch-{number} ({row.entity_type} {row.entity_id}) is not open: it was {row.state}")
    return row


def _window_problem(station: Any, records: DispatchRecords, row: DispatchRow, count: int) -> str | None:
    """What keeps a dispatch without a plan from being completed as it is, in words, or None."""
    if count == 0:
        return "no serial numbers were scanned"
    unbinned = [s.serialnumber for s in records.serials(row.dispatch_id) if s.bin_id is None]
    if unbinned and station.inventory.bins(row.warehouse_id):
        have = "has" if len(unbinned) == 1 else "have"
        return f"{serial_count(len(unbinned))} {have} no bin ({', '.join(unbinned[:5])})"
    return None


DISPATCH_JOBS = DispatchJobs()
