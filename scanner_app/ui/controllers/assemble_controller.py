"""Drives the Qt-free :class:`~scanner_app.workflows.assembly.AssemblyWorkflow` from the
Assemble page: scans routed here by the window, answers on the page with the sound in the
same frame, unit rows written on the database-writer thread, and the assembly's progress
re-posted to the UI thread as the outbox relay delivers its three steps."""

from __future__ import annotations

from PySide6.QtCore import QObject

from scanner_app.jobs.ownership import JobInUse
from scanner_app.outbox import Outbox
from scanner_app.outbox.for_station import station_target
from scanner_app.scanning.scan import ScanOutcome
from scanner_app.station import Station
from scanner_app.ui.controllers.workflow_controller import ControlledPageUnit, WorkflowController
from scanner_app.ui.pages.assemble_page import AssemblePage
from scanner_app.ui.sounds import FeedbackSounds
from scanner_app.ui.tasks import TaskManager
from scanner_app.ui.workflow_pages import PageServices
from scanner_app.workflows.assembly import AssemblyWorkflow
from scanner_app.workflows.assembly_answers import AssemblyAnswer, AssemblyNotReady

PROGRESS_WORDS = {"open": "open", "cancelled": "cancelled", "recording": "being recorded…",
                  "recorded": "✔ recorded", "failed": "✖ failed", "discarded": "discarded"}


class AssembleController(WorkflowController):
    page: AssemblePage
    what = "an assembly write"

    def __init__(self, station: Station, outbox: Outbox, page: AssemblePage, tasks: TaskManager,
                 sounds: FeedbackSounds, parent: QObject | None = None) -> None:
        super().__init__(station, page, tasks, sounds, parent)
        self.workflow = AssemblyWorkflow(outbox, station_target(station.settings), write=self._write,
                                         today=station.today)
        self._follow(self.workflow, self.refresh)
        page.place_changed.connect(self.choose)
        page.complete_requested.connect(self.complete)
        page.cancel_requested.connect(self.cancel)

    def load(self) -> None:
        """Warehouses and bins, and an open assembly left by a restart (held by this window
        from then on; one another live process holds is not loaded, said so)."""
        inventory = self.station.inventory
        self.page.set_places(inventory.warehouses(), inventory.bins())
        try:
            restored = self.workflow.resume()
        except JobInUse as busy:  # another scanner-app process works on it: not loaded here
            restored = None
            self.page.show_answer(False, f"The open assembly was not loaded here: {busy}")
        if restored is not None:
            self.page.show_answer(True, "The open assembly was restored: keep scanning its components")
        elif self.page.warehouse.currentData():
            self.workflow.choose(str(self.page.warehouse.currentData()), None, self.page.quantity.value())
        self._show_place()
        self.refresh()

    # -- the person's requests ------------------------------------------------------------
    def choose(self, warehouse_id: str, bin_id: str, quantity: int) -> None:
        try:
            self.workflow.choose(warehouse_id, bin_id or None, quantity)
        except AssemblyNotReady as problem:
            self._refuse(str(problem))
            self._show_place()
            return
        if self.workflow.is_open:
            self.page.show_answer(True, f"{self.workflow.quantity} kit(s) {self.workflow.place}: scan each component",
                                  self.workflow.shortage())
        self.refresh()

    def complete(self) -> None:
        try:
            self.workflow.complete()
        except AssemblyNotReady as problem:
            self._refuse(str(problem))
            return
        self.page.show_answer(True, "Completed: the assembly is being recorded in the inventory")
        self.refresh()

    def cancel(self) -> None:
        if not self.workflow.is_open:
            self._refuse("No assembly is open")
            return
        self.workflow.cancel()
        self.page.show_answer(False, "Assembly cancelled: nothing was recorded")
        self.refresh()

    # -- scans --------------------------------------------------------------------------------
    def handle(self, outcome: ScanOutcome) -> AssemblyAnswer:
        answer = self.workflow.handle(outcome)
        self.page.show_answer(answer.accepted, answer.message, answer.note)
        self.sounds.play("found" if answer.accepted else "invalid")
        if answer.verdict in ("kit_started", "bin_selected"):
            self._show_place()
        self.refresh()
        return answer

    def _show_place(self) -> None:
        wf = self.workflow
        self.page.show_place(wf.warehouse_id, wf.bin.bin_id if wf.bin else None, wf.quantity)

    def refresh(self) -> None:
        wf = self.workflow
        if wf.assembly is None or wf.kit is None:
            self.page.show_kit("No kit yet: scan the kit to build (any of its codes)")
            self.page.show_lines([], wf.place, False)
            return
        progress, reason = wf.progress
        state = PROGRESS_WORDS[progress] + (f": {reason}" if reason else "")
        code = f" ({wf.kit.sku})" if wf.kit.sku else ""
        self.page.show_kit(f"{wf.kit.name}{code} · {wf.assembly.quantity} kit(s) · {wf.place} · "
                           f"{wf.assembly.reference} · {state}")
        self.page.show_lines(wf.lines(), wf.place, wf.is_open and wf.all_ticked)


class AssembleUnit(ControlledPageUnit):
    """The Assemble tab."""

    key, title, order = "assemble", "Assemble", 40
    page: AssemblePage
    controller: AssembleController

    def __init__(self, services: PageServices) -> None:
        page = AssemblePage()
        super().__init__(page, AssembleController(services.station, services.outbox, page, services.tasks,
                                                  services.sounds, services.parent))
