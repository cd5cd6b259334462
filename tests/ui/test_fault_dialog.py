"""The window's error boundary: a fault at start is a dialog in words (then exit code 3), and
an unhandled exception while the window runs is a dialog while the window stays open --
never a vanished window."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from scanner_app.faults import DiskFull
from scanner_app.logging_setup import configure_logging
from scanner_app.paths import resolve_paths
from scanner_app.ui.app import run_station_window
from scanner_app.ui.fault_dialog import FaultReporter


def _answer_the_dialog(seen: list[tuple[str, str]]) -> None:
    """Read the modal dialog's words, then close it (polls until it is there)."""
    box = QApplication.activeModalWidget()
    if isinstance(box, QMessageBox):
        seen.append((box.text(), box.informativeText()))
        box.accept()
        return
    QTimer.singleShot(50, lambda: _answer_the_dialog(seen))


@pytest.fixture
def station_logging() -> Iterator[None]:
    """The station's log handlers for one test, removed after it."""
    root = logging.getLogger()
    before = list(root.handlers)
    yield
    for handler in [h for h in root.handlers if h not in before]:
        root.removeHandler(handler)
        handler.close()


def test_a_damaged_database_at_start_is_a_dialog_then_exit_3(qtbot, tmp_path: Path, station_logging) -> None:  # type: ignore[no-untyped-def]
    paths = resolve_paths(tmp_path / "home").ensure()
    configure_logging(paths)
    paths.inventory_db.write_bytes(b"this is no database" * 300)
    seen: list[tuple[str, str]] = []
    QTimer.singleShot(0, lambda: _answer_the_dialog(seen))
    assert run_station_window(paths) == 3
    assert seen == [(
        (f"{paths.inventory_db} is damaged (SQLite: file is not a database); nothing was written to it. What to do: "
        f"close every scanner-app, move the file aside (e.g. rename it to inventory.sqlite3.damaged) and restore "
        f"it from a backup; without one, scanner-app starts a new file there (the demo catalogue, or a Zoho sync)"),
        f"The log file: {paths.log_file}")]


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_the_running_window_is_a_dialog_and_the_window_stays(qtbot, window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    reporter = FaultReporter(window, tmp_path, debug=False)
    reporter.install()
    try:
        def fails() -> None:
            raise DiskFull(tmp_path)

        QTimer.singleShot(0, fails)  # an exception escaping a slot on the UI thread
        qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible(), timeout=30_000)
        assert reporter.dialog is not None
        assert reporter.dialog.text().startswith(f"the disk holding {tmp_path} is full (")
        assert window.isVisible()
        reporter.dialog.accept()

        worker = threading.Thread(target=lambda: (_ for _ in ()).throw(KeyError("lost")), name="dies")
        worker.start()
        worker.join(timeout=30)
        qtbot.waitUntil(lambda: reporter.dialog is not None and reporter.dialog.isVisible(), timeout=30_000)
        assert reporter.dialog.text().startswith("stopped on an unexpected error (KeyError: 'lost'); this is a bug")
        assert window.isVisible()
        reporter.dialog.accept()
    finally:
        reporter.uninstall()
