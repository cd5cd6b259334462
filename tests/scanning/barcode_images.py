"""Barcode pictures for the scanning tests, made with zxing-cpp's writer and OpenCV.

``photo`` puts a symbol into a grey, textured scene the size of a camera frame, then
blurs it a little and adds sensor noise, so decoding is tested on something like a webcam
frame rather than on a perfect bitmap. ``write_sliding_video`` writes a real video file in
which a code slides into view, stays, and leaves.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import zxingcpp

F = zxingcpp.BarcodeFormat

# station format name -> (zxing-cpp writer format, content given to the writer, raw expected back)
SAMPLES: dict[str, tuple[zxingcpp.BarcodeFormat, str, str]] = {
    "ean13": (F.EAN13, "4000001100118", "4000001100118"),
    "ean8": (F.EAN8, "96385074", "96385074"),
    "upca": (F.UPCA, "614141100217", "614141100217"),
    "upce": (F.UPCE, "01234565", "012345000065"),  # as its UPC-A expansion
    "code128": (F.Code128, "PKG-BOX-433", "PKG-BOX-433"),
    "code39": (F.Code39, "Z22-1001", "Z22-1001"),
    "itf": (F.ITF, "00012345678905", "00012345678905"),
    "databar": (F.DataBar, "(01)04000001300112", "0104000001300112"),
    "databar_expanded": (F.DataBarExp, "(01)04000001300112(10)SAN-2501", "010400000130011210SAN-2501"),
    "datamatrix": (F.DataMatrix, "SAN-2501 Z22-1001", "SAN-2501 Z22-1001"),
    "qrcode": (F.QRCode, "https://example.com/item/PKG-BOX-433", "https://example.com/item/PKG-BOX-433"),
}

# A GS1 label: GTIN, expiry, batch (variable length, so a separator follows) and serial.
GS1_LABEL = "(01)04000001300112(17)300131(10)SAN-2501(21)Z22-1001"
GS1_RAW = "01040000013001121730013110SAN-2501\x1d21Z22-1001"


def symbol(fmt: zxingcpp.BarcodeFormat, content: str, scale: int = 3, gs1: bool = False) -> np.ndarray:
    """The bare symbol (with its quiet zone) as an 8-bit grey image."""
    options = {"gs1": True} if gs1 else {}
    return np.array(zxingcpp.create_barcode(content, fmt, **options).to_image(scale=scale))


def scene(width: int = 640, height: int = 480, seed: int = 7) -> np.ndarray:
    """A grey frame with shapes and text: edges for a decoder to look at, no barcode."""
    rng = np.random.default_rng(seed)
    frame = np.full((height, width), 150, np.uint8)
    for _ in range(12):
        x, y = int(rng.integers(0, width)), int(rng.integers(0, height))
        cv2.rectangle(frame, (x, y), (x + int(rng.integers(20, 200)), y + int(rng.integers(10, 120))),
                      int(rng.integers(40, 230)), -1)
    for i in range(6):
        cv2.putText(frame, f"SHELF A-0{i} 12 PCS", (int(rng.integers(0, width // 2)), int(rng.integers(20, height))),
                    cv2.FONT_HERSHEY_SIMPLEX, 0.7, 30, 2)
    return frame


def place(frame: np.ndarray, image: np.ndarray, centre: tuple[int, int]) -> np.ndarray:
    """``image`` pasted onto a copy of ``frame`` with its centre at ``centre`` (clipped)."""
    out = frame.copy()
    h, w = image.shape
    x0, y0 = centre[0] - w // 2, centre[1] - h // 2
    fx0, fy0 = max(x0, 0), max(y0, 0)
    fx1, fy1 = min(x0 + w, out.shape[1]), min(y0 + h, out.shape[0])
    if fx1 > fx0 and fy1 > fy0:
        out[fy0:fy1, fx0:fx1] = image[fy0 - y0:fy1 - y0, fx0 - x0:fx1 - x0]
    return out


def camera_look(frame: np.ndarray, seed: int = 3, blur: float = 0.8, noise: float = 6.0,
                jpeg_quality: int | None = None) -> np.ndarray:
    """Lens blur, sensor noise (standard deviation in grey levels) and, optionally, the JPEG
    compression of an MJPG webcam, as a BGR frame."""
    rng = np.random.default_rng(seed)
    soft = cv2.GaussianBlur(frame, (0, 0), blur) if blur else frame
    noisy = np.clip(soft.astype(np.float32) + rng.normal(0, noise, soft.shape), 0, 255).astype(np.uint8)
    if jpeg_quality is not None:
        noisy = cv2.imdecode(cv2.imencode(".jpg", noisy, [cv2.IMWRITE_JPEG_QUALITY, jpeg_quality])[1], cv2.IMREAD_GRAYSCALE)
    return cv2.cvtColor(noisy, cv2.COLOR_GRAY2BGR)


def photo(image: np.ndarray, size: tuple[int, int] = (640, 480), centre: tuple[int, int] | None = None,
          zoom: float = 1.0) -> np.ndarray:
    """A camera-like BGR frame with ``image`` (a symbol) in it."""
    if zoom != 1.0:
        image = cv2.resize(image, None, fx=zoom, fy=zoom, interpolation=cv2.INTER_AREA)
    width, height = size
    return camera_look(place(scene(width, height), image, centre or (width // 2, height // 2)))


def write_sliding_video(path: Path, image: np.ndarray, *, frames: int = 40, fps: int = 30, step: int = 40,
                        size: tuple[int, int] = (640, 480), rest_at: int | None = None) -> int:
    """A video in which ``image`` slides in from the left by ``step`` pixels a frame, until
    its centre reaches ``rest_at`` (default: the frame's centre), and stays there.
    Returns the number of the first frame in which the whole symbol is in view."""
    width, height = size
    stop_x = rest_at if rest_at is not None else width // 2
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), fps, size)
    background = scene(width, height)
    half = image.shape[1] // 2
    first_full = -1
    for n in range(frames):
        x = min(-half + n * step, stop_x)
        if first_full < 0 and x - half >= 0:
            first_full = n
        writer.write(camera_look(place(background, image, (x, height // 2)), seed=n))
    writer.release()
    return first_full


def write_two_codes_video(path: Path, frames: int) -> Path:
    """An MJPG video of ``frames`` identical 640x480 frames: an EAN-13 (4000001100118) in
    the centre and an EAN-8 (96385074) off it, for a person's pick of the off-centre code."""
    import cv2

    frame = camera_look(place(place(scene(), symbol(F.EAN13, "4000001100118", scale=2), (320, 240)),
                              symbol(F.EAN8, "96385074", scale=2), (110, 80)))
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter.fourcc(*"MJPG"), 30, (640, 480))
    for _ in range(frames):
        writer.write(frame)
    writer.release()
    return path
