"""``run_assembly``: one ``scanner-app assemble`` command, first run, re-run or resumed. Qt-free.

The command's arguments are its :class:`AssemblyPlan` (with the warehouse and bin it
resolved to), saved with the assembly it opens (``job_plans``), so that after a kill:

- the same command run again takes over the open assembly it left (one with the same
  plan, not held by a live process): the units already ticked count (each accepted
  ``--component`` is one unit row, in order, so the first N are skipped), the rest are
  scanned, then it completes and is delivered;
- when an assembly with the same plan was already completed and consumed serial numbers
  (a unit can be built in only one kit, so that is this very command), it is reported as
  it is, waiting for its delivery like a first run, and not built again. So is one with
  the same ``--reference`` (the person's own: a work order). A plan with neither cannot be
  told from a second build on purpose (a bench builds the same kit again and again): run
  again after completion, it builds again (check ``scanner-app jobs`` first);
- a ``--reference`` already used by an assembly with other arguments (not cancelled) is
  refused, nothing recorded: a different build needs its own reference;
- ``scanner-app jobs resume assembly-N`` runs the rest of the saved plan the same way.

Anything refused, or a component missing, records nothing (the assembly is cancelled).
The report is the command's JSON (:mod:`scanner_app.commands.assemble`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scanner_app.jobs.ownership import JobInUse
from scanner_app.jobs.plans import plans_of
from scanner_app.outbox import Outbox
from scanner_app.outbox.for_station import station_target
from scanner_app.workflows.assembly import AssemblyWorkflow
from scanner_app.workflows.assembly_answers import AssemblyAnswer, AssemblyNotReady
from scanner_app.workflows.assembly_records import AssemblyRow
from scanner_app.workflows.assembly_scans import detail_needed
from scanner_app.workflows.inline_scans import (
    DetailsUnavailable,
    InlineScans,
    to_stderr,
)
from scanner_app.workflows.places import PlaceNotFound, find_bin, find_warehouse

EXIT_OK, EXIT_NOT_DONE, EXIT_USAGE = 0, 1, 2


@dataclass(frozen=True)
class AssemblyPlan:
    """What one ``scanner-app assemble`` command asks for (its arguments)."""

    kit: str
    quantity: int
    components: tuple[str, ...]
    warehouse: str | None = None
    location: str | None = None
    reference: str | None = None  # the person's (--reference); the assembly's own is generated

    def to_json(self) -> dict[str, Any]:
        saved = {"kit": self.kit, "quantity": self.quantity, "components": list(self.components),
                 "warehouse": self.warehouse, "location": self.location}
        return saved | ({"reference": self.reference} if self.reference is not None else {})

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AssemblyPlan:
        return cls(str(data["kit"]), int(data["quantity"]), tuple(str(c) for c in data["components"]),
                   data.get("warehouse"), data.get("location"), data.get("reference"))


def split_component(given: str) -> tuple[str, str | None]:
    """``CODE=DETAIL`` -> (CODE, DETAIL); a URL (GS1 Digital Link) is a code of its own."""
    code, sep, detail = given.partition("=")
    if not sep or "://" in code:
        return given, None
    return code, detail


def run_assembly(station: Any, plan: AssemblyPlan, timeout: float, *,
                 resume: AssemblyRow | None = None) -> tuple[int, dict[str, Any]]:
    """Run ``plan`` on ``station`` (continuing the open assembly ``resume`` when given):
    the exit code and the report."""
    workflow = AssemblyWorkflow(Outbox(station.inventory), station_target(station.settings), today=station.today)
    try:
        return _AssemblyRun(station, plan, workflow).run(timeout, resume)
    finally:
        workflow.close()


class _AssemblyRun:
    def __init__(self, station: Any, plan: AssemblyPlan, workflow: AssemblyWorkflow) -> None:
        self.station, self.plan, self.wf = station, plan, workflow
        self.process = InlineScans(station, to_stderr("assemble")).process
        self.report: dict[str, Any] = {
            "kit": None, "quantity": plan.quantity, "warehouse_id": None, "bin_id": None, "reference": None,
            "assembly_id": None, "continued": False, "completed_before": False, "recorded": False,
            "progress": None, "problem": None, "note": None, "components": [], "scans": []}

    def finish(self, code: int, problem: str | None) -> tuple[int, dict[str, Any]]:
        self.report["problem"] = problem
        return code, self.report

    def run(self, timeout: float, resume: AssemblyRow | None) -> tuple[int, dict[str, Any]]:
        wf = self.wf
        if self.plan.quantity < 1:
            return self.finish(EXIT_USAGE, "--quantity must be at least 1")
        try:
            key = self._place()
            open_row, completed = (resume, None) if resume is not None else self._same_command(key)
            if completed is not None:  # the command completed before: report it, never build it twice
                wf.follow(completed)
                self._describe(completed)
                self.report["completed_before"] = True
            elif not self._scan_all(open_row, key):
                wf.cancel()
                self._lines()
                return self.finish(EXIT_NOT_DONE, self.report["problem"])
            else:
                wf.complete()
                self._lines()  # the stock as it was when the bench scanned
        except JobInUse as busy:
            self._lines()
            return self.finish(EXIT_NOT_DONE, str(busy))
        except (PlaceNotFound, AssemblyNotReady, DetailsUnavailable) as refused:
            wf.cancel()
            self._lines()
            return self.finish(EXIT_NOT_DONE, str(refused))
        self._deliver(timeout)
        progress, reason = wf.progress
        self.report["progress"], self.report["recorded"] = progress, progress == "recorded"
        if self.report["completed_before"]:
            self._lines()
        problem = None if progress == "recorded" else (reason or f"the assembly is {progress}: not recorded yet")
        return self.finish(EXIT_OK if progress == "recorded" else EXIT_NOT_DONE, problem)

    # -- the place and the same command before ---------------------------------------------------
    def _place(self) -> dict[str, Any]:
        """Resolve the warehouse and bin; the plan as saved (with them), which a re-run matches."""
        inventory, plan = self.station.inventory, self.plan
        if plan.warehouse:
            warehouse = find_warehouse(inventory, plan.warehouse)
        else:
            warehouses = inventory.warehouses()
            if len(warehouses) != 1:
                names = ", ".join(f"{w.name} ({w.warehouse_id})" for w in warehouses) or "none"
                raise PlaceNotFound(f"choose the warehouse with --warehouse; the inventory has: {names}")
            warehouse = warehouses[0]
        bin_ = find_bin(inventory, warehouse.warehouse_id, plan.location) if plan.location else None
        self.report["warehouse_id"], self.report["bin_id"] = warehouse.warehouse_id, bin_.bin_id if bin_ else None
        return {**plan.to_json(), "warehouse_id": warehouse.warehouse_id, "bin_id": bin_.bin_id if bin_ else None}

    def _same_command(self, key: dict[str, Any]) -> tuple[AssemblyRow | None, AssemblyRow | None]:
        """(the latest open assembly this very command started, or None; else the completed
        one it built, when that consumed serial numbers or the command has a --reference, or
        None). AssemblyNotReady when the --reference belongs to another command's assembly."""
        records = self.wf.records
        plans = plans_of(self.station.inventory.connection(), "assembly")
        reference = self.plan.reference
        if reference is not None:
            for number, saved in sorted(plans.items()):
                row = records.get(number)
                if saved.get("reference") == reference and saved != key and row is not None \
                        and row.state != "cancelled":
                    raise AssemblyNotReady(
                        f"reference {reference} is assembly-{number}'s, {row.state}, built with other arguments; "
                        "nothing was recorded: a different build needs its own --reference")
        same = sorted(n for n, saved in plans.items() if saved == key)
        rows = [row for n in reversed(same) if (row := records.get(n)) is not None]
        open_row = next((r for r in rows if r.state == "open"), None)
        if open_row is not None:
            return open_row, None
        built = next((r for r in rows if r.state == "completed" and (
            reference is not None or any(u.serialnumber for u in records.units(r.assembly_id)))), None)
        return None, built

    # -- scanning ------------------------------------------------------------------------------
    def _note(self, code: str, detail: str | None, answer: Any) -> None:
        self.report["scans"].append({"code": code, "detail": detail, "verdict": answer.verdict,
                                     "accepted": answer.accepted, "message": answer.message})

    def _scan_all(self, open_row: AssemblyRow | None, key: dict[str, Any]) -> bool:
        """Scan the kit (or take over ``open_row``) and every component not ticked yet; False
        (with the report's problem) when any was refused. Raises DetailsUnavailable (a Zoho
        station that cannot ask Zoho, with no copy) and JobInUse."""
        wf, plan = self.wf, self.plan
        outcome = self.process(plan.kit, kit=True)  # a Zoho station: the components' details first
        if open_row is not None:
            if not wf.take_over(open_row):
                self.report["problem"] = f"--kit {plan.kit}: the kit of assembly-{open_row.assembly_id} is no " \
                                         "longer in the inventory"
                return False
            self.report["continued"] = True
        else:
            wf.plan = key
            wf.choose(key["warehouse_id"], key["bin_id"], plan.quantity)
            started = wf.handle(outcome)
            self._note(plan.kit, None, started)
            if started.verdict != "kit_started":
                self.report["problem"] = f"--kit {plan.kit}: {started.message}"
                return False
        assert wf.assembly is not None
        self._describe(wf.assembly)
        ticked_before = len(wf.units())
        for given in plan.components[ticked_before:]:
            code, detail = split_component(given)
            self._note(code, detail, self._component(code, detail))
        refused = [s for s in self.report["scans"] if not s["accepted"]]
        if refused:
            self.report["problem"] = "refused, so nothing was recorded: " + "; ".join(
                f"{s['code']}{'=' + s['detail'] if s['detail'] else ''}: {s['message']}" for s in refused)
            return False
        return True

    def _component(self, code: str, detail: str | None) -> AssemblyAnswer:
        outcome = self.process(code)
        item = outcome.result.item
        if detail is not None and outcome.result.kind == "item" and item is not None and not (
                item.track_serial_number or item.track_batch_number):
            return AssemblyAnswer("not_tracked", f"{item.name} is not tracked by serial number or batch: "
                                  f"give --component {code} without ={detail}")
        answer = self.wf.handle(outcome)
        if answer.verdict == "component_selected":
            assert answer.line is not None, "a selected component always names its line"
            answer = self.wf.handle(self.process(detail)) if detail else detail_needed(answer.line)
        return answer

    def _describe(self, row: AssemblyRow) -> None:
        kit = self.wf.kit or self.station.inventory.get_item(row.kit_item_id)
        if kit is not None:
            self.report["kit"] = {"item_id": kit.item_id, "name": kit.name, "sku": kit.sku}
        self.report["reference"], self.report["assembly_id"] = row.reference, row.assembly_id
        if self.wf.is_open:
            self.report["note"] = self.wf.shortage()

    # -- delivery ------------------------------------------------------------------------------
    def _deliver(self, timeout: float) -> None:
        """Deliver the assembly now, or wait for the window's relay when it has the outbox."""
        from scanner_app.commands.delivery_wait import deliver_or_wait

        def recording() -> bool:
            self.wf.reload()
            return bool(self.wf.progress[0] == "recording")

        if recording():
            deliver_or_wait(self.station, self.wf.outbox, timeout, recording)
        self.wf.reload()

    def _lines(self) -> None:
        self.report["components"] = [line.to_json() for line in self.wf.lines()]
