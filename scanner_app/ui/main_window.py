"""The station window: the workflow pages as tabs (built from the page registry,
:mod:`scanner_app.ui.workflow_pages`: Lookup, Dispatch, Receive, Assemble), the scan history,
the camera, and the status line (with the outbox badge).

Every scan source ends in ``handle_scan``: the core pipeline answers it (on this
thread: an indexed read well under a millisecond), the current tab's page answers the
person on screen and by sound in the same frame, and the history is written on the
database-writer thread. The window knows no page by name: it builds, routes to, loads and
closes each through the same :class:`~scanner_app.ui.workflow_pages.WorkflowPageUnit`.
"""

from __future__ import annotations

import logging
from functools import partial

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QCloseEvent, QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QMainWindow, QSplitter, QTabWidget, QWidget

from scanner_app.history.actions import record_discard
from scanner_app.outbox import Outbox, OutboxEntry
from scanner_app.outbox.for_station import station_relay
from scanner_app.resources import resource_path
from scanner_app.scanning.scan import Scan, ScanOutcome, ScanSource
from scanner_app.station import Station
from scanner_app.ui.catalogue_sync import CatalogueSyncController
from scanner_app.ui.garbage import freeze_start_up_objects, load_http_stack
from scanner_app.ui.history_amendments import HistoryAmendments
from scanner_app.ui.serial_scanner import SerialScannerPort
from scanner_app.ui.sounds import FeedbackSounds
from scanner_app.ui.style import STYLESHEET
from scanner_app.ui.tasks import TaskManager
from scanner_app.ui.wedge_filter import WedgeKeyFilter
from scanner_app.ui.widgets.camera_panel import CameraPanel
from scanner_app.ui.widgets.history_panel import HistoryPanel
from scanner_app.ui.widgets.outbox_status import OutboxBadge
from scanner_app.ui.widgets.plain_text import PlainLabel
from scanner_app.ui.workflow_pages import PageServices, StationPageNames, WorkflowPageUnit, build_pages

log = logging.getLogger(__name__)

HISTORY_ROW_DELAY_MS = 40


