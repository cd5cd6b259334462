"""Open assemblies as jobs (``scanner-app jobs``; :mod:`scanner_app.jobs`): ``assembly-N``. Qt-free.

- listed with what each holds (its kit, how many kits, the components ticked) and what
  resume will do;
- ``resume``: an assembly started by ``scanner-app assemble`` finishes that whole command
  from its saved plan (:func:`~.assembly_run.run_assembly`: ticks what is left, completes,
  delivers, reports like the command); one started in the window is completed when every
  component is ticked, else nothing changes and the words say what is missing (exit 1);
- ``cancel``: the assembly is cancelled and the units it held (serial numbers, batch
  quantities) released, said in words.

An assembly held by another live process (:mod:`scanner_app.jobs.ownership`) is neither
resumed nor cancelled.
"""

from __future__ import annotations

from typing import Any

from scanner_app.jobs import JobNotFound, JobOutcome, OpenJob
from scanner_app.jobs.ownership import JobInUse, holding, in_use_elsewhere
from scanner_app.jobs.plans import load_plan, plans_of
from scanner_app.workflows.assembly_answers import amount
from scanner_app.workflows.assembly_records import AssemblyRecords, AssemblyRow, UnitRow
from scanner_app.workflows.kit_components import (
    component_lines,
    remaining_words,
    with_ticks,
)

KIND = "assembly"


def _what(station: Any, row: AssemblyRow) -> str:
    kit = station.inventory.get_item(row.kit_item_id)
    return f"{row.quantity} x {kit.name if kit else row.kit_item_id} ({row.reference})"


def _units_words(units: list[UnitRow]) -> str:
    serials = sum(1 for u in units if u.serialnumber)
    batches = sum(1 for u in units if u.batch_id)
    held = [f"{serials} serial number{'' if serials == 1 else 's'}"] if serials else []
    held += [f"{batches} batch quantit{'y' if batches == 1 else 'ies'}"] if batches else []
    return ", ".join(held) if held else "no serial numbers or batches"


