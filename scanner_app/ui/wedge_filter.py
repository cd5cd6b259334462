"""Application-wide capture of keyboard-wedge scans (the Qt side of scanning/wedge.py).

Installed on the QApplication, it sees every key press before the focused widget does.
Printable keys are held while they come at scanner speed; a held run ended by Enter/Tab
is a scan and is emitted as ``scanned``, and the focused widget never sees it. Held keys
that turn out to be typing are re-sent, in order, to the widget they were meant for.
"""

from __future__ import annotations

import time

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget

from scanner_app.config import ScannerSettings
from scanner_app.scanning.wedge import WedgeBurstDetector, WedgeDecision

_TERMINATORS = {Qt.Key.Key_Return: "enter", Qt.Key.Key_Enter: "enter", Qt.Key.Key_Tab: "tab"}
_SHORTCUT_MODIFIERS = (
    Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier
)
GROUP_SEPARATOR = "\x1d"
# Pressed on their own, these only change what the next key types: a scanner sends Shift
# before every capital letter, so they must neither end a burst nor be held.
_MODIFIER_KEYS = {Qt.Key.Key_Shift, Qt.Key.Key_Control, Qt.Key.Key_Alt, Qt.Key.Key_AltGr, Qt.Key.Key_Meta,
                  Qt.Key.Key_CapsLock, Qt.Key.Key_NumLock}

_KEY_PRESS = QEvent.Type.KeyPress
HeldKey = tuple[QWidget, QKeyEvent]


class WedgeKeyFilter(QObject):
    scanned = Signal(str, float)  # code, capture_ms (first key to terminator)

    def __init__(self, settings: ScannerSettings | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.detector: WedgeBurstDetector[HeldKey] = WedgeBurstDetector(settings)
        self._replaying = False
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.timeout.connect(self._on_idle)

    def set_settings(self, settings: ScannerSettings) -> None:
        self._flush()
        self.detector.settings = settings

    @staticmethod
    def _now_ms() -> float:
        return time.perf_counter() * 1000.0

    def _is_target(self, obj: QObject) -> bool:
        # Key events reach the window, then the focus widget, then (if ignored) its parents;
        # handle each press once, where it is first meant for a widget.
        if not isinstance(obj, QWidget):
            return False
        focus = QApplication.focusWidget()
        return obj is focus if focus is not None else obj.isWindow()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        # Every Qt event of the process comes through here, and all but a few are not key
        # events: they leave on the class PySide6 gave them (a key event is exactly a
        # QKeyEvent; Qt has no subclass of it), before ``event.type()``, which builds a
        # Python enum object on each call (~0.5 us; benchmarks/wedge_filter_cost.py).
        if type(event) is not QKeyEvent or self._replaying or event.type() != _KEY_PRESS \
                or not self._is_target(obj):
            return False
        assert isinstance(obj, QWidget)
        key = Qt.Key(event.key())
        if key in _MODIFIER_KEYS:
            return False
        now = self._now_ms()
        text = event.text()
        if key in _TERMINATORS and not event.modifiers() & _SHORTCUT_MODIFIERS:
            decision = self.detector.on_terminator((obj, event.clone()), _TERMINATORS[key], now)
        elif text == GROUP_SEPARATOR or (
            text and text.isprintable()
            and not event.modifiers() & (_SHORTCUT_MODIFIERS & ~Qt.KeyboardModifier.AltModifier)
        ):
            # AltGr arrives as Alt on some platforms: keep text from it; Ctrl shortcuts pass.
            decision = self.detector.on_text((obj, event.clone()), text, now)
        else:
            decision = self.detector.on_other((obj, event.clone()), now)
        return self._apply(decision)

    def _apply(self, decision: WedgeDecision[HeldKey]) -> bool:
        if decision.release:
            self._replay(decision.release)
        if decision.scan is not None:
            self._idle.stop()
            self.scanned.emit(decision.scan, decision.capture_ms or 0.0)
        elif self.detector.holding:
            self._idle.start(int(self.detector.settings.max_key_gap_ms) + 1)
        return decision.consume

    def _on_idle(self) -> None:
        decision = self.detector.on_idle(self._now_ms())
        if decision.release:
            self._replay(decision.release)
        elif self.detector.holding:
            self._idle.start(1)

    def _flush(self) -> None:
        self._idle.stop()
        self._replay(self.detector.on_idle(float("inf")).release)

    def _replay(self, keys: list[HeldKey]) -> None:
        self._replaying = True
        try:
            for widget, event in keys:
                target = widget if shiboken6.isValid(widget) else QApplication.focusWidget()
                if target is not None:
                    QApplication.sendEvent(target, event)
        finally:
            self._replaying = False
