"""Time to first read: frames from the moment a code is wholly in view to its acceptance.

Videos are written here with ``cv2.VideoWriter`` (MJPG, 30 fps, 1280x720, camera-like
noise): a code slides in from the left, 40 px a frame, and stops at the centre. Each is
decoded three ways, the file paced at 30 fps as a camera would deliver it in the two live
ones (the decode thread takes the newest frame, so it may skip some):

- every frame: each frame through ``FrameReader`` (what ``scanner-app decode`` does);
- camera process: ``CameraProcess``, the window's path (``CameraPanel``'s default): the
  capture and decode threads in a child process at nice +5, each frame also shrunk there
  for the preview (360x240) and sent down the pipe;
- threads in-process: ``CameraScanner``'s two threads in this process, as the window ran
  them before; what the child process costs in frames is the difference.

Acceptance includes the debouncer: EAN/UPC on the first valid read, other symbologies on
the second. The accepting frame's number comes with its ``frame_decoded`` event.

Target: 3 frames or fewer after the code is fully in view, on every path.

    .venv/bin/python benchmarks/time_to_first_read.py
"""

from __future__ import annotations

import sys
import tempfile
import threading
from pathlib import Path

import cv2

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' frame generator

from scanner_app.config import CameraSettings  # noqa: E402
from scanner_app.scanning.camera import CameraScanner  # noqa: E402
from scanner_app.scanning.camera_process import CameraProcess  # noqa: E402
from scanner_app.scanning.decoders import ZxingDecoder  # noqa: E402
from scanner_app.scanning.frame_reader import FrameReader  # noqa: E402
from tests.scanning.barcode_images import F, GS1_LABEL, symbol, write_sliding_video  # noqa: E402

CASES = [
    ("EAN-13", symbol(F.EAN13, "4000001100118", scale=3)),
    ("Code 128", symbol(F.Code128, "PKG-BOX-433", scale=3)),
    ("GS1-128", symbol(F.Code128, "(01)04000001300112(10)SAN-2501", scale=2, gs1=True)),
    ("GS1 DataMatrix", symbol(F.DataMatrix, GS1_LABEL, scale=6, gs1=True)),
    ("QR Code", symbol(F.QRCode, "https://example.com/item/PKG-BOX-433", scale=5)),
]
SIZE = (1280, 720)


def every_frame(path: Path) -> int | None:
    reader = FrameReader(ZxingDecoder())
    capture = cv2.VideoCapture(str(path))
    number = 0
    while True:
        ok, frame = capture.read()
        if not ok:
            return None
        if reader.read(frame, number, number / 30).accepted is not None:
            return number
        number += 1


def live(path: Path, camera_type: type[CameraProcess] | type[CameraScanner]) -> int | None:
    """The number of the first frame accepted by a live camera (either kind: same events)."""
    scanner = camera_type(CameraSettings(source=str(path)))
    accepted: list[int] = []
    done = threading.Event()
    scanner.frame_decoded.connect(lambda d: accepted.append(d.number) if d.accepted is not None else None)
    scanner.stopped.connect(lambda _: done.set())
    scanner.start()
    done.wait(30)
    scanner.stop()
    return accepted[0] if accepted else None


COLUMNS = ["every frame", "camera process", "threads in-process"]


def main() -> None:
    worst = 0
    print(f"{'code':<16}{'fully in view at':>17}" + "".join(f"{c:>20}" for c in COLUMNS)
          + "   (frames after fully in view)")
    with tempfile.TemporaryDirectory() as tmp:
        for name, image in CASES:
            path = Path(tmp) / f"{name.replace(' ', '_')}.avi"
            first_full = write_sliding_video(path, image, frames=60, step=40, size=SIZE)
            results = [every_frame(path), live(path, CameraProcess), live(path, CameraScanner)]
            delays = [None if r is None else r - first_full for r in results]
            worst = max([worst] + [d if d is not None else 99 for d in delays])
            print(f"{name:<16}{first_full:>17}" + "".join(f"{'never' if d is None else d:>20}" for d in delays))
    print("(negative: accepted before the whole symbol was in view, its quiet zone still entering)")
    print("PASS" if worst <= 3 else "FAIL", f"(worst {worst} frames on any path, target <= 3)")


if __name__ == "__main__":
    main()