class AssemblyJobs:
    kind = KIND

    def open_jobs(self, station: Any) -> list[OpenJob]:
        records = AssemblyRecords(station.inventory)
        plans = plans_of(station.inventory.connection(), KIND)
        jobs = []
        for row, started in records.open_assemblies():
            units = records.units(row.assembly_id)
            lines = self._lines(station, row, units)
            ticked = ", ".join(f"{line.name} {amount(line.ticked)} of {amount(line.needed)}" for line in lines.values())
            holds = f"kit {_what(station, row)}; ticked: {ticked or 'nothing'}"
            jobs.append(OpenJob(KIND, row.assembly_id, f"assembly {row.reference}", row.warehouse_id, started, holds,
                                self._how_to_finish(station, row, lines, plans.get(row.assembly_id))))
        return jobs

    @staticmethod
    def _lines(station: Any, row: AssemblyRow, units: list[UnitRow]) -> dict[str, Any]:
        kit = station.inventory.get_item(row.kit_item_id)
        if kit is None:
            return {}
        return with_ticks(component_lines(station.inventory, kit, row.quantity, row.warehouse_id, row.bin_id), units)

    def _how_to_finish(self, station: Any, row: AssemblyRow, lines: dict[str, Any],
                       plan: dict[str, Any] | None) -> str:
        if in_use_elsewhere(station.inventory.path, KIND, row.assembly_id):
            return f"nothing now: {JobInUse(KIND, row.assembly_id)}"
        if plan is not None:
            return (f"finishes the `scanner-app assemble` command that started it ({len(plan['components'])} "
                    "component(s) given): ticks the rest, completes and delivers")
        if not lines:
            return "nothing: its kit is no longer in the inventory; cancel it"
        left = remaining_words(lines.values())
        if left:
            return f"nothing: components still to scan: {left}; scan them in the window, or cancel it"
        return "completes it (every component is ticked) and delivers"

    def resume(self, station: Any, number: int, *, timeout: float) -> JobOutcome:
        from scanner_app.workflows.assembly_run import AssemblyPlan, run_assembly

        records = AssemblyRecords(station.inventory)
        row = _open_row(records, number)
        if in_use_elsewhere(station.inventory.path, KIND, number):  # checked again when it is taken over
            return JobOutcome(1, str(JobInUse(KIND, number)))
        plan = load_plan(station.inventory.connection(), KIND, number)
        if plan is None:
            return self._complete_ticked(station, row, timeout)
        code, report = run_assembly(station, AssemblyPlan.from_json(plan), timeout, resume=row)
        if code == 0:
            return JobOutcome(0, f"finished assembly-{number} ({_what(station, row)}): recorded", report)
        return JobOutcome(1, f"assembly-{number} ({_what(station, row)}) is not finished: {report['problem']}", report)

    def _complete_ticked(self, station: Any, row: AssemblyRow, timeout: float) -> JobOutcome:
        """An assembly the window started: completed when every component is ticked."""
        from scanner_app.commands.delivery_wait import deliver_or_wait
        from scanner_app.outbox import Outbox
        from scanner_app.outbox.for_station import station_target
        from scanner_app.workflows.assembly import AssemblyWorkflow
        from scanner_app.workflows.assembly_answers import AssemblyNotReady

        what = _what(station, row)
        workflow = AssemblyWorkflow(Outbox(station.inventory), station_target(station.settings), today=station.today)
        try:
            try:
                if not workflow.take_over(row):
                    return JobOutcome(1, f"assembly-{row.assembly_id} ({what}) cannot be completed: its kit is no "
                                         "longer in the inventory; nothing was changed")
                workflow.complete()
            except JobInUse as busy:
                return JobOutcome(1, str(busy))
            except AssemblyNotReady as missing:
                return JobOutcome(1, f"assembly-{row.assembly_id} ({what}) cannot be completed: {missing}; nothing "
                                     f"was changed (scan them in the window, or "
                                     f"`scanner-app jobs cancel assembly-{row.assembly_id}`)")

            def recording() -> bool:
                workflow.reload()
                return bool(workflow.progress[0] == "recording")

            if recording():
                deliver_or_wait(station, workflow.outbox, timeout, recording)
            workflow.reload()
            progress, reason = workflow.progress
        finally:
            workflow.close()
        details = {"assembly_id": row.assembly_id, "reference": row.reference, "progress": progress}
        if progress == "recorded":
            return JobOutcome(0, f"finished assembly-{row.assembly_id} ({what}): recorded", details)
        return JobOutcome(1, f"assembly-{row.assembly_id} ({what}) was completed and is {progress}"
                             + (f": {reason}" if reason else ""), details)

    def cancel(self, station: Any, number: int) -> JobOutcome:
        records = AssemblyRecords(station.inventory)
        row = _open_row(records, number)
        try:
            with holding(station.inventory.path, KIND, number):
                units = records.units(number)
                records.cancel(number)
        except JobInUse as busy:
            return JobOutcome(1, str(busy))
        return JobOutcome(0, f"cancelled assembly-{number} ({_what(station, row)}): released {_units_words(units)}"
                             f" ({len(units)} component unit{'' if len(units) == 1 else 's'} ticked)",
                          {"assembly_id": number, "reference": row.reference,
                           "released": [{"item_id": u.item_id, "quantity": u.quantity, "serialnumber": u.serialnumber,
                                         "batch_id": u.batch_id} for u in units]})


def _open_row(records: AssemblyRecords, number: int) -> AssemblyRow:
    row = records.get(number)
    if row is None:
        raise JobNotFound(f"there is no assembly-{number}")
    if row.state != "open":
        raise JobNotFound(f"assembly-{number} ({row.reference}) is not open: it was {row.state}")
    return row


ASSEMBLY_JOBS = AssemblyJobs()
