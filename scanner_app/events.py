"""A minimal observer: how the Qt-free core tells subscribers (the UI among them) that
something happened, without ever importing or calling the UI."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")
log = logging.getLogger(__name__)


class Event(Generic[T]):
    """Listeners are called in subscription order, on the emitting thread; a listener that
    raises is logged and does not stop the others."""

    def __init__(self) -> None:
        self._listeners: list[Callable[[T], None]] = []

    def connect(self, listener: Callable[[T], None]) -> None:
        self._listeners.append(listener)

    def disconnect(self, listener: Callable[[T], None]) -> None:
        self._listeners.remove(listener)

    def emit(self, value: T) -> None:
        for listener in list(self._listeners):
            try:
                listener(value)
            except Exception:  # a broken subscriber must not break the scan pipeline
                log.exception("listener %r failed", listener)
