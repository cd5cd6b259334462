"""A scanner on a serial port (USB CDC / COM), through Qt's QSerialPort.

Bytes are cut into scans by the Qt-free ``scanning/serial_framing.SerialFrameDecoder``.
When the port disappears (scanner unplugged, USB hub reset) the adapter says so, closes
it, and tries again every ``reconnect_seconds`` until it is back; a port that cannot be
opened at start is retried the same way. Nothing here blocks the UI thread: QSerialPort
reads on readyRead and opening a tty does not wait.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QIODevice, QObject, QTimer, Signal
from PySide6.QtSerialPort import QSerialPort

from scanner_app.config import SerialScannerSettings
from scanner_app.scanning.serial_framing import SerialFrameDecoder

log = logging.getLogger(__name__)


class SerialScannerPort(QObject):
    scanned = Signal(str)
    status = Signal(str)  # a sentence for the status bar
    connected_changed = Signal(bool)

    def __init__(self, settings: SerialScannerSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.framer = SerialFrameDecoder(settings.terminator)
        self.port = QSerialPort(self)
        self.port.setPortName(settings.port)
        self.port.setBaudRate(settings.baud_rate)
        self.port.readyRead.connect(self._on_ready_read)
        self.port.errorOccurred.connect(self._on_error)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.timeout.connect(self.open)
        self._announced_failure = False
        self.is_connected = False

    def open(self) -> bool:
        if self.port.isOpen():
            return True
        if self.port.open(QIODevice.OpenModeFlag.ReadOnly):
            self.framer.reset()
            self._set_connected(True)
            self._announced_failure = False
            self.status.emit(f"Serial scanner connected on {self.settings.port}")
            return True
        reason = self.port.errorString()
        self.port.clearError()
        if not self._announced_failure:
            self.status.emit(f"Serial scanner on {self.settings.port} not available ({reason}); retrying every "
                             f"{self.settings.reconnect_seconds:g} s")
            self._announced_failure = True
        self._schedule_retry()
        return False

    def close(self) -> None:
        self._retry.stop()
        if self.port.isOpen():
            self.port.close()
        self._set_connected(False)

    def _schedule_retry(self) -> None:
        self._retry.start(int(self.settings.reconnect_seconds * 1000))

    def _set_connected(self, value: bool) -> None:
        if value != self.is_connected:
            self.is_connected = value
            self.connected_changed.emit(value)

    def _on_ready_read(self) -> None:
        result = self.framer.feed(bytes(self.port.readAll().data()))
        if result.dropped:
            self.status.emit(f"Serial scanner sent {result.dropped} bytes with no end-of-code: check its baud rate "
                             f"({self.settings.baud_rate}) and terminator ({self.settings.terminator})")
        for code in result.codes:
            self.scanned.emit(code)

    def _on_error(self, error: QSerialPort.SerialPortError) -> None:
        if error in (QSerialPort.SerialPortError.NoError, QSerialPort.SerialPortError.TimeoutError):
            return
        if error == QSerialPort.SerialPortError.ResourceError and self.port.isOpen():
            log.warning("serial scanner on %s lost: %s", self.settings.port, self.port.errorString())
            self.port.clearError()
            self.port.close()
            self._set_connected(False)
            self.status.emit(f"Serial scanner on {self.settings.port} disconnected; reconnecting…")
            self._announced_failure = True
            self._schedule_retry()
