"""Text from data on screen as plain text, never as rich text (HTML).

Qt guesses: a QLabel, a tooltip and a QMessageBox render their text as HTML when it
looks like HTML (``Qt::mightBeRichText``, the default ``AutoText``). Scanned codes, item
names, serial numbers and vendor messages come from outside, so ``<h1>BIG</h1>`` scanned,
or an item named ``<font color=green>OK - genuine</font>``, would be rendered, not shown.
Every label in the window is a :class:`PlainLabel`; tooltips built from data go through
:func:`plain_tooltip`; message boxes through :func:`inform` and :func:`confirm`. Where a
label must stay rich for the station's own markup (a link), the data in it is escaped
with :func:`escaped`. Table and list items are plain already (no delegate renders HTML).
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget


class PlainLabel(QLabel):
    """A QLabel that shows its text exactly as given (``Qt.TextFormat.PlainText``)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setTextFormat(Qt.TextFormat.PlainText)


def escaped(text: str) -> str:
    """``text`` for the inside of a rich-text label: ``<``, ``>``, ``&`` and quotes as entities."""
    return html.escape(text)


def plain_tooltip(text: str) -> str:
    """A tooltip showing ``text`` exactly. A tooltip is rendered as HTML when
    ``Qt.mightBeRichText`` says so (it cannot be told otherwise): such text is handed over
    escaped, as HTML that shows it; any other text is left as it is."""
    if not GuiQt.mightBeRichText(text):
        return text
    return GuiQt.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal)


def _box(parent: QWidget | None, title: str, text: str, icon: QMessageBox.Icon) -> QMessageBox:
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    return box


def inform(parent: QWidget | None, title: str, text: str) -> None:
    """``QMessageBox.information`` with ``text`` shown as plain text."""
    box = _box(parent, title, text, QMessageBox.Icon.Information)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()


def confirm(parent: QWidget | None, title: str, text: str) -> bool:
    """``QMessageBox.question`` (Yes / No) with ``text`` shown as plain text; True for Yes."""
    box = _box(parent, title, text, QMessageBox.Icon.Question)
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes
