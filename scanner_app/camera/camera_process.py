"""``CameraProcess``: the camera scanner (capture and decode threads) in a child process.

The window's camera runs here rather than as threads of the station's process. Measured
with ``benchmarks/camera_ui_stall.py --explain`` on a 2-core machine: in the longest UI
stalls the UI thread was not working but waiting for a CPU, while the camera's capture
and decode threads (and other programs) held both. As threads of the station, the
camera's CPU time counts against the station's own scheduling share (Linux puts each
session in one group, autogroup), so the UI thread waited behind its own camera; they
also share the GIL. In a child process that starts its own session, at a lower priority,
the camera competes with the UI thread like any other program, and the UI process only
receives a few small messages a frame. With 3-4 other busy programs on the machine the
longest UI stall went from 18-25 ms (camera threads) to 9-13 ms (camera process), against
7-9 ms with the camera off; the price is a few frames (220-248 decoded in 8 s instead of
235-255). The nice value matters where groups are not per session (autogroup off,
systemd slices): there it is what lets the UI thread win a contended CPU.

Same surface as :class:`~scanner_app.camera.camera.CameraScanner`: ``read_accepted``,
``frame_decoded`` (here a :class:`~scanner_app.camera.preview.PreviewFrame`: the frame
shrunk to ``preview_size`` in the child), ``status``, ``stopped``; ``start``, ``stop``,
``choose``, ``latest``, ``running``, ``frames_decoded``. Events are emitted on the
``camera-events`` thread (daemon), which reads the child's pipe.

The child is started with ``spawn`` (like ``child_worker.ChildWorker``: no copy of the
station's threads or open databases). It stops when told, when its pipe closes (the
station exited, even by ``kill -9``), or is killed after ``stop``'s timeout. A child that
dies is reported as a ``status`` error and ``stopped``; the station keeps running.
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import os
import threading
import weakref
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from scanner_app.camera.camera_status import CameraStatus
from scanner_app.camera.preview import PreviewFrame
from scanner_app.camera.reads import Read
from scanner_app.config import CameraSettings
from scanner_app.events import Event

log = logging.getLogger(__name__)

CAMERA_NICE = 5  # the child's priority below the station's (Unix nice): the UI wins a contended CPU
_LIVE: weakref.WeakSet[CameraProcess] = weakref.WeakSet()


@atexit.register
def _stop_all() -> None:
    """Stop cameras left running before multiprocessing joins its children at exit."""
    for camera in list(_LIVE):
        camera.stop(timeout=2.0)


class CameraProcess:
    def __init__(self, settings: CameraSettings | None = None, *, preview_size: tuple[int, int] = (360, 240),
                 pace_files: bool = True) -> None:
        self.settings = settings or CameraSettings()
        self.preview_size = preview_size
        self._pace_files = pace_files
        self.read_accepted: Event[Read] = Event()
        self.frame_decoded: Event[PreviewFrame] = Event()
        self.status: Event[CameraStatus] = Event()
        self.stopped: Event[None] = Event()
        self.frames_decoded = 0
        self._latest: PreviewFrame | None = None
        self._process: BaseProcess | None = None
        self._conn: Connection | None = None
        self._receiver: threading.Thread | None = None
        self._send_lock = threading.Lock()
        self._stopping = False

    @property
    def running(self) -> bool:
        return self._receiver is not None and self._receiver.is_alive()

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    def start(self) -> None:
        if self.running:
            return
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        # Not a daemon: with decoder = "zbar" the child starts zbar's own worker process.
        process = context.Process(target=serve, args=(child, self.settings, self.preview_size, self._pace_files),
                                  name="camera", daemon=False)
        process.start()
        child.close()
        self._process, self._conn, self._stopping = process, parent, False
        self._receiver = threading.Thread(target=self._receive, args=(parent, process), name="camera-events",
                                          daemon=True)
        _LIVE.add(self)
        self._receiver.start()

    def stop(self, timeout: float = 5.0) -> bool:
        """Tell the child to stop and wait until it has (up to ``timeout`` s, then kill it);
        True when it stopped by itself. Waits for its threads and its pipe to close, not for
        its interpreter's exit (~40 ms more, which would stall the UI thread calling this);
        multiprocessing reaps it."""
        self._stopping = True
        self._send(("stop", None))
        process, receiver = self._process, self._receiver
        done = True
        waited: threading.Thread | BaseProcess | None
        if receiver is not None and receiver is not threading.current_thread():
            receiver.join(timeout)  # ends when the child has stopped and closed its end
            waited = receiver
        else:
            waited = process
            if process is not None:
                process.join(timeout)
        if waited is not None and waited.is_alive():
            done = False
            if process is not None:
                process.kill()
                process.join(2.0)
            if receiver is not None and receiver is not threading.current_thread():
                receiver.join(2.0)
        if self._conn is not None:
            self._conn.close()
        _LIVE.discard(self)
        return done

    def latest(self) -> PreviewFrame | None:
        return self._latest

    def choose(self, raw: str) -> None:
        """A person picked the code ``raw``: the child accepts it if it is in its latest
        frame, and ``read_accepted`` follows on the ``camera-events`` thread."""
        self._send(("choose", raw))

    def set_preview_size(self, size: tuple[int, int]) -> None:
        if size != self.preview_size:
            self.preview_size = size
            self._send(("preview_size", size))

    def _send(self, message: tuple[str, Any]) -> None:
        conn = self._conn
        if conn is None:
            return
        with self._send_lock:
            try:
                conn.send(message)
            except (OSError, ValueError):  # the child has gone (or the pipe is closed)
                pass

    def _receive(self, conn: Connection, process: BaseProcess) -> None:
        stopped = False
        while True:
            try:
                kind, value = conn.recv()
            except (EOFError, OSError):
                break
            if kind == "frame":
                self._latest = value
                self.frames_decoded += 1
                self.frame_decoded.emit(value)
            elif kind == "accepted":
                self.read_accepted.emit(value)
            elif kind == "status":
                self.status.emit(value)
            elif kind == "stopped" and not stopped:
                stopped = True
                self.stopped.emit(None)
        if not stopped:
            if not self._stopping:  # it died: wait for its exit code
                process.join(1.0)
                log.error("the camera process ended unexpectedly (exit code %s)", process.exitcode)
                self.status.emit(CameraStatus(
                    "error", f"the camera process ended unexpectedly (exit code {process.exitcode}); "
                             "start the camera again"))
            self.stopped.emit(None)


def lower_priority() -> None:
    """In the child: its own session (on Linux with autogroup, its own scheduling group, so
    its CPU time is not taken from the station's share) and a lower priority."""
    if hasattr(os, "setsid"):
        try:
            os.setsid()
        except OSError:
            pass
    if hasattr(os, "nice"):
        try:
            os.nice(CAMERA_NICE)
        except OSError:
            pass


def serve(conn: Connection, settings: CameraSettings, preview_size: tuple[int, int], pace_files: bool) -> None:
    """The child's body: run a ``CameraScanner``, send its events, obey commands."""
    lower_priority()
    import numpy as np

    from scanner_app.camera.camera import CameraScanner
    from scanner_app.camera.frame_reader import DecodedFrame
    from scanner_app.camera.preview import shrink_to_fit

    scanner = CameraScanner(settings, pace_files=pace_files)
    lock = threading.Lock()
    fit = [preview_size]

    def send(kind: str, value: object) -> None:
        with lock:
            try:
                conn.send((kind, value))
            except (OSError, ValueError):
                pass  # the station has gone: the loop below sees the pipe close and stops

    def on_frame(decoded: DecodedFrame) -> None:
        image = np.ascontiguousarray(shrink_to_fit(decoded.frame, fit[0]))
        send("frame", PreviewFrame(image.tobytes(), image.shape[1], image.shape[0], decoded.number, decoded.size,
                                   decoded.reads, decoded.accepted))

    scanner.frame_decoded.connect(on_frame)
    scanner.read_accepted.connect(lambda read: send("accepted", read))
    scanner.status.connect(lambda status: send("status", status))
    scanner.stopped.connect(lambda _: send("stopped", None))
    scanner.start()
    try:
        while True:
            try:
                kind, value = conn.recv()
            except (EOFError, OSError):
                break
            if kind == "stop":
                break
            if kind == "choose":
                scanner.choose(value)
            elif kind == "preview_size":
                fit[0] = value
    finally:
        scanner.stop()
        conn.close()
