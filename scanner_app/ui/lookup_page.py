"""The Lookup page: scan anything (or type it) and see what it is."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPushButton, QScrollArea, QVBoxLayout, QWidget

from scanner_app.ui.result_card import ResultCard


class LookupPage(QWidget):
    manual_entry = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.card = ResultCard()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.card)
        self.entry = QLineEdit()
        self.entry.setObjectName("manualEntry")
        self.entry.setPlaceholderText("Type a code and press Enter (a scanner works from anywhere)")
        self.entry.setClearButtonEnabled(True)
        self.lookup_button = QPushButton("Look up")
        entry_row = QHBoxLayout()
        entry_row.addWidget(self.entry, 1)
        entry_row.addWidget(self.lookup_button)
        layout = QVBoxLayout(self)
        layout.addLayout(entry_row)
        layout.addWidget(scroll, 1)
        self.entry.returnPressed.connect(self._submit)
        self.lookup_button.clicked.connect(self._submit)

    def _submit(self) -> None:
        text = self.entry.text()
        if text.strip():
            self.manual_entry.emit(text)
            self.entry.clear()
