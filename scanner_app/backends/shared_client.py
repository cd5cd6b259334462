"""One client per backend per process, made when first needed: :class:`SharedClient`.

Every thread of a process shares one client (its connection pool; without a home folder,
also its request budget and, for Zoho, its token and cap on token refreshes; with one,
those are the station's, shared across processes: see ``backends/connect.py``). The
holder makes it on the first :meth:`get` (the factory may raise
:class:`~scanner_app.backends.errors.NotConnected`) and makes a new one only after
:meth:`reset` (settings or secrets changed).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Generic, Protocol, TypeVar


class Closeable(Protocol):
    def close(self) -> None: ...


C = TypeVar("C", bound=Closeable)
S = TypeVar("S")


class SharedClient(Generic[S, C]):
    """The process's one client made by ``factory(settings())``. Thread-safe."""

    def __init__(self, settings: Callable[[], S], factory: Callable[[S], C]) -> None:
        self._settings = settings
        self._factory = factory
        self._client: C | None = None
        self._lock = threading.Lock()

    def get(self) -> C:
        """The client, made on first use (whatever the factory raises is raised here)."""
        with self._lock:
            if self._client is None:
                self._client = self._factory(self._settings())
            return self._client

    def reset(self) -> None:
        """Settings or secrets changed: the next :meth:`get` makes a new client. Calls in
        flight on the old one fail (it is closed)."""
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            client.close()

    close = reset
