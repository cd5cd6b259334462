"""One station window per home folder.

Two windows on the same databases would each think they own the scanner and the writer
thread. The first window listens on a local socket named after its home folder; a second
start connects to it, asks it to come to the front, and exits. A socket left behind by a
crashed window is removed when nobody answers on it.
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

log = logging.getLogger(__name__)

RAISE_REQUEST = b"raise\n"
CONNECT_TIMEOUT_MS = 500


def server_name(home: Path) -> str:
    digest = hashlib.sha256(str(home.resolve()).encode()).hexdigest()[:16]
    return f"scanner-app-{digest}"


def ask_running_window_to_raise(home: Path) -> bool:
    """True when a window for ``home`` is running (it was asked to come to the front)."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(home))
    if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
        return False
    socket.write(RAISE_REQUEST)
    socket.flush()
    socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
    socket.disconnectFromServer()
    return True


class SingleInstanceServer(QObject):
    raise_requested = Signal()

    def __init__(self, home: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(home)
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.newConnection.connect(self._on_connection)

    def listen(self) -> bool:
        if self._server.listen(self.name):
            return True
        QLocalServer.removeServer(self.name)  # left behind by a window that crashed
        ok = self._server.listen(self.name)
        if not ok:
            log.warning("single-instance socket %s unavailable: %s", self.name, self._server.errorString())
        return ok

    def _on_connection(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            socket.readyRead.connect(lambda s=socket: self._on_ready(s))
            socket.disconnected.connect(socket.deleteLater)

    def _on_ready(self, socket: QLocalSocket) -> None:
        if bytes(socket.readAll().data()).startswith(RAISE_REQUEST.strip()):
            log.info("another start for this home folder: bringing the window to the front")
            self.raise_requested.emit()

    def close(self) -> None:
        self._server.close()
