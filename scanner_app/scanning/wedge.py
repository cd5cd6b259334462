"""Telling a keyboard-wedge scanner's burst of keystrokes from a person typing.

A USB HID scanner "types" its code one key every 1-15 ms and ends it with Enter or Tab.
The detector holds each printable key for at most ``max_key_gap_ms``: if the next key
comes sooner it keeps holding, so a whole burst is held back from whatever widget has
focus; when a terminator ends a held run of at least ``min_length`` characters, the run
is a scan. Anything else (a pause longer than the gap, a short run, a key that is not
text) releases the held keys, in order, to be delivered as ordinary typing, so a person
typing into a text field is never hijacked; they only see each key up to one gap late.

Plain Python: keys are opaque tokens (the Qt adapter passes its key events) and times
are milliseconds from any monotonic clock. The Qt adapter is ``ui/wedge_filter.py``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generic, TypeVar

from scanner_app.config import ScannerSettings

T = TypeVar("T")


@dataclass
class WedgeDecision(Generic[T]):
    """What to do after a key.

    ``release``: held keys to deliver now, in order, as typing. ``consume``: the key just
    fed is swallowed (held, or it ended a scan); otherwise it is delivered after the
    released ones. ``scan``: a complete scan, with ``capture_ms`` from its first key to
    its terminator.
    """

    consume: bool
    release: list[T] = field(default_factory=list)
    scan: str | None = None
    capture_ms: float | None = None


class WedgeBurstDetector(Generic[T]):
    def __init__(self, settings: ScannerSettings | None = None) -> None:
        self.settings = settings or ScannerSettings()
        self._held: list[tuple[T, str]] = []
        self._first_ms = 0.0
        self._last_ms = 0.0

    @property
    def holding(self) -> bool:
        return bool(self._held)

    @property
    def last_key_ms(self) -> float:
        return self._last_ms

    def _take(self) -> list[T]:
        tokens = [token for token, _ in self._held]
        self._held.clear()
        return tokens

    def _gap_exceeded(self, t_ms: float) -> bool:
        return bool(self._held) and t_ms - self._last_ms > self.settings.max_key_gap_ms

    def on_text(self, token: T, text: str, t_ms: float) -> WedgeDecision[T]:
        """A key that produces ``text`` (a printable character or ASCII 29)."""
        released = self._take() if self._gap_exceeded(t_ms) else []
        if not self._held:
            self._first_ms = t_ms
        self._held.append((token, text))
        self._last_ms = t_ms
        return WedgeDecision(consume=True, release=released)

    def on_terminator(self, token: T, name: str, t_ms: float) -> WedgeDecision[T]:
        """Enter or Tab (``name`` is "enter" or "tab")."""
        if not self._held:
            return WedgeDecision(consume=False)
        if name not in self.settings.terminators or self._gap_exceeded(t_ms):
            return WedgeDecision(consume=False, release=self._take())
        code = "".join(text for _, text in self._held)
        if len(code) < self.settings.min_length:
            return WedgeDecision(consume=False, release=self._take())
        self._held.clear()
        return WedgeDecision(consume=True, scan=code, capture_ms=t_ms - self._first_ms)

    def on_other(self, token: T, t_ms: float) -> WedgeDecision[T]:
        """A key that is neither text nor a terminator (arrows, Escape, shortcuts)."""
        return WedgeDecision(consume=False, release=self._take())

    def on_idle(self, t_ms: float) -> WedgeDecision[T]:
        """Called when no key came for a while: releases a run whose gap has passed."""
        if self._gap_exceeded(t_ms):
            return WedgeDecision(consume=False, release=self._take())
        return WedgeDecision(consume=False)
