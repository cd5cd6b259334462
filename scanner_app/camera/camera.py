"""``CameraScanner``: a webcam or IP camera as a scanner, in two threads, Qt-free.

- ``camera-capture`` (:class:`~scanner_app.camera.capture.FrameGrabber`): OpenCV reads,
  only the newest frame kept; failures reported and retried.
- ``camera-decode``: takes the newest frame, runs :class:`FrameReader` (fast/thorough
  passes, then the debouncer) and tells subscribers.

Events (emitted on the ``camera-decode`` thread, except where said; a Qt adapter re-posts
them to the UI thread with a queued signal):

- ``read_accepted(Read)``: a code became a scan; feed ``Scan(read.raw, ScanSource.CAMERA)``
  to the pipeline. Also emitted by :meth:`CameraScanner.choose`, on the caller's thread.
- ``frame_decoded(DecodedFrame)``: every decoded frame with its reads, for a preview. A
  preview that paints on its own timer can instead poll :meth:`CameraScanner.latest`,
  which costs a lock and no copy.
- ``status(CameraStatus)``: opened (with the size and rate the camera gave), error (with
  the retry delay), finished (end of a video file), decoder_error (e.g. zbar's worker died).
- ``stopped(None)``: both threads are done (after ``stop()``, or after a file ended).

Stopping is cooperative: ``stop()`` sets a flag both threads check per frame and joins
them. Both are daemon threads, so a network read stuck inside OpenCV (bounded by a 5 s
timeout) can never keep the station from exiting.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import cv2
import numpy as np

from scanner_app.camera.capture import CameraStatus, FrameGrabber, LatestFrame
from scanner_app.camera.decoders import Decoder, DecoderError
from scanner_app.camera.frame_reader import DecodedFrame, FrameReader, make_decoder
from scanner_app.camera.reads import Read
from scanner_app.config import CameraSettings
from scanner_app.events import Event

log = logging.getLogger(__name__)


class CameraScanner:
    def __init__(self, settings: CameraSettings | None = None, decoder: Decoder | None = None, *,
                 clock: Callable[[], float] = time.monotonic, pace_files: bool = True) -> None:
        """``decoder``: defaults to the one the settings name (closed on stop); a decoder passed
        in stays the caller's to close."""
        self.settings = settings or CameraSettings()
        self._owns_decoder = decoder is None
        self.decoder = decoder or make_decoder(self.settings.decoder, self.settings.formats)
        self._clock = clock
        self._pace_files = pace_files
        self.read_accepted: Event[Read] = Event()
        self.frame_decoded: Event[DecodedFrame] = Event()
        self.status: Event[CameraStatus] = Event()
        self.stopped: Event[None] = Event()
        self._reader = FrameReader(self.decoder, self.settings.hold_off_seconds)
        self._reader_lock = threading.Lock()  # the debouncer is shared with choose()
        self._latest: DecodedFrame | None = None
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self.frames_decoded = 0

    @property
    def running(self) -> bool:
        return any(t.is_alive() for t in self._threads)

    def start(self) -> None:
        if self.running:
            return
        self._stop.clear()
        # One core per camera thread: OpenCV's own worker threads (its resize and colour
        # conversion used both cores of a 2-core station) left the UI thread without a CPU.
        cv2.setNumThreads(1)
        slot = LatestFrame()
        grabber = FrameGrabber(self.settings, slot, self._stop, self.status.emit, pace_files=self._pace_files)
        capture = threading.Thread(target=grabber.run, name="camera-capture", daemon=True)
        decode = threading.Thread(target=self._decode_loop, args=(slot, capture), name="camera-decode", daemon=True)
        self._threads = [capture, decode]
        capture.start()
        decode.start()

    def stop(self, timeout: float = 5.0) -> bool:
        """Stop both threads and wait for them (up to ``timeout`` s); True when they ended."""
        self._stop.set()
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            if thread is not threading.current_thread():  # stop() from an event listener
                thread.join(max(0.0, deadline - time.monotonic()))
        done = not any(t.is_alive() for t in self._threads if t is not threading.current_thread())
        if done and self._owns_decoder:
            self.decoder.close()
        return done

    def latest(self) -> DecodedFrame | None:
        """The most recently decoded frame (None before the first)."""
        return self._latest

    def choose(self, raw: str) -> Read | None:
        """A person picked the code ``raw`` (e.g. clicked its outline): accept it now if it is
        in the latest frame, and emit ``read_accepted`` on this thread."""
        latest = self._latest
        read = next((r for r in latest.reads if r.raw == raw), None) if latest else None
        if read is None:
            return None
        with self._reader_lock:
            self._reader.debouncer.choose(read, self._clock())
        self.read_accepted.emit(read)
        return read

    def _decode_loop(self, slot: LatestFrame, capture: threading.Thread) -> None:
        last = -1
        try:
            while not self._stop.is_set():
                taken = slot.take_newer(last, timeout=0.1)
                if taken is None:
                    if slot.closed:
                        break
                    continue
                frame, last = taken
                self._decode_one(frame, last)
        finally:
            capture.join(timeout=1.0)
            self.stopped.emit(None)

    def _decode_one(self, frame: np.ndarray, number: int) -> None:
        try:
            with self._reader_lock:
                decoded = self._reader.read(frame, number, self._clock())
        except DecoderError as exc:
            self.status.emit(CameraStatus("decoder_error", str(exc)))
            return
        except Exception as exc:  # one bad frame must not end scanning
            log.exception("decoding frame %d failed", number)
            self.status.emit(CameraStatus("decoder_error", f"decoding a frame failed: {exc}"))
            return
        self._latest = decoded
        self.frames_decoded += 1
        self.frame_decoded.emit(decoded)
        if decoded.accepted is not None:
            self.read_accepted.emit(decoded.accepted)
