"""Starting the station window: one per home folder, the QApplication, the core, the main
window; a clean close on SIGTERM/SIGINT (logout, service stop, Ctrl+C in a terminal).

The window's error boundary (:mod:`scanner_app.ui.fault_dialog`): a fault at start (a
damaged, newer or held database, an unreadable config.toml, a denied folder) is a dialog
in words, then exit code 3; while the window runs, an unhandled exception is a dialog and
the window stays open. A wait for a database another program holds is said in the status
bar (and on stderr)."""

from __future__ import annotations

import logging
import signal
import sys

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from scanner_app.paths import StationPaths
from scanner_app.resources import resource_path

log = logging.getLogger(__name__)

DESKTOP_ID = "io.scanner_app.Station"


def _application(argv: list[str] | None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("scanner-app")
    app.setApplicationDisplayName("Scanner station")
    app.setDesktopFileName(DESKTOP_ID)
    app.setWindowIcon(QIcon(str(resource_path("icons", "scanner-app.svg"))))
    return app


def run_station_window(paths: StationPaths, argv: list[str] | None = None, *, debug: bool = False) -> int:
    """Open the station window for ``paths``, or bring the one already open to the front.
    Returns the process exit code (3: the station could not start, said in a dialog)."""
    from scanner_app.database_files import set_wait_notice
    from scanner_app.logging_setup import file_level_from, set_file_level
    from scanner_app.station import Station
    from scanner_app.ui.fault_dialog import FaultReporter, show_fault_now
    from scanner_app.ui.single_instance import (
        SingleInstanceServer,
        ask_running_window_to_raise,
    )

    app = _application(argv)
    home = paths.config_dir
    if ask_running_window_to_raise(home):
        print(f"scanner-app: a station window for {home} is already open; brought it to the front", file=sys.stderr)
        return 0
    server = SingleInstanceServer(home)
    server.listen()
    try:
        station = Station(paths)
    except Exception as exc:  # noqa: BLE001 (the window's boundary at start)
        server.close()
        show_fault_now(exc, paths.data_dir, debug=debug)
        return 3
    if not debug:
        set_file_level(file_level_from(configured=station.settings.logging.level))
    from scanner_app.ui.main_window import MainWindow  # after QApplication exists

    reporter: FaultReporter | None = None
    try:
        try:
            window = MainWindow(station)
        except Exception as exc:  # noqa: BLE001 (the window's boundary at start)
            show_fault_now(exc, paths.data_dir, debug=debug)
            return 3
        reporter = FaultReporter(window, paths.data_dir, debug=debug)
        reporter.install()
        waits = _WaitsInStatusBar(window)
        set_wait_notice(waits.notice)
        server.raise_requested.connect(lambda: _bring_to_front(window))
        _close_on_signals(window)
        window.show()
        log.info("station window shown for %s", home)
        return int(app.exec())
    finally:
        set_wait_notice(None)
        if reporter is not None:
            reporter.uninstall()
        server.close()
        station.close()


class _WaitsInStatusBar(QObject):
    """"waiting for FILE, held by another program ..." in the window's status bar (from
    whichever thread waits) and on stderr."""

    _said = Signal(str)

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._said.connect(lambda words: window.statusBar().showMessage(words, 15_000),
                           Qt.ConnectionType.QueuedConnection)

    def notice(self, words: str) -> None:
        print(f"scanner-app: {words}", file=sys.stderr, flush=True)
        self._said.emit(words)


def _bring_to_front(window: QWidget) -> None:
    window.showNormal()
    window.raise_()
    window.activateWindow()


def _close_on_signals(window: object) -> None:
    def request_close(signum: int, _frame: object) -> None:
        log.info("signal %d: closing the station window", signum)
        QTimer.singleShot(0, window.close)  # type: ignore[attr-defined]

    signal.signal(signal.SIGTERM, request_close)
    signal.signal(signal.SIGINT, request_close)
    # Python handles signals only when the interpreter runs: a timer wakes it regularly.
    waker = QTimer(window)  # type: ignore[arg-type]
    waker.timeout.connect(lambda: None)
    waker.start(250)
