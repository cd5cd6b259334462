"""The answer's banner: FOUND / NOT FOUND / INVALID CODE (and "Ready"), each with its own
colour, icon and words, so the answer never rests on colour alone.

One pre-styled banner per state sits in a stack and a scan only switches the page and sets
the code's text: re-polishing a style sheet on every scan cost ~10 ms, switching costs
almost nothing.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QFrame, QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from scanner_app.resources import resource_path
from scanner_app.ui.widgets.plain_text import PlainLabel

# state -> (words, icon, style): the style is the banner colour in ui/style.py
BannerStates = dict[str, tuple[str, str | None, str]]

LOOKUP_STATES: BannerStates = {
    "idle": ("Ready: scan a code", None, "idle"),
    "found": ("FOUND", "found", "found"),
    "not_found": ("NOT FOUND", "not_found", "not_found"),
    "invalid": ("INVALID CODE", "invalid", "invalid"),
}


class Banner(QFrame):
    def __init__(self, words: str, icon: str | None, style: str) -> None:
        super().__init__()
        self.setObjectName("banner")
        self.setProperty("state", style)
        self.headline = PlainLabel(words)
        self.headline.setObjectName("headline")
        self.code_label = PlainLabel("")
        self.code_label.setObjectName("scannedCode")
        self.code_label.setWordWrap(True)
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = self.code_label  # the second line: the code, or a sentence
        text = QVBoxLayout()
        text.addWidget(self.headline)
        text.addWidget(self.code_label)
        layout = QHBoxLayout(self)
        if icon is not None:
            picture = PlainLabel()
            picture.setFixedSize(64, 64)
            picture.setPixmap(QIcon(str(resource_path("icons", f"{icon}.svg"))).pixmap(64, 64))
            layout.addWidget(picture)
        layout.addLayout(text, 1)


class StateBanner(QStackedWidget):
    def __init__(self, states: BannerStates | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        states = states or LOOKUP_STATES
        self.banners = {state: Banner(words, icon, style) for state, (words, icon, style) in states.items()}
        for banner in self.banners.values():
            self.addWidget(banner)
        self.state = "idle"

    def show_state(self, state: str, code: str) -> None:
        banner = self.banners[state]
        banner.code_label.setText(code)
        self.setCurrentWidget(banner)
        self.state = state

    @property
    def current(self) -> Banner:
        return self.banners[self.state]
