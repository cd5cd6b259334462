"""Sending keys the way a keyboard-wedge scanner does, including characters QTest cannot
type (accented AZERTY keys, ASCII 29 group separators)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget


def _key_for(ch: str) -> tuple[int, Qt.KeyboardModifier]:
    if ch == "\x1d":  # FNC1 as most scanners send it: Ctrl+]
        return Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier
    if ch.isascii() and ch.isalnum():
        mods = Qt.KeyboardModifier.ShiftModifier if ch.isupper() else Qt.KeyboardModifier.NoModifier
        return ord(ch.upper()), mods
    return Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier


def send_chars(widget: QWidget, text: str) -> None:
    """Press and release one key per character, back to back (scanner speed). Like a real
    HID scanner, a capital letter is typed as Shift down, the letter, Shift up."""
    shift = Qt.KeyboardModifier.ShiftModifier
    for ch in text:
        key, mods = _key_for(ch)
        if mods & shift:
            QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_Shift, shift, ""))
        QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, key, mods, ch))
        QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyRelease, key, mods, ch))
        if mods & shift:
            QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyRelease, Qt.Key.Key_Shift,
                                                     Qt.KeyboardModifier.NoModifier, ""))


def send_key(widget: QWidget, key: Qt.Key) -> None:
    text = {Qt.Key.Key_Return: "\r", Qt.Key.Key_Enter: "\r", Qt.Key.Key_Tab: "\t"}.get(key, "")
    QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyPress, key, Qt.KeyboardModifier.NoModifier, text))
    QApplication.sendEvent(widget, QKeyEvent(QEvent.Type.KeyRelease, key, Qt.KeyboardModifier.NoModifier, text))


def scan_burst(widget: QWidget, code: str, terminator: Qt.Key = Qt.Key.Key_Return) -> None:
    send_chars(widget, code)
    send_key(widget, terminator)


def scan_from_another_field(qtbot, window: QWidget, code: str) -> None:  # type: ignore[no-untyped-def]
    """A wedge scan while some other field of ``window`` has focus: the window's scanner
    filter still takes it (the field stays empty) and routes it to the page shown."""
    field = QLineEdit(window)
    field.show()
    field.setFocus()
    qtbot.waitUntil(field.hasFocus)
    scan_burst(field, code)
    assert field.text() == ""
