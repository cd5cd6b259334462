"""Drives the Qt-free :class:`~scanner_app.workflows.dispatch.DispatchWorkflow` from the
Dispatch page: scans routed here by the window, answers on the page with the sound in the
same frame, writes on the database-writer thread, the serials' states re-posted to the UI
thread as the outbox moves them.

On a Pack.cloud station a serial scan is answered "checking with Pack.cloud…" at once; the
register is asked on the task manager's network pool and its answer comes back to the UI
thread by the task manager's signal, where the workflow gives the verdict (the UI thread
never waits on the network; scans keep being answered meanwhile)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, Signal

from scanner_app.history.store import WorkflowVerdict
from scanner_app.jobs.ownership import JobInUse
from scanner_app.outbox import Outbox
from scanner_app.outbox.for_station import dispatch_target
from scanner_app.scanning.scan import ScanOutcome
from scanner_app.station import Station
from scanner_app.ui.controllers.workflow_controller import ControlledPageUnit, WorkflowController
from scanner_app.ui.pages.dispatch_page import DispatchPage
from scanner_app.ui.sounds import FeedbackSounds
from scanner_app.ui.tasks import TaskManager
from scanner_app.ui.workflow_pages import PageServices
from scanner_app.workflows.dispatch import DispatchWorkflow
from scanner_app.workflows.dispatch_answers import DispatchAnswer, DispatchNotReady
from scanner_app.workflows.dispatch_register import RegisterReply, register_rule

log = logging.getLogger(__name__)


class DispatchController(WorkflowController):
    page: DispatchPage
    what = "a dispatch write"
    settled = Signal(object, object)  # (the scan's outcome, the final DispatchAnswer) after "checking"

    def __init__(self, station: Station, outbox: Outbox, page: DispatchPage, tasks: TaskManager,
                 sounds: FeedbackSounds, parent: QObject | None = None) -> None:
        super().__init__(station, page, tasks, sounds, parent)
        self.workflow = DispatchWorkflow(outbox, dispatch_target(station.settings), write=self._write,
                                         register=register_rule(station))
        self._follow(self.workflow, self.refresh)
        page.start_requested.connect(self.start)
        page.complete_requested.connect(self.complete)
        page.cancel_requested.connect(self.cancel)
        page.assign_bin_requested.connect(self.assign_bin)

    def load(self) -> None:
        """Warehouses, the remembered one, and an open dispatch left by a restart (held by
        this window from then on; one another live process holds is not loaded, said so)."""
        self.page.set_warehouses(self.station.inventory.warehouses(), self.workflow.records.remembered_warehouse())
        try:
            restored = self.workflow.resume()
        except JobInUse as busy:  # another scanner-app process works on it: not loaded here
            self.page.show_answer(False, f"The open dispatch was not loaded here: {busy}")
        else:
            if restored is not None:
                self.page.show_answer(True, "The open dispatch was restored: keep scanning")
        self.refresh()

    # -- the person's requests ----------------------------------------------------------------
    def start(self, entity_type: str, entity_id: str, warehouse_id: str) -> None:
        try:
            self.workflow.start(entity_type, entity_id, warehouse_id)
        except DispatchNotReady as problem:
            self._refuse(str(problem))
            return
        self.page.show_answer(True, f"{entity_type} {entity_id}: scan an item or a serial number")
        self.refresh()

    def complete(self) -> None:
        try:
            count = len(self.workflow.serials())
            self.workflow.complete()
        except DispatchNotReady as problem:
            self._refuse(str(problem))
            return
        if self.workflow.target is None:
            self.page.show_answer(True, f"Completed: {count} serial number(s) recorded with the dispatch "
                                  "(Pack.cloud's API cannot be written to: nothing is sent)")
        else:
            self.page.show_answer(True, f"Completed: {count} serial number(s) are being validated and mapped")
        self.refresh()

    def cancel(self) -> None:
        self.workflow.cancel()
        self.page.show_answer(False, "Dispatch cancelled: nothing was sent")

    def assign_bin(self) -> None:
        try:
            count = self.workflow.assign_bin()
        except DispatchNotReady as problem:
            self._refuse(str(problem))
            return
        if count:
            self.page.show_answer(True, f"{count} serial number(s) put in the scanned bin")
        else:
            self._refuse("Scan a bin first (or every serial has a bin already)")

    # -- scans ------------------------------------------------------------------------------------
    def handle(self, outcome: ScanOutcome) -> DispatchAnswer:
        no_open_dispatch = self.workflow.dispatch is None or not self.workflow.is_open
        if no_open_dispatch and outcome.result.status != "found" and outcome.classification.raw.strip():
            self.page.entity_id.setText(outcome.classification.raw.strip())  # a document number
            self.page.show_answer(True, "Document number read: choose the warehouse and press Start")
            self.sounds.play("found")
            return DispatchAnswer("document_read", "document number read")
        answer = self.workflow.handle(outcome)
        self._show(answer)
        self._show_document()  # the current item and bin (the serials' table follows ``changed``)
        if answer.pending is not None:
            self.tasks.run_net(self.workflow.ask, answer.pending,
                               on_done=lambda reply, error: self._register_answered(outcome, reply, error))
        return answer

    def _register_answered(self, outcome: ScanOutcome, reply: object, error: BaseException | None) -> None:
        """The register's reply, back on the UI thread: the verdict, on screen and by sound,
        and to ``settled`` (the window's history replaces "checking" with it)."""
        if error is not None or not isinstance(reply, RegisterReply):  # ask() never raises: a bug
            log.error("the serial register check failed", exc_info=error)
            message = f"The serial could not be checked: {error}. Nothing was recorded"
            self._refuse(message)
            self.settled.emit(outcome, DispatchAnswer("register_unavailable", message))
            return
        answer = self.workflow.settle(reply)
        self._show(answer)
        self.refresh()
        self.settled.emit(outcome, answer)

    def _show(self, answer: DispatchAnswer) -> None:
        if answer.checking:
            self.page.show_checking(answer.message)  # no sound yet: the verdict has its own
            return
        self.page.show_answer(answer.accepted, answer.message, answer.note)
        self.sounds.play("found" if answer.accepted else "invalid")

    def refresh(self) -> None:
        self._show_document()
        self.page.show_serials(self.workflow.serials())

    def _show_document(self) -> None:
        wf = self.workflow
        if wf.dispatch is None:
            self.page.show_document("No dispatch open", "")
        else:
            d = wf.dispatch
            item = wf.current_item.name if wf.current_item else "—"
            bin_ = wf.current_bin.code if wf.current_bin else "from the inventory"
            warehouse = self.page.warehouse_name(d.warehouse_id)
            self.page.show_document(f"{d.entity_type} {d.entity_id} · {warehouse} · {d.state}",
                                    f"Item: {item} · Bin: {bin_}")


class DispatchUnit(ControlledPageUnit):
    """The Dispatch tab. A serial's verdict that comes later from the register ("checking")
    replaces the scan's verdict in the history."""

    key, title, order = "dispatch", "Dispatch", 20
    page: DispatchPage
    controller: DispatchController

    def __init__(self, services: PageServices) -> None:
        page = DispatchPage()
        super().__init__(page, DispatchController(services.station, services.outbox, page, services.tasks,
                                                  services.sounds, services.parent))
        self.history = services.history
        self.controller.settled.connect(lambda outcome, answer: self.history.answered(
            outcome, outcome, WorkflowVerdict.of(self.key, answer)))

    def handle_scan(self, outcome: ScanOutcome) -> WorkflowVerdict | None:
        verdict = WorkflowVerdict.of(self.key, self.controller.handle(outcome))  # its own answer and sound
        if verdict.status == "checking":  # the register's verdict replaces it in the history
            self.history.expect(outcome)
        return verdict
