"""The scan history panel: the newest scans first, each with its answer in words."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from scanner_app.history import HistoryEntry
from scanner_app.history.store import WorkflowVerdict, summarise
from scanner_app.scanning.scan import ScanOutcome
from scanner_app.ui.widgets.plain_text import PlainLabel

STATUS_WORDS = {"found": "✔ found", "not_found": "? not found", "invalid": "✖ invalid",
                # a workflow page's answer (history.WorkflowVerdict)
                "accepted": "✔ accepted", "refused": "✖ refused", "checking": "… checking", "confirm": "? confirm"}
STATUS_COLOURS = {"found": "#1b7f3b", "not_found": "#8a5300", "invalid": "#b00020",
                  "accepted": "#1b7f3b", "refused": "#b00020", "checking": "#3a4a5c", "confirm": "#8a5300"}
MAX_ROWS = 200


class HistoryPanel(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = PlainLabel("Scan history")
        title.setObjectName("caption")
        self.list = QListWidget()
        self.list.setObjectName("historyList")
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # Every row is three lines, elided rather than wrapped: with uniform sizes a new row
        # at the top costs the same whatever the length of the list (wrapped rows made Qt
        # re-measure every row, ~5 ms a scan at 140 rows).
        self.list.setUniformItemSizes(True)
        self.list.setWordWrap(False)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.list)

    @staticmethod
    def _fill(row: QListWidgetItem, when: str, source: str, status: str, display: str, summary: str | None,
              reason: str | None) -> None:
        text = f"{when}  {STATUS_WORDS.get(status, status)}  [{source}]\n{display}"
        row.setText(text + f"\n{summary or reason or ''}")  # always three lines: uniform row heights
        row.setForeground(QColor(STATUS_COLOURS.get(status, "#000000")))
        row.setData(Qt.ItemDataRole.UserRole, status)

    def _add(self, when: str, source: str, status: str, display: str, summary: str | None,
             reason: str | None, at_top: bool) -> QListWidgetItem:
        row = QListWidgetItem()
        self._fill(row, when, source, status, display, summary, reason)
        if at_top:
            self.list.insertItem(0, row)
        else:
            self.list.addItem(row)
        while self.list.count() > MAX_ROWS:
            self.list.takeItem(self.list.count() - 1)
        return row

    @staticmethod
    def _words(outcome: ScanOutcome, verdict: WorkflowVerdict | None = None
               ) -> tuple[str, str, str, str, str | None, str | None]:
        when = datetime.fromtimestamp(outcome.scan.received_at).strftime("%H:%M:%S")
        if verdict is not None:  # a workflow page answered: its verdict, the item named
            return (when, f"{outcome.scan.source.value} · {verdict.page}", verdict.status,
                    outcome.classification.display, verdict.message, None)
        return (when, outcome.scan.source.value, outcome.result.status, outcome.classification.display,
                summarise(outcome), outcome.result.reason)

    def add_outcome(self, outcome: ScanOutcome, verdict: WorkflowVerdict | None = None) -> QListWidgetItem:
        """A new row at the top; returned, so a later answer to the same scan can replace it."""
        return self._add(*self._words(outcome, verdict), at_top=True)

    def show_in(self, row: QListWidgetItem, outcome: ScanOutcome, verdict: WorkflowVerdict | None = None) -> None:
        """Show ``outcome`` in an existing row (a later answer to the same scan)."""
        self._fill(row, *self._words(outcome, verdict))

    def load(self, entries: list[HistoryEntry]) -> None:
        """Add stored history (newest first) below whatever was scanned since start-up."""
        for entry in entries:
            when = datetime.fromisoformat(entry.scanned_at).astimezone().strftime("%H:%M:%S")
            self._add(when, entry.source, entry.status, entry.display, entry.summary, entry.reason, at_top=False)

    def rows(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]
