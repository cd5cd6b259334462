"""Starting the station window: one per home folder, the QApplication, the core, the main
window; a clean close on SIGTERM/SIGINT (logout, service stop, Ctrl+C in a terminal)."""

from __future__ import annotations

import logging
import signal
import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget

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


def run_station_window(paths: StationPaths, argv: list[str] | None = None) -> int:
    """Open the station window for ``paths``, or bring the one already open to the front.
    Returns the process exit code."""
    from scanner_app.config import ConfigError
    from scanner_app.station import Station
    from scanner_app.ui.single_instance import SingleInstanceServer, ask_running_window_to_raise

    app = _application(argv)
    home = paths.config_dir
    if ask_running_window_to_raise(home):
        print(f"scanner-app: a station window for {home} is already open; brought it to the front", file=sys.stderr)
        return 0
    server = SingleInstanceServer(home)
    server.listen()
    try:
        station = Station(paths)
    except ConfigError as exc:
        print(f"scanner-app: {exc}", file=sys.stderr)
        return 3
    from scanner_app.ui.main_window import MainWindow  # after QApplication exists

    try:
        window = MainWindow(station)
        server.raise_requested.connect(lambda: _bring_to_front(window))
        _close_on_signals(window)
        window.show()
        log.info("station window shown for %s", home)
        return int(app.exec())
    finally:
        server.close()
        station.close()


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
