"""The outbox in the window: the relay running in the background while the window is
open (stopped cleanly on close), a status-bar badge with pending and failed counts kept
live from the relay's events, and the dialog listing entries with Retry and Discard."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import ClassVar

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from scanner_app.outbox import Outbox, OutboxEntry, OutboxError, OutboxRelay, RelayBusy
from scanner_app.outbox.entries import OPEN_STATES
from scanner_app.ui.widgets.plain_text import confirm, inform, plain_tooltip

log = logging.getLogger(__name__)
AskReason = Callable[[QWidget, OutboxEntry], str | None]


def ask_discard_reason(parent: QWidget, entry: OutboxEntry) -> str | None:
    """Confirm a discard and ask why; None when the person backs out."""
    if not confirm(parent, "Discard outbox entry",
                   f"Discard entry {entry.entry_id} ({entry.document})? It will never be sent."):
        return None
    reason, ok = QInputDialog.getText(parent, "Discard outbox entry", "Why is it discarded?")
    return reason.strip() if ok and reason.strip() else None


class OutboxBadge(QObject):
    _changed = Signal()  # the outbox or the relay moved (any thread) -> recount on the UI thread

    def __init__(self, outbox: Outbox, relay: OutboxRelay, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.outbox, self.relay = outbox, relay
        self.on_discarded: Callable[[OutboxEntry, str], None] | None = None  # e.g. write the history
        self.button = QPushButton("Outbox: —")
        self.button.setFlat(True)
        self.button.clicked.connect(self.open_dialog)
        self.relay_problem = ""
        self._recount = QTimer(self)
        self._recount.setSingleShot(True)
        self._recount.setInterval(50)  # coalesce a burst of entry changes into one count
        self._recount.timeout.connect(self.update)
        self._changed.connect(self._recount.start)
        outbox.entry_changed.connect(self._on_core_change)
        relay.status_changed.connect(self._on_core_change)
        self.dialog: OutboxDialog | None = None
        self._stopped = False

    def start(self) -> None:
        try:
            self.relay.start()
        except RelayBusy as busy:  # a CLI run is delivering; the window shows, it does not deliver
            self.relay_problem = str(busy)
        self.update()

    def _on_core_change(self, _change: object) -> None:
        if not self._stopped:
            self._changed.emit()

    def stop(self) -> None:
        self._stopped = True
        self._recount.stop()
        self.relay.stop()
        self.outbox.entry_changed.disconnect(self._on_core_change)
        self.relay.status_changed.disconnect(self._on_core_change)

    def update(self) -> None:
        if self._stopped:
            return
        counts = self.outbox.counts()
        pending = counts["pending"] + counts["in_flight"]
        failed = counts["failed"] + counts["parked"]
        status = self.relay.status
        extra = f" · {status.state}: {status.reason}" if status.state in ("waiting", "paused") else ""
        self.button.setText(f"Outbox: {pending} pending · {failed} failed{extra}")
        self.button.setToolTip(plain_tooltip(self.relay_problem or "Entries waiting to reach the inventory system"))
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.fill()

    def open_dialog(self) -> OutboxDialog:
        if self.dialog is None:
            parent = self.parent()
            self.dialog = OutboxDialog(self.outbox, parent if isinstance(parent, QWidget) else None,
                                       on_discarded=self.on_discarded)
        self.dialog.fill()
        self.dialog.show()
        return self.dialog


class OutboxDialog(QDialog):
    COLUMNS: ClassVar[list[str]] = ["Id", "Document", "What", "State", "Attempts", "Reason"]

    def __init__(self, outbox: Outbox, parent: QWidget | None = None,
                 ask_reason: AskReason = ask_discard_reason,
                 on_discarded: Callable[[OutboxEntry, str], None] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Outbox")
        self.outbox, self.ask_reason, self.on_discarded = outbox, ask_reason, on_discarded
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.retry_button = QPushButton("Retry")
        self.discard_button = QPushButton("Discard…")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.retry_button)
        buttons.addWidget(self.discard_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        self.retry_button.clicked.connect(self.retry_selected)
        self.discard_button.clicked.connect(self.discard_selected)
        self.entries: list[OutboxEntry] = []
        self.resize(900, 400)

    def fill(self) -> None:
        self.entries = self.outbox.entries(states=OPEN_STATES)
        self.table.setRowCount(len(self.entries))
        for r, e in enumerate(self.entries):
            reason = e.vendor_message or e.last_error or ""
            for c, text in enumerate((str(e.entry_id), e.document, e.kind, e.state, str(e.attempts), reason)):
                self.table.setItem(r, c, QTableWidgetItem(text))

    def selected(self) -> OutboxEntry | None:
        row = self.table.currentRow()
        return self.entries[row] if 0 <= row < len(self.entries) else None

    def retry_selected(self) -> None:
        entry = self.selected()
        if entry is not None:
            self._act(lambda: self.outbox.retry(entry.entry_id))

    def discard_selected(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        reason = self.ask_reason(self, entry)
        if reason:
            self._act(lambda: self._discard(entry, reason))

    def _discard(self, entry: OutboxEntry, reason: str) -> None:
        discarded = self.outbox.discard(entry.entry_id, reason)
        if self.on_discarded is not None:
            self.on_discarded(discarded, reason)  # into the scan history

    def _act(self, action: Callable[[], object]) -> None:
        try:
            action()
        except OutboxError as refused:
            inform(self, "Outbox", str(refused))
        self.fill()
