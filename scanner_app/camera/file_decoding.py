"""Decoding image and video files through the camera's pipeline (``scanner-app decode``).

An image gets every pass (:func:`~scanner_app.camera.frame_passes.decode_still`); a video
is read frame by frame through the same :class:`FrameReader` the camera's decode thread
runs, on the video's own clock (frame number / frame rate), so what it reports is what
the camera would have accepted: each code once per time in view, the first frame it was
accepted on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import cv2

from scanner_app.camera.capture import quiet_video_logs
from scanner_app.camera.decoders import Decoder
from scanner_app.camera.frame_passes import decode_still
from scanner_app.camera.frame_reader import FrameReader
from scanner_app.camera.reads import Read


@dataclass(frozen=True)
class FileRead:
    file: str
    frame: int | None  # the video frame it was accepted on; None for an image
    read: Read

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "frame": self.frame, **self.read.to_json()}


@dataclass
class FileResult:
    file: str
    reads: list[FileRead] = field(default_factory=list)
    problem: str | None = None  # why the file could not be decoded, naming it
    frames: int = 0  # frames decoded (1 for an image)


def decode_file(path: Path, decoder: Decoder, hold_off_s: float = 2.0) -> FileResult:
    """Every code in an image, or every code the camera would accept in a video.
    Raises ``DecoderError`` if the decoder fails."""
    name = str(path)
    if not path.exists():
        return FileResult(name, problem=f"{name}: no such file")
    if not path.is_file():
        return FileResult(name, problem=f"{name}: not a file")
    image = cv2.imread(name, cv2.IMREAD_COLOR)
    if image is not None:
        return FileResult(name, [FileRead(name, None, r) for r in decode_still(decoder, image)], frames=1)
    quiet_video_logs()
    capture = cv2.VideoCapture(name)
    try:
        return _decode_video(name, capture, decoder, hold_off_s)
    finally:
        capture.release()


def _decode_video(name: str, capture: cv2.VideoCapture, decoder: Decoder, hold_off_s: float) -> FileResult:
    result = FileResult(name)
    if not capture.isOpened():
        result.problem = f"{name}: not an image or video this station can read"
        return result
    fps = capture.get(cv2.CAP_PROP_FPS) or 30.0
    reader = FrameReader(decoder, hold_off_s)
    while True:
        ok, frame = capture.read()
        if not ok or frame is None:
            break
        decoded = reader.read(frame, result.frames, result.frames / fps)
        if decoded.accepted is not None:
            result.reads.append(FileRead(name, result.frames, decoded.accepted))
        result.frames += 1
    if result.frames == 0:
        result.problem = f"{name}: not an image or video this station can read (no frame in it)"
    return result
