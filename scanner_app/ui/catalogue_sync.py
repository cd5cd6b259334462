"""The window's side of catalogue sync: a background sync on a timer and on demand ("Sync
now"), how fresh the local copy is in the status bar, a progress bar while syncing,
errors in words ("sign in again" prominently), and a scanned item's serials and
batches fetched in the background when they are due.

Nothing here blocks the window: the sync runs on the task manager's network pool and
hands each page's write to its database-writer thread (waiting for it, so a slow disk
slows the sync, never the scans), which has a child process import it (the importer is
Python: on a thread it would take the GIL from the UI thread; see ``sync/import_process.py``);
progress comes back through a queued signal. Scans
keep being answered from the store on the UI thread all along (WAL: reads never wait
for the writer). Closing the window cancels the sync before the next page.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QProgressBar

from scanner_app.config import Settings
from scanner_app.inventory.models import Item
from scanner_app.scanning.scan import ScanOutcome
from scanner_app.station import Station
from scanner_app.sync.catalogue import CatalogueSync, SyncProgress, SyncReport
from scanner_app.sync.import_process import ImportProcess
from scanner_app.sync.item_details import FetchedDetails, ItemDetails
from scanner_app.sync.state import load_sync_state
from scanner_app.sync.wording import describe_age, explain_sync_error, headline_sync_error, needs_sign_in
from scanner_app.ui.tasks import TaskManager
from scanner_app.ui.widgets.plain_text import PlainLabel, escaped, plain_tooltip
from scanner_app.ui.zoho_settings_dialog import ZohoSettingsDialog

log = logging.getLogger(__name__)

SIGN_IN_HINT = "sign in again in Station > Settings (or run scanner-app login zoho)"
AGE_REFRESH_MS = 30_000
PROBLEM_STYLE = "color: #b00020;"
SIGN_IN_STYLE = "color: white; background: #b00020; font-weight: bold; padding: 2px 8px; border-radius: 4px;"


class CatalogueSyncController(QObject):
    item_updated = Signal(str)  # an item's details were written: show it again if on screen
    sync_finished = Signal(object, object)  # SyncReport | None, error | None
    settings_wanted = Signal()  # the person should open the settings dialog (sign in again)
    _progress = Signal(object)  # SyncProgress, from the sync's thread

    def __init__(self, station: Station, tasks: TaskManager, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.station = station
        self.tasks = tasks
        self.details = ItemDetails(station.inventory, station.settings.sync)
        self.running: CatalogueSync | _PendingSync | None = None
        self.last_error: BaseException | None = None
        self._sync_again = False
        self._closed = False
        self._fetching: set[str] = set()
        # pages are imported in a child process: on a thread they would hold the GIL a scan needs
        self.import_process = ImportProcess(station.paths.inventory_db)
        self._item_count: int | None = None
        self._window: QMainWindow | None = None
        self.dialog: ZohoSettingsDialog | None = None

        self.status_label = PlainLabel("")
        self.problem_label = PlainLabel("")
        self.problem_label.setWordWrap(False)
        self.problem_label.linkActivated.connect(lambda _link: self.settings_wanted.emit())
        self.progress_bar = QProgressBar()
        self.progress_bar.setMaximumWidth(220)
        self.progress_bar.setTextVisible(True)
        self.progress_bar.hide()
        self.sync_action = QAction("Sync now", self)
        self.sync_action.setShortcut("F5")
        self.sync_action.triggered.connect(lambda: self.sync_now())
        self._timer = QTimer(self)
        self._timer.timeout.connect(lambda: self.sync_now())
        self._age_timer = QTimer(self)
        self._age_timer.setInterval(AGE_REFRESH_MS)
        self._age_timer.timeout.connect(self.show_freshness)
        self._progress.connect(self._show_progress)
        station.pipeline.scanned.connect(self._on_scanned)

    def install(self, window: QMainWindow) -> None:
        """Put the label, problem text and progress bar in ``window``'s status bar, and
        Settings… and Sync now in its Station menu; then start."""
        self._window = window
        bar = window.statusBar()
        bar.addPermanentWidget(self.problem_label)
        bar.addPermanentWidget(self.progress_bar)
        bar.addPermanentWidget(self.status_label)
        menu = window.menuBar().addMenu("&Station")
        self.settings_action = menu.addAction("Settings…")
        self.settings_action.triggered.connect(self.open_settings)
        menu.addAction(self.sync_action)
        self.settings_wanted.connect(self.open_settings)
        self.apply_settings()

    def open_settings(self) -> ZohoSettingsDialog:
        """Station > Settings… (window-modal; returns at once)."""
        if self.dialog is None or not self.dialog.isVisible():
            self.dialog = ZohoSettingsDialog(self.station, self.tasks, self.settings_saved, self._window)
            self.dialog.open()
        self.dialog.raise_()
        return self.dialog

    # -- settings -------------------------------------------------------------------

    def apply_settings(self) -> None:
        """(Re)start from the station's current settings: timer, labels, a first sync."""
        settings = self.station.settings
        self.details.settings = settings.sync
        active = self.station.backend.syncs_catalogue
        self.sync_action.setEnabled(active)
        self.status_label.setVisible(active)
        self._timer.stop()
        if not active:
            self._age_timer.stop()
            self._show_problem(None)
            return
        if settings.sync.interval_minutes > 0:
            self._timer.start(int(settings.sync.interval_minutes * 60_000))
        self._age_timer.start()
        self.tasks.run_net(self.station.inventory.count_items, on_done=self._counted)
        self.show_freshness()
        QTimer.singleShot(0, self, lambda: self.sync_now())

    def settings_saved(self, previous: Settings, secrets_changed: bool) -> None:
        """The settings dialog saved: a new client (and so a fresh sync) when Zoho's
        values or secrets changed; the running sync is stopped first."""
        zoho_changed = previous.zoho != self.station.settings.zoho or secrets_changed
        if zoho_changed:
            self.station.zoho.reset()
            self.last_error = None
            if self.running is not None:
                self.running.cancel()
                self._sync_again = True
        self.apply_settings()

    # -- syncing --------------------------------------------------------------------

    def sync_now(self, full: bool = False) -> bool:
        """Start a sync in the background; False when one is running or Zoho is not used."""
        if self._closed or self.running is not None or not self.station.backend.syncs_catalogue:
            return False
        self.progress_bar.setRange(0, 0)  # busy until the first page says more
        self.progress_bar.setFormat("syncing…")
        self.progress_bar.show()
        self.sync_action.setEnabled(False)
        self.running = _PendingSync()  # a placeholder until the network thread made it
        self.tasks.run_net(self._run, full, on_done=self._finished)
        return True

    def _run(self, full: bool) -> tuple[SyncReport, int]:
        """On a network thread: make the sync (the client may raise NotConnected) and run it."""
        sync = CatalogueSync(self.station.inventory, self.station.zoho.get(), self.station.settings.sync,
                             write=self._write_on_db_thread, import_page=self.import_process.import_records)
        sync.progress.connect(self._progress.emit)
        placeholder = self.running
        self.running = sync
        if isinstance(placeholder, _PendingSync) and placeholder.cancelled:
            sync.cancel()
        report = sync.run(full=full)
        return report, self.station.inventory.count_items()

    def _write_on_db_thread(self, fn: Callable[[], Any]) -> Any:
        return self.tasks.run_db(fn).result()

    def _show_progress(self, progress: SyncProgress) -> None:
        if self.running is None:
            return
        if progress.expected:
            self.progress_bar.setRange(0, max(progress.expected, progress.records))
            self.progress_bar.setValue(progress.records)
        self.progress_bar.setFormat(f"{progress.phase}: {progress.records:,}")
        self.status_label.setText(f"Zoho Inventory · syncing ({progress.kind}) · page {progress.pages}, "
                                  f"{progress.records:,} records")

    def _finished(self, result: tuple[SyncReport, int] | None, error: BaseException | None) -> None:
        self.running = None
        self.progress_bar.hide()
        self.sync_action.setEnabled(self.station.backend.syncs_catalogue)
        if self._sync_again:
            self._sync_again = False
            QTimer.singleShot(0, self, lambda: self.sync_now())
            return
        report = result[0] if result is not None else None
        if error is not None:
            log.warning("sync failed: %s", error)
            self.last_error = error
        elif report is not None and not report.cancelled:
            self.last_error = None
            self._item_count = result[1] if result is not None else self._item_count
            for skipped in report.skipped:
                log.warning("sync left out %s", skipped.describe())
        self.show_freshness()
        self.sync_finished.emit(report, error)

    def _counted(self, count: object, error: BaseException | None) -> None:
        if error is None and isinstance(count, int):
            self._item_count = count
            self.show_freshness()

    def show_freshness(self) -> None:
        """"Zoho Inventory · synced 3 min ago · 10,000 items", and the last problem."""
        source = self.station.backend.catalogue_source(self.station.settings)
        if source is None or self.running is not None:
            return
        state = load_sync_state(self.station.inventory.connection(), source)
        when = f"synced {describe_age(time.time() - state.last_finished_at)}" if state else "not synced yet"
        count = f" · {self._item_count:,} items" if self._item_count is not None else ""
        self.status_label.setText(f"{self.station.backend.name} · {when}{count}")
        self._show_problem(self.last_error)

    def _show_problem(self, error: BaseException | None) -> None:
        if error is None:
            self.problem_label.hide()
            return
        headline = headline_sync_error(error)
        if needs_sign_in(error):
            # rich for the link, the station's own markup; the vendor's words in it escaped
            self.problem_label.setTextFormat(Qt.TextFormat.RichText)
            self.problem_label.setText(
                f'<a href="settings" style="color: white;">Sign in again</a>: {escaped(headline)}')
            self.problem_label.setStyleSheet(SIGN_IN_STYLE)
        else:
            self.problem_label.setTextFormat(Qt.TextFormat.PlainText)
            self.problem_label.setText(headline)
            self.problem_label.setStyleSheet(PROBLEM_STYLE)
        self.problem_label.setToolTip(plain_tooltip(explain_sync_error(error, SIGN_IN_HINT)))
        self.problem_label.show()

    # -- an item's serials and batches ------------------------------------------------

    def _on_scanned(self, outcome: ScanOutcome) -> None:
        item = outcome.result.item
        if self._closed or item is None or not self.station.backend.syncs_catalogue or item.item_id in self._fetching:
            return
        if not self.details.due(item):
            return
        self._fetching.add(item.item_id)
        self.tasks.run_net(self._fetch_details, item,
                           on_done=functools.partial(self._details_fetched, item.item_id))

    def _fetch_details(self, item: Item) -> FetchedDetails:
        return self.details.fetch(self.station.zoho.get(), item.item_id)

    def _details_fetched(self, item_id: str, fetched: FetchedDetails | None, error: BaseException | None) -> None:
        if error is not None or fetched is None or self._closed:
            self._fetching.discard(item_id)
            if error is not None:
                log.info("details of item %s not fetched: %s", item_id, error)
                if needs_sign_in(error):
                    self.last_error = error
                    self._show_problem(error)
            return
        self.tasks.run_db(self.details.write, fetched, on_done=functools.partial(self._details_written, item_id))

    def _details_written(self, item_id: str, written: object, error: BaseException | None) -> None:
        self._fetching.discard(item_id)
        if error is not None:
            log.error("details of item %s not written", item_id, exc_info=error)
            return
        self.item_updated.emit(item_id)

    # -- shutdown -----------------------------------------------------------------------

    def shutdown(self) -> None:
        """Stop the timers and the running sync (before the next page); the window then
        shuts the task manager down, which waits for it."""
        self._closed = True
        if self.dialog is not None:
            self.dialog.reject()
        self._timer.stop()
        self._age_timer.stop()
        if self.running is not None:
            self.running.cancel()
        try:  # after the page being written, if any: the database-writer thread runs this last
            self.tasks.run_db(self.import_process.close)
        except RuntimeError:  # the task manager is shut down already: nothing is being written
            self.import_process.close()
        try:
            self.station.pipeline.scanned.disconnect(self._on_scanned)
        except ValueError:
            pass


class _PendingSync:
    """Stands for a sync between "Sync now" and its network thread making it, so a cancel
    in between is not lost."""

    cancelled = False

    def cancel(self) -> None:
        self.cancelled = True
