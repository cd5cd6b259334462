"""The camera's pipeline for a stream of frames: decoder passes, then the debouncer.

``FrameReader.read(frame, number, now)`` is what the camera's decode thread runs on each
newest frame and what ``scanner-app decode`` runs on each frame of a video file (with
the video's own clock), so both answer the same way. ``make_decoder`` builds the decoder
the settings name.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from scanner_app.camera.debounce import ReadDebouncer
from scanner_app.camera.decoders import Decoder, ZxingDecoder
from scanner_app.camera.frame_passes import PassScheduler, decode_frame
from scanner_app.camera.reads import Read


def make_decoder(name: str, formats: Sequence[str]) -> Decoder:
    """``"zxing"`` or ``"zbar"`` (``config.CAMERA_DECODERS``), restricted to ``formats``."""
    if name == "zbar":
        from scanner_app.camera.zbar_decoder import ZbarDecoder

        return ZbarDecoder(formats)
    if name == "zxing":
        return ZxingDecoder(formats)
    raise ValueError(f"unknown decoder {name!r}: use zxing or zbar")


@dataclass(frozen=True)
class DecodedFrame:
    """One frame and what was found in it, for a preview: draw ``frame`` (BGR, as captured;
    shared, do not modify) and outline each read's ``position``."""

    frame: np.ndarray
    number: int  # frame number from the source, counting from 0
    reads: tuple[Read, ...]
    accepted: Read | None  # the read the debouncer accepted on this frame, if any
    thorough: bool  # whether the thorough pass ran
    decode_ms: float

    @property
    def size(self) -> tuple[int, int]:
        return self.frame.shape[1], self.frame.shape[0]


class FrameReader:
    def __init__(self, decoder: Decoder, hold_off_s: float = 2.0, *, scheduler: PassScheduler | None = None,
                 debouncer: ReadDebouncer | None = None) -> None:
        self.decoder = decoder
        self.scheduler = scheduler or PassScheduler()
        self.debouncer = debouncer or ReadDebouncer(hold_off_s)

    def read(self, frame: np.ndarray, number: int, now: float) -> DecodedFrame:
        """Decode ``frame`` and offer its reads to the debouncer (``now``: seconds, monotonic).
        May raise ``DecoderError``."""
        t0 = time.perf_counter()
        reads, thorough = decode_frame(self.decoder, frame, self.scheduler)
        decode_ms = (time.perf_counter() - t0) * 1000
        accepted = self.debouncer.offer(reads, (frame.shape[1], frame.shape[0]), now)
        return DecodedFrame(frame, number, tuple(reads), accepted, thorough, decode_ms)
