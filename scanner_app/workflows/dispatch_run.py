"""``run_dispatch``: one ``scanner-app dispatch`` command, first run, re-run or resumed. Qt-free.

The command's arguments are its :class:`DispatchPlan`, saved with the dispatch it opens
(``job_plans``), so that whatever moment the process is killed at, the same command run
again (or ``scanner-app jobs resume dispatch-N``) finishes it, once:

- an open dispatch of the same document (entity type, entity id, warehouse) left by a
  killed command is taken over (:meth:`~.dispatch.DispatchWorkflow.take_over`): its serials
  count as scanned when named again (``already_scanned``), the rest are scanned, then it
  completes and is delivered as usual; one held by a live process is left alone (its words
  say which);
- serials of the command already in a completed dispatch of this document are reported
  with their state from the records (``already_dispatched``) and never mapped again; the
  run waits for their delivery like a first run. Serials new to this run go through a new
  dispatch.

Every serial is checked like a scan; a refused serial or one with no bin records nothing
(the dispatch, a taken-over one too, is cancelled and its serials released). The report is
the command's JSON (see :mod:`scanner_app.commands.dispatch`); the exit code is 0 only when
every serial the command names (and every serial of the dispatch it finished) is mapped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from scanner_app.inventory.code_keys import text_key
from scanner_app.jobs.ownership import JobInUse
from scanner_app.jobs.plans import save_plan
from scanner_app.outbox import Outbox
from scanner_app.outbox.for_station import dispatch_target
from scanner_app.workflows.dispatch import DispatchWorkflow
from scanner_app.workflows.dispatch_answers import (
    ENTRY_STATE_TO_SERIAL,
    DispatchAnswer,
    DispatchNotReady,
)
from scanner_app.workflows.dispatch_records import DispatchRow, ScannedSerialRow
from scanner_app.workflows.dispatch_register import register_rule
from scanner_app.workflows.inline_scans import (
    DetailsUnavailable,
    InlineScans,
    to_stderr,
)
from scanner_app.workflows.places import PlaceNotFound, find_bin, find_warehouse
from scanner_app.workflows.refusal_words import NOT_RECORDED, not_recorded_reason

EXIT_OK, EXIT_NOT_DONE, EXIT_USAGE = 0, 1, 2
DONE_STATES = ("mapped", "recorded")


@dataclass(frozen=True)
class DispatchPlan:
    """What one ``scanner-app dispatch`` command asks for (its arguments)."""

    entity_type: str
    entity_id: str
    warehouse: str            # as given: an id or a name
    item: str                 # any code of the item
    serials: tuple[str, ...]
    location: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"entity_type": self.entity_type, "entity_id": self.entity_id, "warehouse": self.warehouse,
                "item": self.item, "serials": list(self.serials), "location": self.location}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> DispatchPlan:
        return cls(str(data["entity_type"]), str(data["entity_id"]), str(data["warehouse"]), str(data["item"]),
                   tuple(str(s) for s in data["serials"]), data.get("location"))

    def joined(self, earlier: dict[str, Any] | None) -> DispatchPlan:
        """This plan with the serials an earlier plan of the same dispatch named first (a
        re-run with other serials still finishes what the killed command scanned)."""
        if earlier is None or earlier.get("item") != self.item:
            return self
        before = [str(s) for s in earlier.get("serials", []) if s not in self.serials]
        return DispatchPlan(self.entity_type, self.entity_id, self.warehouse, self.item,
                            (*before, *self.serials), self.location)


def serial_state(entry_state: str | None, dispatch_state: str) -> str:
    """A serial's state from its outbox entry's (none: recorded here only, or still scanned)."""
    if entry_state is None:
        return "recorded" if dispatch_state == "completed" else "scanned"
    return ENTRY_STATE_TO_SERIAL[entry_state]


def run_dispatch(station: Any, plan: DispatchPlan, timeout: float, *,
                 resume: DispatchRow | None = None) -> tuple[int, dict[str, Any]]:
    """Run ``plan`` on ``station`` (continuing the open dispatch ``resume`` when given):
    the exit code and the report."""
    outbox = Outbox(station.inventory)
    workflow = DispatchWorkflow(outbox, dispatch_target(station.settings), register=register_rule(station))
    try:
        return _DispatchRun(station, plan, workflow).run(timeout, resume)
    finally:
        workflow.close()


class _DispatchRun:
    def __init__(self, station: Any, plan: DispatchPlan, workflow: DispatchWorkflow) -> None:
        self.station, self.plan, self.wf = station, plan, workflow
        self.records = workflow.records
        self.scans = InlineScans(station, to_stderr("dispatch"))
        self.report: dict[str, Any] = {
            "document": {"entity_type": plan.entity_type, "entity_id": plan.entity_id}, "warehouse_id": None,
            "dispatch_id": None, "continued": False, "completed_before": [], "all_mapped": False, "problem": None,
            "serials": []}
        # text -> (dispatch_id, row, entry state, words) for serials a completed dispatch of the document has
        self.done_before: dict[str, tuple[int, ScannedSerialRow, str | None, str | None]] = {}
        self.answers: dict[str, DispatchAnswer] = {}  # text -> the answer to its scan in this run

    def finish(self, code: int, problem: str | None) -> tuple[int, dict[str, Any]]:
        self.report["problem"] = problem
        return code, self.report

    def run(self, timeout: float, resume: DispatchRow | None) -> tuple[int, dict[str, Any]]:
        plan, wf = self.plan, self.wf
        try:
            warehouse = find_warehouse(self.station.inventory, plan.warehouse)
            self.report["warehouse_id"] = warehouse.warehouse_id
            mine = self.records.of_document(plan.entity_type, plan.entity_id, warehouse.warehouse_id)
            open_row = resume or next((d for d in reversed(mine) if d.state == "open"), None)
            item_outcome = self.scans.process(plan.item)  # a Zoho station's item: its details first
            self._find_done_before([d for d in mine if d.state == "completed"], item_outcome)
            to_scan = [text for text in plan.serials if text not in self.done_before]
            if open_row is not None:
                wf.take_over(open_row)
                self.report["continued"] = True
                self._save_plan(open_row.dispatch_id)
            elif to_scan or not self.done_before:
                wf.start(plan.entity_type, plan.entity_id, warehouse.warehouse_id, plan.to_json())
            if wf.is_open:
                assert wf.dispatch is not None
                self.report["dispatch_id"] = wf.dispatch.dispatch_id
                refused = self._scan(item_outcome, to_scan, warehouse.warehouse_id)
                if refused is not None:
                    wf.cancel()
                    self.report["serials"] = self._lines()
                    return self.finish(*refused)
                if wf.serials():
                    wf.complete()
                else:  # nothing left to dispatch in it: every serial was dispatched before
                    wf.cancel()
        except JobInUse as busy:
            return self.finish(EXIT_NOT_DONE, str(busy))
        except (PlaceNotFound, DispatchNotReady, DetailsUnavailable) as refused_:
            wf.cancel()
            self.report["serials"] = self._lines()
            return self.finish(EXIT_NOT_DONE, str(refused_))
        if self.done_before:
            ids = sorted({d for d, *_ in self.done_before.values()})
            self.report["completed_before"] = ids
        self._wait(timeout)
        return self._done()

    # -- what was done before --------------------------------------------------------------
    def _find_done_before(self, completed: list[DispatchRow], item_outcome: Any) -> None:
        item = item_outcome.result.item if item_outcome.result.kind == "item" else None
        if not completed or item is None:
            return
        states = {(row.item_id, row.serialnumber): (d.dispatch_id, row, state, why)
                  for d in completed for row, state, why in self.records.serial_states(d.dispatch_id)}
        for text in self.plan.serials:
            found = self.records.serial_of_item(item.item_id, text, text_key(text))
            key = (item.item_id, found.serialnumber if found is not None else text)
            if key in states:
                self.done_before[text] = states[key]

    def _save_plan(self, dispatch_id: int) -> None:
        """A re-run names the serials it wants: the taken-over dispatch's plan is joined with it."""
        from scanner_app.jobs.plans import load_plan

        with self.station.inventory.transaction() as conn:
            joined = self.plan.joined(load_plan(conn, "dispatch", dispatch_id))
            save_plan(conn, "dispatch", dispatch_id, joined.to_json())

    # -- scanning ------------------------------------------------------------------------------
    def _scan(self, item_outcome: Any, to_scan: list[str], warehouse_id: str) -> tuple[int, str] | None:
        """Scan the item and ``to_scan``; (exit code, problem) when anything was refused."""
        wf, plan = self.wf, self.plan
        if plan.location:
            wf.select_bin(find_bin(self.station.inventory, warehouse_id, plan.location))
        chosen = self._settled(wf.handle(item_outcome))
        if chosen.verdict != "item_selected":
            return EXIT_USAGE, f"--item {plan.item}: {chosen.message}"
        for text in to_scan:
            self.answers[text] = self._settled(wf.handle(self.scans.process(text)))
        if not all(a.accepted for a in self.answers.values()):
            return EXIT_NOT_DONE, "some serial numbers were refused: nothing was recorded"
        return None

    def _settled(self, answer: DispatchAnswer) -> DispatchAnswer:
        if answer.pending is not None:  # a serial register's check: asked here, in line
            answer = self.wf.settle(self.wf.ask(answer.pending))
        return answer

    # -- delivery and the report ---------------------------------------------------------------
    def _wait(self, timeout: float) -> None:
        from scanner_app.commands.delivery_wait import deliver_or_wait

        def in_flight() -> bool:
            return any(line["state"] == "validating" for line in self._lines())

        if in_flight():
            deliver_or_wait(self.station, self.wf.outbox, timeout, in_flight)

    def _done(self) -> tuple[int, dict[str, Any]]:
        lines = self._lines()
        self.report["serials"] = lines
        self.report["all_mapped"] = all(line["state"] in DONE_STATES for line in lines)
        if self.report["all_mapped"]:
            return self.finish(EXIT_OK, None)
        return self.finish(EXIT_NOT_DONE, "not every serial number was mapped")

    def _lines(self) -> list[dict[str, Any]]:
        """One line per serial the command names, in its order, then the taken-over dispatch's
        other serials; each with its current state (read again from the database)."""
        wf = self.wf
        wf.reload()
        current = {s.serialnumber: s for s in wf.serials()} if wf.dispatch is not None else {}
        answers = self.answers
        earlier = self._earlier_states()
        lines, named = [], set()
        for text in self.plan.serials:
            if text in self.done_before:
                dispatch_id, row, _state, _why = self.done_before[text]
                state, why = earlier[(dispatch_id, row.item_id, row.serialnumber)]
                named.add(row.serialnumber)
                lines.append({"serialnumber": row.serialnumber, "item_id": row.item_id, "bin_id": row.bin_id,
                              "state": state, "reason": why, "verdict": "already_dispatched",
                              "dispatch_id": dispatch_id,
                              "message": f"{row.serialnumber} was dispatched with dispatch-{dispatch_id} before: "
                                         "not mapped again"})
                continue
            answer = answers.get(text)
            if answer is None:  # not scanned: the run stopped before (a refused --item, no such warehouse)
                continue
            serial = answer.serial
            number = serial.serialnumber if serial is not None else text
            now = current.get(number)
            named.add(number)
            accepted = answer.accepted
            state = (
                now.state
                if now is not None and accepted and wf.dispatch is not None and wf.dispatch.state != "cancelled"
                else "refused"
            )
            reason = (now.reason if now is not None else None) if accepted else answer.message
            if accepted and state == "refused":  # accepted, but the run recorded nothing: say why, truly
                state = NOT_RECORDED
                reason = not_recorded_reason({t: a.message for t, a in answers.items() if not a.accepted})
            lines.append({"serialnumber": text, "item_id": serial.item_id if serial else None,
                          "bin_id": now.bin_id if now is not None else serial.bin_id if serial else None,
                          "state": state, "reason": reason, "verdict": answer.verdict,
                          "dispatch_id": self.report["dispatch_id"], "message": answer.message})
        if wf.dispatch is not None and wf.dispatch.state != "cancelled":
            for s in wf.serials():
                if s.serialnumber not in named:
                    lines.append({"serialnumber": s.serialnumber, "item_id": s.item_id, "bin_id": s.bin_id,
                                  "state": s.state, "reason": s.reason, "verdict": "already_scanned",
                                  "dispatch_id": self.report["dispatch_id"],
                                  "message": f"{s.serialnumber} was scanned in this dispatch before"})
        return lines

    def _earlier_states(self) -> dict[tuple[int, str, str], tuple[str, str | None]]:
        """(dispatch_id, item_id, serialnumber) -> (state, words) of the completed dispatches."""
        states: dict[tuple[int, str, str], tuple[str, str | None]] = {}
        for dispatch_id in {d for d, *_ in self.done_before.values()}:
            for row, entry_state, why in self.records.serial_states(dispatch_id):
                state = serial_state(entry_state, "completed")
                states[(dispatch_id, row.item_id, row.serialnumber)] = (
                    state, why if state in ("failed", "discarded") else None)
        return states
