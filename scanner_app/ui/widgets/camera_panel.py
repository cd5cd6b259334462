"""The camera as a scanner in the window: a preview, an on/off button, its status.

Wraps the Qt-free ``camera/camera_process.CameraProcess``: capture and decoding run in
a child process (so the camera neither takes the UI thread's CPU share nor its GIL; the
measurements are in that module), which shrinks each decoded frame to the preview's size
(told by ``set_preview_size``). Its events arrive on the ``camera-events`` thread; they
are re-emitted here through Qt signals, which Qt queues to the UI thread. The preview
image is converted to a QImage on that thread (``frame_decoded``), left in a one-slot
mailbox, and picked up by a ~30 Hz timer on the UI thread: a fast camera never floods the
event loop, and the UI thread never decodes, converts a full frame, or waits for one.
A ``scanner_factory`` may give an in-process ``camera/camera.CameraScanner`` instead
(its full frames are shrunk on its decode thread).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from scanner_app.camera.preview import PreviewFrame
from scanner_app.camera.reads import Read
from scanner_app.codes.display import visible
from scanner_app.config import CameraSettings
from scanner_app.ui.widgets.camera_preview import CameraPreview, OutlinedCode, bgr_to_qimage, preview_qimage
from scanner_app.ui.widgets.plain_text import PlainLabel

if TYPE_CHECKING:  # the camera machinery (OpenCV, NumPy) loads when the camera starts
    from scanner_app.camera.camera import CameraScanner
    from scanner_app.camera.camera_process import CameraProcess
    from scanner_app.camera.capture import CameraStatus
    from scanner_app.camera.frame_reader import DecodedFrame

    Camera = CameraProcess | CameraScanner

log = logging.getLogger(__name__)

PREVIEW_INTERVAL_MS = 33


def scan_text(read: Read) -> str:
    """What the pipeline receives for a camera read: the AIM identifier (so GS1 content is
    known as GS1 even without a leading separator) followed by the raw payload, as a wedge
    scanner with AIM identifiers switched on would type it."""
    return (read.symbology_identifier or "") + read.raw


class _CameraSignals(QObject):
    accepted = Signal(object)  # Read
    status = Signal(object)  # CameraStatus
    stopped = Signal(object)  # the camera (process or threads) that ended


class CameraPanel(QWidget):
    scanned = Signal(str)  # an accepted code, ready for the scan pipeline

    def __init__(self, settings: CameraSettings,
                 scanner_factory: Callable[[CameraSettings], Camera] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self._factory = scanner_factory
        self.scanner: Camera | None = None
        self._signals = _CameraSignals(self)
        self._signals.accepted.connect(self._on_accepted)
        self._signals.status.connect(self._on_status)
        self._signals.stopped.connect(self._on_stopped)
        self._recent: dict[str, float] = {}  # raw -> when accepted, to draw it green
        self._shown_frame = -1
        self._preview_size = (360, 240)  # read by the decode thread; replaced whole, never mutated
        self._mailbox_lock = threading.Lock()
        self._mailbox: tuple[int, QImage | PreviewFrame, tuple[int, int], list[OutlinedCode]] | None = None

        self.preview = CameraPreview()
        self.preview.code_clicked.connect(self._on_code_clicked)
        self.toggle = QPushButton("Start camera")
        self.toggle.setCheckable(True)
        self.toggle.toggled.connect(self._on_toggled)
        self.status_label = PlainLabel("")
        self.status_label.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.toggle)
        row.addWidget(self.status_label, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.preview, 1)
        self.preview.setVisible(False)
        self._timer = QTimer(self)
        self._timer.setInterval(PREVIEW_INTERVAL_MS)
        self._timer.timeout.connect(self._refresh_preview)

    @property
    def running(self) -> bool:
        return self.scanner is not None and self.scanner.running

    def start(self) -> None:
        if self.scanner is not None:
            return
        if self._factory is None:
            from scanner_app.camera.camera_process import CameraProcess

            self._factory = CameraProcess
        scanner = self._factory(self.settings)
        self._tell_preview_size(scanner)
        scanner.read_accepted.connect(self._signals.accepted.emit)
        scanner.frame_decoded.connect(self._prepare_preview)
        scanner.status.connect(self._signals.status.emit)

        def tell_stopped(_: None, source: Camera = scanner) -> None:
            self._signals.stopped.emit(source)

        scanner.stopped.connect(tell_stopped)
        self.scanner = scanner
        self._shown_frame = -1
        self.preview.setVisible(True)
        self.preview.clear(f"Opening camera {self.settings.source}…")
        self.status_label.setText(f"Opening {self.settings.source}…")
        scanner.start()
        self._timer.start()
        if not self.toggle.isChecked():
            self.toggle.blockSignals(True)
            self.toggle.setChecked(True)
            self.toggle.blockSignals(False)
        self.toggle.setText("Stop camera")

    def stop(self) -> None:
        """Stop capture and decoding and wait for both threads (they check a flag per frame)."""
        scanner, self.scanner = self.scanner, None
        self._timer.stop()
        if scanner is not None and not scanner.stop():
            log.warning("camera threads did not stop within the timeout")
        self.preview.clear("Camera off")
        self.preview.setVisible(False)
        self.toggle.blockSignals(True)
        self.toggle.setChecked(False)
        self.toggle.blockSignals(False)
        self.toggle.setText("Start camera")

    def _on_toggled(self, on: bool) -> None:
        if on:
            self.start()
        else:
            self.stop()
            self.status_label.setText("Camera off")

    def _on_accepted(self, read: Read) -> None:
        if self.scanner is None:
            return  # accepted just before stop(): the person turned the camera off
        self._recent[read.raw] = time.monotonic()
        self.scanned.emit(scan_text(read))

    def _on_status(self, status: CameraStatus) -> None:
        self.status_label.setText(status.message)
        if status.kind != "opened":
            self.preview.set_message(status.message)
        else:
            self.preview.set_message("")

    def _on_stopped(self, source: Camera) -> None:
        # The decode loop ended (a video file ran out): its thread may still be returning
        # from the emit, so join both threads through stop() rather than test `running`.
        # A late signal from a camera already stopped and restarted is ignored.
        if self.scanner is source:
            self.stop()

    def _on_code_clicked(self, raw: str) -> None:
        if self.scanner is not None:
            self.scanner.choose(raw)  # read_accepted follows (at once, for in-process threads)

    def _prepare_preview(self, decoded: DecodedFrame | PreviewFrame) -> None:
        """On the camera's thread: shrink (unless the camera process did) and convert the
        frame for the preview."""
        cutoff = time.monotonic() - max(self.settings.hold_off_seconds, 1.0)
        recent = {raw for raw, t in list(self._recent.items()) if t >= cutoff}
        outlines = [
            OutlinedCode(text=visible(r.raw, 40), raw=r.raw,
                         corners=tuple((float(x), float(y)) for x, y in r.position),
                         accepted=r.raw in recent or r is decoded.accepted)
            for r in decoded.reads
        ]
        # A PreviewFrame (already shrunk) becomes a QImage on the UI thread, and only if painted.
        image = decoded if isinstance(decoded, PreviewFrame) else bgr_to_qimage(decoded.frame, self._preview_size)
        with self._mailbox_lock:
            self._mailbox = (decoded.number, image, decoded.size, outlines)

    def _tell_preview_size(self, scanner: Camera) -> None:
        self._preview_size = (max(1, self.preview.width()), max(1, self.preview.height()))
        if hasattr(scanner, "set_preview_size"):
            scanner.set_preview_size(self._preview_size)

    def _refresh_preview(self) -> None:
        if self.scanner is not None:
            self._tell_preview_size(self.scanner)
        with self._mailbox_lock:
            item, self._mailbox = self._mailbox, None
        if item is None or item[0] == self._shown_frame:
            return
        self._shown_frame = item[0]
        image = preview_qimage(item[1]) if isinstance(item[1], PreviewFrame) else item[1]
        self.preview.set_image(image, item[2], item[3])
