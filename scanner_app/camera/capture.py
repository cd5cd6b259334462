"""Camera capture in its own thread: OpenCV frames into a one-frame mailbox.

``FrameGrabber.run`` (the ``camera-capture`` thread) opens the source, reads frames as
they come and puts each into :class:`LatestFrame`, which keeps only the newest: OpenCV's
V4L backend queues frames, and a decoder that fell behind must get the frame of now, not
one from a second ago. Reading continuously is also what keeps the driver's queue empty.

Sources (``CameraSettings.source``): a camera index ("0"), a video file, or a stream URL
(rtsp://, http://). A camera is asked for MJPG at the configured size and rate and
reports what it actually gives. A source that cannot be opened, or stops giving frames
(camera unplugged, stream dropped), is reported through ``on_status`` and retried with
backoff (0.5 s doubling to 10 s), until stopped; nothing raises out of the thread. A video
file that ends is ``finished``; files are paced at their own frame rate, like a camera.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from scanner_app.camera.camera_status import CameraStatus
from scanner_app.config import CameraSettings

log = logging.getLogger(__name__)
__all__ = ["CameraStatus", "FrameGrabber", "LatestFrame", "describe", "quiet_video_logs"]

FIRST_RETRY_S, MAX_RETRY_S = 0.5, 10.0
STREAM_TIMEOUT_MS = 5000  # opening or reading a network stream


class LatestFrame:
    """A one-frame mailbox: ``put`` replaces the frame, ``take_newer`` waits for a newer one."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._frame: np.ndarray | None = None
        self._number = -1
        self._closed = False
        self.dropped = 0  # frames replaced before anyone took them

    def put(self, frame: np.ndarray, number: int) -> None:
        with self._cond:
            if self._frame is not None:
                self.dropped += 1
            self._frame, self._number = frame, number
            self._cond.notify_all()

    def take_newer(self, than: int, timeout: float) -> tuple[np.ndarray, int] | None:
        """The newest frame if its number is above ``than`` (waiting up to ``timeout`` s)."""
        with self._cond:
            self._cond.wait_for(lambda: (self._frame is not None and self._number > than) or self._closed, timeout)
            if self._frame is None or self._number <= than:
                return None
            frame, self._frame = self._frame, None
            return frame, self._number

    def close(self) -> None:
        """No more frames will come; wakes the taker."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()

    @property
    def closed(self) -> bool:
        with self._cond:
            return self._closed


def quiet_video_logs() -> None:
    """Keep FFmpeg's and OpenCV's own warnings ("Connection refused", "Invalid PNG
    signature") off stderr: the station reports each failure in its own words. Takes effect
    for captures opened afterwards; set the variables yourself to see them."""
    os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")
    os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")


def describe(source: str) -> str:
    return f"camera {source}" if source.strip().isdigit() else source


class FrameGrabber:
    def __init__(self, settings: CameraSettings, slot: LatestFrame, stop: threading.Event,
                 on_status: Callable[[CameraStatus], None], *, pace_files: bool = True) -> None:
        self.settings = settings
        self.slot = slot
        self.stop = stop
        self.on_status = on_status
        self.pace_files = pace_files
        self.source = settings.source.strip()
        self.is_camera = self.source.isdigit()
        self.is_stream = "://" in self.source
        self.frames = 0

    def run(self) -> None:
        """The capture thread's body: open, read, retry, until stopped or a file ends."""
        try:
            self._run()
        except Exception as exc:  # the thread must end with a message, not a traceback
            log.exception("camera capture failed")
            self.on_status(CameraStatus("error", f"{describe(self.source)}: capture stopped on an error: {exc}"))
        finally:
            self.slot.close()

    def _run(self) -> None:
        delay = FIRST_RETRY_S
        while not self.stop.is_set():
            capture, problem = self._open()
            if capture is not None:
                self.on_status(CameraStatus("opened", self._opened_message(capture)))
                outcome = self._pump(capture)
                capture.release()
                if outcome == "finished":
                    self.on_status(CameraStatus("finished", f"{describe(self.source)}: end of video"))
                    return
                if outcome == "stopped":
                    return
                delay = FIRST_RETRY_S
                problem = "stopped sending frames (unplugged, or the stream dropped)"
            self.on_status(CameraStatus("error", f"{describe(self.source)} {problem}; retrying in {delay:g} s"))
            if self.stop.wait(delay):
                return
            delay = min(delay * 2, MAX_RETRY_S)

    def _open(self) -> tuple[cv2.VideoCapture | None, str]:
        s = self.settings
        quiet_video_logs()
        if self.is_camera:
            capture = cv2.VideoCapture(int(self.source))
            if capture.isOpened():
                capture.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter.fourcc(*"MJPG"))
                capture.set(cv2.CAP_PROP_FRAME_WIDTH, s.width)
                capture.set(cv2.CAP_PROP_FRAME_HEIGHT, s.height)
                capture.set(cv2.CAP_PROP_FPS, s.fps)
                capture.set(cv2.CAP_PROP_BUFFERSIZE, 1)
        elif not self.is_stream and not Path(self.source).is_file():
            return None, "does not exist (no such video file)"
        else:
            params = [cv2.CAP_PROP_OPEN_TIMEOUT_MSEC, STREAM_TIMEOUT_MS,
                      cv2.CAP_PROP_READ_TIMEOUT_MSEC, STREAM_TIMEOUT_MS]
            capture = cv2.VideoCapture(self.source, cv2.CAP_FFMPEG, params)
        if not capture.isOpened():
            capture.release()
            return None, "cannot be opened"
        return capture, ""

    def _opened_message(self, capture: cv2.VideoCapture) -> str:
        width = int(capture.get(cv2.CAP_PROP_FRAME_WIDTH))
        height = int(capture.get(cv2.CAP_PROP_FRAME_HEIGHT))
        fps = capture.get(cv2.CAP_PROP_FPS)
        message = f"{describe(self.source)}: {width}x{height} at {fps:.0f} fps"
        if self.is_camera:
            code = int(capture.get(cv2.CAP_PROP_FOURCC))
            fourcc = "".join(chr((code >> 8 * i) & 0xFF) for i in range(4)).strip("\0 ") or "?"
            asked = (self.settings.width, self.settings.height, self.settings.fps, "MJPG")
            if (width, height, round(fps), fourcc) != asked:
                message += f" {fourcc} (asked for MJPG {asked[0]}x{asked[1]} at {asked[2]} fps)"
        return message

    def _pump(self, capture: cv2.VideoCapture) -> str:
        """Read frames until stopped ("stopped"), a file ends ("finished") or reading fails ("failed")."""
        paced = self.pace_files and not self.is_camera and not self.is_stream
        fps = capture.get(cv2.CAP_PROP_FPS) or 30.0
        start = time.monotonic()
        number = 0
        while not self.stop.is_set():
            ok, frame = capture.read()
            if not ok or frame is None:
                return "failed" if self.is_camera or self.is_stream else "finished"
            if paced and self.stop.wait(max(0.0, start + number / fps - time.monotonic())):
                return "stopped"
            self.slot.put(frame, self.frames)  # counts on across reconnects: always "newer"
            number += 1
            self.frames += 1
        return "stopped"
