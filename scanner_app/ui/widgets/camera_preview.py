"""Live camera preview with the codes found in the frame outlined.

The newest frame (a BGR numpy array from OpenCV) is shown scaled to fit, keeping its
aspect ratio; each read's corner points are drawn as an outline with its text. When
several codes are in view, clicking one picks it (``code_clicked``). Only the latest
frame is kept; painting never waits for the decoder.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QImage, QMouseEvent, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

if TYPE_CHECKING:  # OpenCV and NumPy load when the camera first shows a frame, not at start-up
    import numpy as np

    from scanner_app.camera.preview import PreviewFrame


@dataclass(frozen=True)
class OutlinedCode:
    text: str  # what to label the outline with (display-safe)
    raw: str  # the payload, handed back when clicked
    corners: tuple[tuple[float, float], ...]  # in frame pixels
    accepted: bool = False  # drawn in green once the debouncer accepted it


def bgr_to_qimage(frame: np.ndarray, fit: tuple[int, int] | None = None) -> QImage:
    """A QImage that owns a copy of ``frame`` (BGR or grey, uint8), first shrunk with
    ``camera/preview.shrink_to_fit`` (OpenCV, which releases the GIL) if ``fit`` (width,
    height) is given: converting and painting a full 720p frame on the UI thread cost ~7 ms
    a frame, a preview-sized one well under 1 ms."""
    import numpy as np

    from scanner_app.camera.preview import shrink_to_fit

    if fit is not None:
        frame = shrink_to_fit(frame, fit)
    frame = np.ascontiguousarray(frame)
    if frame.ndim == 2:
        h, w = frame.shape
        return QImage(frame.data, w, h, w, QImage.Format.Format_Grayscale8).copy()
    h, w, _ = frame.shape
    return QImage(frame.data, w, h, 3 * w, QImage.Format.Format_BGR888).copy()


def preview_qimage(frame: PreviewFrame) -> QImage:
    """A QImage owning a copy of a camera process's preview picture (~0.03 ms for 360x202)."""
    return QImage(frame.pixels, frame.width, frame.height, 3 * frame.width, QImage.Format.Format_BGR888).copy()


class CameraPreview(QWidget):
    code_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumSize(360, 240)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._image: QImage | None = None
        self._frame_size = (1, 1)  # of the frame the outlines' points refer to
        self._codes: list[OutlinedCode] = []
        self.message = "Camera off"
        self.frames_shown = 0

    def set_frame(self, frame: np.ndarray, codes: list[OutlinedCode]) -> None:
        self.set_image(bgr_to_qimage(frame, (self.width(), self.height())), (frame.shape[1], frame.shape[0]), codes)

    def set_image(self, image: QImage, frame_size: tuple[int, int], codes: list[OutlinedCode]) -> None:
        """Show an image already made from a frame of ``frame_size`` (e.g. shrunk on a worker
        thread with :func:`bgr_to_qimage`); outline points are in the frame's pixels."""
        self._frame_size = frame_size
        self._image = image
        self._codes = list(codes)
        self.frames_shown += 1
        self.update()

    def set_message(self, text: str) -> None:
        self.message = text
        self.update()

    def clear(self, message: str = "Camera off") -> None:
        self._image = None
        self._codes = []
        self.set_message(message)

    def _target_rect(self) -> QRectF:
        if self._image is None:
            return QRectF()
        iw, ih = self._frame_size
        scale = min(self.width() / iw, self.height() / ih)
        w, h = iw * scale, ih * scale
        return QRectF((self.width() - w) / 2, (self.height() - h) / 2, w, h)

    def _to_widget(self, point: tuple[float, float]) -> QPointF:
        assert self._image is not None
        rect = self._target_rect()
        sx = rect.width() / self._frame_size[0]
        return QPointF(rect.x() + point[0] * sx, rect.y() + point[1] * sx)

    def code_at(self, x: float, y: float) -> OutlinedCode | None:
        """The outlined code under widget point (x, y), if any."""
        for code in self._codes:
            polygon = QPolygonF([self._to_widget(p) for p in code.corners])
            if polygon.containsPoint(QPointF(x, y), Qt.FillRule.OddEvenFill):
                return code
        return None

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 (Qt API)
        if self._image is not None:
            code = self.code_at(event.position().x(), event.position().y())
            if code is not None:
                self.code_clicked.emit(code.raw)
                return
        super().mousePressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt API)
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#111111"))
        if self._image is None:
            painter.setPen(QColor("#dddddd"))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.message)
            return
        painter.drawImage(self._target_rect(), self._image)
        for code in self._codes:
            colour = QColor("#2ecc40") if code.accepted else QColor("#ffdc00")
            painter.setPen(QPen(colour, 3))
            polygon = QPolygonF([self._to_widget(p) for p in code.corners])
            painter.drawPolygon(polygon)
            painter.drawText(polygon.boundingRect().bottomLeft() + QPointF(0, 16), code.text[:40])
        if self.message:
            painter.setPen(QColor("#ffffff"))
            painter.drawText(self.rect().adjusted(8, 8, -8, -8), Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft,
                             self.message)
