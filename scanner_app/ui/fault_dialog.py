"""The window's error boundary: a failure the window did not handle is shown in a dialog, in
words (:func:`scanner_app.faults.explain`: what happened, what to do) with the log file's
path, instead of a traceback on a terminal nobody reads or a window that vanishes.

- At start (:func:`show_fault_now`): a modal dialog; the caller then exits with code 3.
- While the window runs (:class:`FaultReporter`): ``sys.excepthook`` (exceptions escaping a
  Qt slot or event handler on the UI thread) and ``threading.excepthook`` (a worker thread
  that died) are routed to one dialog on the UI thread, which is opened without blocking
  the event loop. The window stays open: what was saved stays saved, and the person
  decides whether to carry on or close. One dialog at a time; later faults go to the log.

With ``--debug`` the dialog's details hold the traceback. The traceback always goes to the
log file.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from scanner_app.faults import explain
from scanner_app.logging_setup import log_file_in_use, logging_ready

log = logging.getLogger(__name__)

TITLE = "Scanner station: a problem"


def fault_box(exc: BaseException, data_dir: Path | None, *, debug: bool, parent: QWidget | None = None) -> QMessageBox:
    """The dialog for ``exc`` (not shown yet); logs the traceback to the file."""
    log_file = log_file_in_use()
    words, environmental = explain(exc, data_dir, log_file)
    if logging_ready():
        log.error("%s", words, exc_info=exc, extra={"stderr": False})
    print(f"scanner-app: {words}", file=sys.stderr)
    box = QMessageBox(parent)
    box.setObjectName("fault_dialog")
    box.setIcon(QMessageBox.Icon.Critical if environmental else QMessageBox.Icon.Warning)
    box.setWindowTitle(TITLE)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(words)
    box.setInformativeText(f"The log file: {log_file}" if log_file is not None else "No log file is being written.")
    if debug:
        box.setDetailedText("".join(traceback.format_exception(exc)))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    return box


def show_fault_now(exc: BaseException, data_dir: Path | None, *, debug: bool) -> None:
    """A modal dialog for a fault at start (the window is not there yet)."""
    fault_box(exc, data_dir, debug=debug).exec()


class FaultReporter(QObject):
    """Routes unhandled exceptions of the running window to one dialog on the UI thread."""

    _raised = Signal(object)  # the exception, from any thread (queued to the UI thread)

    def __init__(self, parent: QWidget, data_dir: Path, *, debug: bool) -> None:
        super().__init__(parent)
        self._window = parent
        self._data_dir = data_dir
        self._debug = debug
        self._open: QMessageBox | None = None
        self._previous_hook = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        self._raised.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def install(self) -> None:
        sys.excepthook = self._on_exception
        threading.excepthook = self._on_thread_exception

    def uninstall(self) -> None:
        sys.excepthook = self._previous_hook
        threading.excepthook = self._previous_thread_hook

    def report(self, exc: BaseException) -> None:
        """Show ``exc`` (from any thread)."""
        self._raised.emit(exc)

    def _on_exception(self, kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            self._previous_hook(kind, exc, tb)
            return
        self.report(exc.with_traceback(tb))

    def _on_thread_exception(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or isinstance(args.exc_value, SystemExit):
            return
        self.report(args.exc_value)

    @property
    def dialog(self) -> QMessageBox | None:
        """The dialog on screen, if any."""
        return self._open

    def _show(self, exc: BaseException) -> None:
        if self._open is not None and self._open.isVisible():
            log.error("a further problem while the dialog is open", exc_info=exc, extra={"stderr": False})
            return
        self._open = fault_box(exc, self._data_dir, debug=self._debug, parent=self._window)
        self._open.open()  # window-modal, without a nested event loop
