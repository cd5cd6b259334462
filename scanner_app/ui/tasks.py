"""One way to run background work, after Anki's taskman.

- ``run_db``: a single worker thread for everything that writes a database, so writes
  are serialised and never contend;
- ``run_net``: a small pool for network calls;
- results and errors come back on the UI thread through a Qt signal, to the ``on_done``
  callback as ``(result, error)``. Never touch widgets inside the background function.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal

log = logging.getLogger(__name__)

DoneCallback = Callable[[Any, BaseException | None], None]


class TaskManager(QObject):
    _finished = Signal(object, object, object)  # callback, result, error

    def __init__(self, parent: QObject | None = None, network_workers: int = 4) -> None:
        super().__init__(parent)
        self._db = ThreadPoolExecutor(max_workers=1, thread_name_prefix="db-writer")
        self._net = ThreadPoolExecutor(max_workers=network_workers, thread_name_prefix="network")
        self._finished.connect(self._deliver)
        self._closed = False

    def run_db(self, fn: Callable[..., Any], *args: Any, on_done: DoneCallback | None = None) -> Future[Any]:
        return self._submit(self._db, fn, args, on_done)

    def run_net(self, fn: Callable[..., Any], *args: Any, on_done: DoneCallback | None = None) -> Future[Any]:
        return self._submit(self._net, fn, args, on_done)

    def _submit(self, pool: ThreadPoolExecutor, fn: Callable[..., Any], args: tuple[Any, ...],
                on_done: DoneCallback | None) -> Future[Any]:
        if self._closed:
            raise RuntimeError("task manager is shut down")
        future = pool.submit(fn, *args)

        def done(f: Future[Any]) -> None:
            if f.cancelled():  # still queued when shutdown() cancelled it: nothing ran
                return
            error = f.exception()
            if error is not None and on_done is None:
                log.error("background task %s failed", getattr(fn, "__qualname__", fn), exc_info=error)
            if on_done is not None and not self._closed:
                self._finished.emit(on_done, None if error else f.result(), error)

        future.add_done_callback(done)
        return future

    def _deliver(self, callback: DoneCallback, result: Any, error: BaseException | None) -> None:
        if self._closed:  # emitted before shutdown(), delivered after: the window is gone
            return
        try:
            callback(result, error)
        except Exception:
            log.exception("task callback failed")

    def shutdown(self) -> None:
        """Finish queued database writes (they are what the screen showed as saved), then
        stop both pools. Callbacks are no longer delivered."""
        self._closed = True
        self._db.shutdown(wait=True)
        self._net.shutdown(wait=True, cancel_futures=True)
