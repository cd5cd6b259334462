"""The task manager: a callback whose result came in before ``shutdown()`` but was not
delivered yet is not delivered after it (the window and what it would touch are gone)."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt

from scanner_app.ui.tasks import TaskManager


def test_a_callback_queued_before_shutdown_is_not_delivered_after_it(qtbot: Any) -> None:
    tasks = TaskManager()
    emitted = threading.Event()
    tasks._finished.connect(lambda *_: emitted.set(), Qt.ConnectionType.DirectConnection)
    called: list[Any] = []
    gate = threading.Event()  # the task ends after run_db returned: its result comes from the worker
    tasks.run_db(lambda: gate.wait(30), on_done=lambda result, error: called.append(result))
    gate.set()
    assert emitted.wait(30)  # the result is on its way to the UI thread, queued
    tasks.shutdown()
    QCoreApplication.processEvents()
    assert called == []


def test_a_callback_is_delivered_on_the_ui_thread_while_running(qtbot: Any) -> None:
    tasks = TaskManager()
    called: list[tuple[Any, Any]] = []
    tasks.run_db(lambda: 41 + 1, on_done=lambda result, error: called.append((result, threading.current_thread())))
    qtbot.waitUntil(lambda: bool(called), timeout=30_000)
    assert called == [(42, threading.main_thread())]
    tasks.shutdown()