class MainWindow(QMainWindow, StationPageNames):
    def __init__(self, station: Station, sounds: FeedbackSounds | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.station = station
        self.setWindowTitle("Scanner station")
        self.setWindowIcon(QIcon(str(resource_path("icons", "scanner-app.svg"))))
        self.setStyleSheet(STYLESHEET)
        self.tasks = TaskManager(self)
        feedback = station.settings.feedback
        self.sounds = sounds or FeedbackSounds(feedback.sound, feedback.volume, self)
        self.last_outcome: ScanOutcome | None = None
        self.saved_scans = 0
        self._shut_down = False

        self.history_panel = HistoryPanel()
        self.camera_panel = CameraPanel(station.settings.camera)
        self.camera_panel.scanned.connect(lambda code: self.handle_scan(code, ScanSource.CAMERA))
        self.status_label = PlainLabel("Opening the inventory…")
        self.statusBar().addWidget(self.status_label, 1)

        # the outbox: delivered in the background while the window is open; badge and dialog
        self.outbox = Outbox(station.inventory)
        self.outbox_badge = OutboxBadge(self.outbox, station_relay(station, self.outbox), self)
        self.statusBar().addPermanentWidget(self.outbox_badge.button)
        self.outbox_badge.on_discarded = self._record_discard
        # scans answered later (by a serial register) amend their history rows
        self.history_amendments = HistoryAmendments(station.history, self.history_panel, self.tasks)

        # the workflow pages, one tab each, in their order (scanner_app/ui/workflow_pages.py)
        self.page_units = build_pages(PageServices(station, self.outbox, self.tasks, self.sounds,
                                                   self.history_amendments, lambda: self.last_outcome, self))
        self._scans_elsewhere = next(unit for unit in self.page_units if unit.takes_scans)
        self.pages = QTabWidget()
        for unit in self.page_units:
            self.pages.addTab(unit.page, unit.title)
            if unit.manual_entry is not None:
                unit.manual_entry.connect(lambda text: self.handle_scan(text, ScanSource.MANUAL))
            if unit.shortcut:
                QShortcut(QKeySequence(unit.shortcut), self).activated.connect(
                    partial(self.pages.setCurrentWidget, unit.page))
        side = QSplitter(Qt.Orientation.Vertical)
        side.addWidget(self.camera_panel)
        side.addWidget(self.history_panel)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.pages)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        self.setCentralWidget(splitter)
        self.resize(1200, 800)

        self.wedge = WedgeKeyFilter(station.settings.scanner, self)
        self.wedge.scanned.connect(self._on_wedge_scan)

        self.input_status = PlainLabel("")
        self.statusBar().addPermanentWidget(self.input_status)
        self.serial_scanner: SerialScannerPort | None = None
        if station.settings.serial_scanner.port:
            self.serial_scanner = SerialScannerPort(station.settings.serial_scanner, self)
            self.serial_scanner.scanned.connect(lambda code: self.handle_scan(code, ScanSource.SERIAL))
            self.serial_scanner.status.connect(self.input_status.setText)
            self.serial_scanner.open()

        # Zoho: syncs in the background, says how fresh the local copy is; Station menu
        self.catalogue_sync = CatalogueSyncController(station, self.tasks, self)
        self.catalogue_sync.install(self)
        self.catalogue_sync.item_updated.connect(self._show_item_again)

        self.tasks.run_db(self.station.install_demo_if_empty, on_done=self._on_inventory_ready)
        self.tasks.run_db(self.station.history.recent, 100, on_done=self._on_history_loaded)
        if station.settings.camera.autostart:
            QTimer.singleShot(0, self.camera_panel, self.camera_panel.start)
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self.wedge)  # last: a window that failed to build must not capture keys

    # -- scans ----------------------------------------------------------------------
    def _on_wedge_scan(self, code: str, capture_ms: float) -> None:
        self.handle_scan(code, ScanSource.WEDGE, capture_ms)

    def handle_scan(self, raw: str, source: ScanSource, capture_ms: float | None = None) -> ScanOutcome:
        outcome = self.station.pipeline.process(Scan(raw, source, capture_ms=capture_ms))
        self.last_outcome = outcome
        # the page answers on screen and by sound; a workflow page's verdict is kept in the history
        verdict = self._page_taking_scans().handle_scan(outcome)
        # The answer paints first; the history row follows a couple of frames later, so the
        # two paints never add up in one frame.
        QTimer.singleShot(HISTORY_ROW_DELAY_MS, self.history_panel, lambda: self.history_amendments.row_added(
            outcome, self.history_panel.add_outcome(outcome, verdict)))
        self.tasks.run_db(self.station.history.record, outcome, verdict,
                          on_done=lambda scan_id, error: self._on_scan_saved(outcome, scan_id, error))
        return outcome

    def _page_taking_scans(self) -> WorkflowPageUnit:
        """The current tab's page, or the first that takes scans (Lookup) when it takes none."""
        current = self.page_units[self.pages.currentIndex()]
        return current if current.takes_scans else self._scans_elsewhere

    def _show_item_again(self, item_id: str) -> None:
        """The item's details (serials, batches, stock) were refreshed in the background:
        show it again if it is still the answer on screen (no sound, no new history row)."""
        shown = self.last_outcome
        if shown is None or shown.result.item is None or shown.result.item.item_id != item_id:
            return
        result = self.station.inventory.lookup(shown.classification, today=self.station.today().isoformat())
        self.last_outcome = ScanOutcome(shown.scan, shown.classification, result, shown.timings_ms)
        for unit in self.page_units:
            unit.show_refreshed(self.last_outcome)

    def _record_discard(self, entry: OutboxEntry, reason: str) -> None:
        self.tasks.run_db(record_discard, self.station.history, entry, reason)

    def _on_scan_saved(self, outcome: ScanOutcome, scan_id: object, error: BaseException | None) -> None:
        if error is not None:
            self.history_amendments.forget(outcome)
            log.error("could not save a scan to the history", exc_info=error)
            self.status_label.setText(f"Could not save the last scan to the history: {error}")
            return
        self.saved_scans += 1
        self.history_amendments.saved(outcome, int(scan_id))  # type: ignore[call-overload]

    # -- start-up -------------------------------------------------------------------
    def _on_inventory_ready(self, installed: object, error: BaseException | None) -> None:
        if error is not None:
            log.error("inventory could not be opened", exc_info=error)
            self.status_label.setText(f"Inventory problem: {error}")
            return
        for unit in self.page_units:  # choices filled, open jobs resumed
            unit.load()
        self.outbox_badge.start()
        self.tasks.run_db(self.station.inventory.count_items, on_done=self._show_count)
        # start-up is done: full collections from now on walk only what the session creates
        if self.station.backend.warms_http_stack:  # its HTTP stack too, imported off the UI thread
            def freeze_after_http_stack(_result: object, _error: BaseException | None) -> None:
                freeze_start_up_objects()

            self.tasks.run_net(load_http_stack, on_done=freeze_after_http_stack)
        else:
            QTimer.singleShot(0, self, freeze_start_up_objects)

    def _show_count(self, count: object, error: BaseException | None) -> None:
        if error is None:
            words = self.station.backend.status_words(count if isinstance(count, int) else 0)
            inventory = f"{words} · " if words else ""
            self.status_label.setText(f"{inventory}home: {self.station.paths.config_dir}")

    def _on_history_loaded(self, entries: object, error: BaseException | None) -> None:
        if error is None and isinstance(entries, list):
            self.history_panel.load(entries)

    # -- shutdown -------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt API)
        if self._shut_down:  # a second close (e.g. a test harness closing again) changes nothing
            super().closeEvent(event)
            return
        self._shut_down = True
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self.wedge)
        if self.serial_scanner is not None:
            self.serial_scanner.close()
        self.camera_panel.stop()
        self.catalogue_sync.shutdown()
        self.tasks.shutdown()  # queued dispatch writes finish first
        self.outbox_badge.stop()
        for unit in self.page_units:
            unit.close()
        super().closeEvent(event)
