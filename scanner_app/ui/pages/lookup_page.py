"""The Lookup page: scan anything (or type it) and see what it is."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QScrollArea, QVBoxLayout, QWidget

from scanner_app import days
from scanner_app.ui.pages.workflow_page import ScanEntry
from scanner_app.ui.widgets.result_card import ResultCard


class LookupPage(QWidget):
    manual_entry = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, today: days.Today = days.today) -> None:
        super().__init__(parent)
        self.card = ResultCard(today=today)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.card)
        self.entry = ScanEntry()
        self.entry.setClearButtonEnabled(True)
        self.lookup_button = QPushButton("Look up")
        entry_row = QHBoxLayout()
        entry_row.addWidget(self.entry, 1)
        entry_row.addWidget(self.lookup_button)
        layout = QVBoxLayout(self)
        layout.addLayout(entry_row)
        layout.addWidget(scroll, 1)
        self.entry.submitted.connect(self.manual_entry)
        self.lookup_button.clicked.connect(self.entry.submit)
