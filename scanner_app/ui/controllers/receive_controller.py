"""Drives the Qt-free :class:`~scanner_app.workflows.receiving.ReceivingWorkflow` from the
Receive page: scans routed here by the window are answered on the page with the sound in
the same frame; each line (with its outbox entry) is written on the database-writer
thread; the relay thread assigns batches meanwhile, and the lines' states come back to
the UI thread by a queued signal, coalesced so the table is redrawn at most every
``REFRESH_MS`` however fast the states move. The page's receipt is held as a job
(:mod:`scanner_app.jobs`) while it is open here; an open receipt another process holds
(``scanner-app jobs resume``) is not loaded, and the page says so."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from scanner_app.jobs.ownership import JobInUse
from scanner_app.outbox import Outbox
from scanner_app.outbox.for_station import station_target
from scanner_app.scanning.scan import ScanOutcome
from scanner_app.station import Station
from scanner_app.ui.controllers.workflow_controller import ControlledPageUnit, WorkflowController
from scanner_app.ui.pages.receive_page import ReceivePage
from scanner_app.ui.pages.workflow_page import choice_text
from scanner_app.ui.sounds import FeedbackSounds
from scanner_app.ui.tasks import TaskManager
from scanner_app.ui.workflow_pages import PageServices
from scanner_app.workflows.receiving import BatchDraft, ReceivingWorkflow
from scanner_app.workflows.receiving_answers import PendingLine, ReceiveAnswer, ReceiveNotReady
from scanner_app.workflows.receiving_rules import BatchFields

REFRESH_MS = 50


class ReceiveController(WorkflowController):
    page: ReceivePage
    what = "a receipt change"

    def __init__(self, station: Station, outbox: Outbox, page: ReceivePage, tasks: TaskManager,
                 sounds: FeedbackSounds, parent: QObject | None = None) -> None:
        super().__init__(station, page, tasks, sounds, parent)
        self.workflow = ReceivingWorkflow(outbox, station_target(station.settings), write=self._write,
                                          warning_days=station.settings.receiving.expiry_warning_days,
                                          today=station.today)
        self.pending: PendingLine | None = None
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_MS)
        self._refresh_timer.timeout.connect(self.refresh)
        self._follow(self.workflow, self._schedule_refresh)
        page.start_requested.connect(self.start)
        page.finish_requested.connect(self.finish)
        page.warehouse_chosen.connect(self._show_bins)
        page.confirm_requested.connect(self.confirm)
        page.decline_requested.connect(self.decline)
        page.cancel_line_requested.connect(self.cancel_line)
        page.correct_requested.connect(self.correct)

    def load(self) -> None:
        """Warehouses and bins, the remembered ones, and an open receipt left by a restart."""
        warehouse_id, bin_id = self.workflow.records.remembered_place()
        self.page.set_warehouses(self.station.inventory.warehouses(), warehouse_id)
        self._show_bins(self.page.warehouse_id(), bin_id)
        try:
            restored = self.workflow.resume()
        except JobInUse as busy:  # e.g. `scanner-app jobs resume` is finishing it
            self.page.show_answer(False, f"The open receipt was not loaded here: {busy}")
        else:
            if restored is not None:
                self.page.show_answer(True, "The open receipt was restored: keep scanning")
        self.refresh()

    def close(self) -> None:
        self._refresh_timer.stop()
        super().close()

    def _show_bins(self, warehouse_id: str, remembered: str | None = None) -> None:
        self.page.set_bins(self.station.inventory.bins(warehouse_id) if warehouse_id else [], remembered)

    def _schedule_refresh(self) -> None:
        if not self._refresh_timer.isActive():
            self._refresh_timer.start()

    # -- the person's requests ------------------------------------------------------------------
    def start(self, reference: str, warehouse_id: str, bin_id: str) -> None:
        try:
            self.workflow.start(reference, warehouse_id, bin_id or None)
        except (ReceiveNotReady, JobInUse) as problem:
            self._refuse(str(problem))
            return
        self.page.show_answer(True, "Receipt started: scan an item, a GS1 label, a batch or a serial number")
        self.refresh()

    def finish(self) -> None:
        self.workflow.finish()
        self.page.show_answer(True, "Receipt finished: its lines are still being assigned in the background")

    def confirm(self) -> None:
        pending, self.pending = self.pending, None
        if pending is not None:
            self._show(self.workflow.confirm(pending))

    def decline(self) -> None:
        self.pending = None
        self.page.show_answer(False, "Not received: nothing was recorded")

    def cancel_line(self, position: int) -> None:
        self._show(self.workflow.cancel_line(position))

    def correct(self, position: int, code: str) -> None:
        line = self.workflow.lines.get(position)
        if line is None:
            return
        if line.kind == "serial":
            self._show(self.workflow.correct(position, code))
            return
        quantity, mfr, made, expiry = self.page.batch_form()
        self._show(self.workflow.correct(position, BatchFields(code, mfr or None, made or None, expiry or None,
                                                                quantity)))

    # -- scans ----------------------------------------------------------------------------------------
    def handle(self, outcome: ScanOutcome) -> ReceiveAnswer:
        quantity, mfr, made, expiry = self.page.batch_form()
        answer = self.workflow.handle(outcome, BatchDraft(quantity, mfr or None, made or None, expiry or None))
        self._show(answer)
        if answer.verdict == "line_added" and answer.line is not None and answer.line.kind == "batch":
            self.page.clear_batch_form()  # the next batch does not inherit this one's dates
        return answer

    def _show(self, answer: ReceiveAnswer) -> None:
        if answer.verdict == "needs_confirmation":
            self.pending = answer.pending
            self.page.ask_confirmation(answer.message)
            self.sounds.play("not_found")
            return
        self.pending = None
        self.page.show_answer(answer.accepted, answer.message, answer.note)
        self.sounds.play("found" if answer.accepted else "invalid")
        self._schedule_refresh()

    def refresh(self) -> None:
        wf = self.workflow
        if wf.receipt is None:
            self.page.show_receipt("No receipt open", "Item: —")
        else:
            r = wf.receipt
            ref = f"{r.reference} · " if r.reference else ""
            bin_text = f"bin {choice_text(self.page.bin, r.bin_id)}" if r.bin_id else "no bin"
            warehouse = choice_text(self.page.warehouse, r.warehouse_id)
            self.page.show_receipt(f"Receipt {r.receipt_id} · {ref}{warehouse} · {bin_text} · {r.state}",
                                   f"Item: {wf.current_item.name if wf.current_item else '—'}")
        self.page.show_lines(wf.all_lines(), wf.totals())


class ReceiveUnit(ControlledPageUnit):
    """The Receive tab."""

    key, title, order = "receive", "Receive", 30
    page: ReceivePage
    controller: ReceiveController

    def __init__(self, services: PageServices) -> None:
        page = ReceivePage()
        super().__init__(page, ReceiveController(services.station, services.outbox, page, services.tasks,
                                                 services.sounds, services.parent))
