"""The answer's banner: FOUND / NOT FOUND / INVALID CODE (and "Ready"), each with its own
colour, icon and words, so the answer never rests on colour alone.

One pre-styled banner per state sits in a stack and a scan only switches the page and sets
the code's text: re-polishing a style sheet on every scan cost ~10 ms, switching costs
almost nothing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from scanner_app.resources import resource_path

STATES = {
    "idle": ("Ready: scan a code", None),
    "found": ("FOUND", "found"),
    "not_found": ("NOT FOUND", "not_found"),
    "invalid": ("INVALID CODE", "invalid"),
}


class _Banner(QFrame):
    def __init__(self, state: str, words: str, icon: str | None) -> None:
        super().__init__()
        self.setObjectName("banner")
        self.setProperty("state", state)
        self.headline = QLabel(words)
        self.headline.setObjectName("headline")
        self.code_label = QLabel("")
        self.code_label.setObjectName("scannedCode")
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        text = QVBoxLayout()
        text.addWidget(self.headline)
        text.addWidget(self.code_label)
        layout = QHBoxLayout(self)
        if icon is not None:
            picture = QLabel()
            picture.setFixedSize(64, 64)
            picture.setPixmap(QIcon(str(resource_path("icons", f"{icon}.svg"))).pixmap(64, 64))
            layout.addWidget(picture)
        layout.addLayout(text, 1)


class StateBanner(QStackedWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._banners = {state: _Banner(state, words, icon) for state, (words, icon) in STATES.items()}
        for banner in self._banners.values():
            self.addWidget(banner)
        self.state = "idle"

    def show_state(self, state: str, code: str) -> None:
        banner = self._banners[state]
        banner.code_label.setText(code)
        self.setCurrentWidget(banner)
        self.state = state

    @property
    def current(self) -> _Banner:
        return self._banners[self.state]
