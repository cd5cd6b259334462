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

Target: 3 frames or fewer after the code is fully in view, on every path. Check: every
path accepts the code, with the right text. ``--quick``: EAN-13 and GS1 DataMatrix only
(the first-read and the second-read acceptance), 40-frame videos, the target not judged.

    .venv/bin/python benchmarks/time_to_first_read.py [--quick] [--target time_to_first_read.worst_frames=3]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
from pathlib import Path

import cv2
from verdict import Target, Verdict, add_arguments

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' frame generator

from scanner_app.camera.camera import CameraScanner
from scanner_app.camera.camera_process import CameraProcess
from scanner_app.camera.decoders import ZxingDecoder
from scanner_app.camera.frame_reader import FrameReader
from scanner_app.config import CameraSettings
from tests.scanning.barcode_images import GS1_LABEL, GS1_RAW, F, symbol, write_sliding_video

CASES = [  # name, symbol, the text it is accepted as
    ("EAN-13", symbol(F.EAN13, "4000001100118", scale=3), "4000001100118"),
    ("Code 128", symbol(F.Code128, "PKG-BOX-433", scale=3), "PKG-BOX-433"),
    ("GS1-128", symbol(F.Code128, "(01)04000001300112(10)SAN-2501", scale=2, gs1=True), "010400000130011210SAN-2501"),
    ("GS1 DataMatrix", symbol(F.DataMatrix, GS1_LABEL, scale=6, gs1=True), GS1_RAW),
    ("QR Code", symbol(F.QRCode, "https://example.com/item/PKG-BOX-433", scale=5),
     "https://example.com/item/PKG-BOX-433"),
]
QUICK_CASES = ("EAN-13", "GS1 DataMatrix")
SIZE = (1280, 720)
TARGETS = [Target("worst_frames", "<=", 3, "frames from fully in view to accepted, worst case and path")]
Accepted = tuple[int, str] | None  # (frame number, text) of the first accepted read


def every_frame(path: Path) -> Accepted:
    reader = FrameReader(ZxingDecoder())
    capture = cv2.VideoCapture(str(path))
    number = 0
    while True:
        ok, frame = capture.read()
        if not ok:
            return None
        accepted = reader.read(frame, number, number / 30).accepted
        if accepted is not None:
            return number, accepted.raw
        number += 1


def live(path: Path, camera_type: type[CameraProcess] | type[CameraScanner]) -> Accepted:
    """The first frame accepted by a live camera (either kind: same events)."""
    scanner = camera_type(CameraSettings(source=str(path)))
    accepted: list[tuple[int, str]] = []
    done = threading.Event()
    scanner.frame_decoded.connect(lambda d: accepted.append((d.number, d.accepted.raw))
                                  if d.accepted is not None else None)
    scanner.stopped.connect(lambda _: done.set())
    scanner.start()
    done.wait(30)
    scanner.stop()
    return accepted[0] if accepted else None


COLUMNS = ["every frame", "camera process", "threads in-process"]


def main() -> None:
    parser = argparse.ArgumentParser()
    add_arguments(parser)
    args = parser.parse_args()
    verdict = Verdict.from_args("time_to_first_read", TARGETS, args)
    cases = [case for case in CASES if case[0] in QUICK_CASES] if args.quick else CASES
    frames = 40 if args.quick else 60
    worst = 0
    wrong: list[str] = []
    print(f"{'code':<16}{'fully in view at':>17}" + "".join(f"{c:>20}" for c in COLUMNS)
          + "   (frames after fully in view)")
    with tempfile.TemporaryDirectory() as tmp:
        for name, image, text in cases:
            path = Path(tmp) / f"{name.replace(' ', '_')}.avi"
            first_full = write_sliding_video(path, image, frames=frames, step=40, size=SIZE)
            results = [every_frame(path), live(path, CameraProcess), live(path, CameraScanner)]
            delays = [None if r is None else r[0] - first_full for r in results]
            wrong += [f"{name}, {column}: {'never' if r is None else repr(r[1])}"
                      for column, r in zip(COLUMNS, results, strict=False) if r is None or r[1] != text]
            worst = max([worst] + [d if d is not None else 99 for d in delays])
            print(f"{name:<16}{first_full:>17}" + "".join(f"{'never' if d is None else d:>20}" for d in delays))
    print("(negative: accepted before the whole symbol was in view, its quiet zone still entering)")
    verdict.check("every path accepts every code, with its text", not wrong, "; ".join(wrong))
    verdict.judge("worst_frames", worst)
    verdict.finish()


if __name__ == "__main__":
    main()
