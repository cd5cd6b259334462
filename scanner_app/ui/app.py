"""Starting the station window: the QApplication, the core, the main window."""

from __future__ import annotations

import sys

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from scanner_app.resources import resource_path
from scanner_app.station import Station


def run_window(station: Station, argv: list[str] | None = None) -> int:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("scanner-app")
    app.setApplicationDisplayName("Scanner station")
    app.setDesktopFileName("scanner-app")
    app.setWindowIcon(QIcon(str(resource_path("icons", "scanner-app.svg"))))
    from scanner_app.ui.main_window import MainWindow  # after QApplication exists

    window = MainWindow(station)
    window.show()
    code = app.exec()
    return int(code)
