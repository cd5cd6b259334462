"""The preview's picture of a decoded frame: shrunk to the size it is shown at.

``shrink_to_fit`` runs where the frame was decoded (the camera process), so only a
preview-sized image (~220 KB for 360x202, against 2.7 MB for a 720p frame) ever reaches
the window. ``PreviewFrame`` carries it as plain bytes (the window's process needs
neither NumPy nor OpenCV) with what the window needs to outline the codes: their corner
points are in the pixels of the original frame (``size``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from scanner_app.camera.reads import Read

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class PreviewFrame:
    pixels: bytes  # BGR, 3 bytes a pixel, rows of 3 * width bytes: the frame shrunk for the preview
    width: int
    height: int
    number: int  # frame number from the source
    size: tuple[int, int]  # (width, height) of the decoded frame, which ``reads`` positions refer to
    reads: tuple[Read, ...]
    accepted: Read | None  # the read accepted on this frame, if any


def shrink_to_fit(frame: np.ndarray, fit: tuple[int, int]) -> np.ndarray:
    """``frame`` scaled down to fit ``fit`` (width, height), keeping its aspect ratio; as it
    is when it already fits. Halves by 2x2 averages (OpenCV's fast path for an exact factor
    of 2) while the frame is at least twice the target, then one bilinear step of less than
    2x: 0.6 ms for 1280x720 to 360x202 on one core, against 3-4 ms for one area-averaging
    resize by the odd factor (``benchmarks/camera_ui_stall.py --explain`` found that resize
    under the long UI stalls while the camera ran)."""
    import cv2

    h, w = frame.shape[:2]
    scale = min(fit[0] / w, fit[1] / h)
    if not 0 < scale < 1:
        return frame
    target = (max(1, round(w * scale)), max(1, round(h * scale)))
    while (frame.shape[1] >= 2 * target[0] and frame.shape[0] >= 2 * target[1]
           and frame.shape[0] % 2 == 0 and frame.shape[1] % 2 == 0):
        frame = cv2.resize(frame, (frame.shape[1] // 2, frame.shape[0] // 2), interpolation=cv2.INTER_AREA)
    if (frame.shape[1], frame.shape[0]) != target:
        frame = cv2.resize(frame, target, interpolation=cv2.INTER_LINEAR)
    return frame
