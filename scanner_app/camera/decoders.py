"""Decoders: an image in, the codes in it out (:class:`~scanner_app.camera.reads.Read`).

``Decoder`` is the protocol the camera worker and ``scanner-app decode`` use. Two passes:
``thorough=False`` is the per-frame pass (upright and upside-down codes, dark on light,
full resolution only: what a hand-held item in front of a webcam is), ``thorough=True`` also
looks for codes rotated 90 degrees, inverted (light on dark) and at reduced scales (for
codes too large or too blurred at full resolution). ``camera/frame_passes.py`` decides
when the thorough pass runs, with measured costs.

Binarisers: the fast pass first tries one threshold per image row (zxing-cpp's
GlobalHistogram), cheap whatever the noise, then, if that found nothing, local averages
(zxing-cpp's default), which cope with shadows and glare but cost 3-5x more once sensor
noise crosses their contrast threshold; that second try is skipped while it costs more
than ``LOCAL_AVERAGE_BUDGET_MS`` (a noisy camera), and probed again every
``LOCAL_AVERAGE_PROBE_EVERY`` frames. The thorough pass uses local averages. Figures in
``frame_passes.py``.

``ZxingDecoder`` (zxing-cpp) is the primary one: it reads every warehouse symbology,
including GS1 DataMatrix, reports AIM identifiers and releases the GIL while it works.
``ZbarDecoder`` (pyzbar) lives in ``zbar_decoder.py``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Protocol

import cv2
import numpy as np
import zxingcpp

from scanner_app.camera.reads import Corners, Read, gs1_of
from scanner_app.camera.symbologies import zxing_formats, zxing_name
from scanner_app.codes.gtin import expand_upc_e
from scanner_app.config import DEFAULT_CAMERA_FORMATS

LOCAL_AVERAGE_BUDGET_MS = 4.0
LOCAL_AVERAGE_PROBE_EVERY = 30


class DecoderError(RuntimeError):
    """A decoder failed on an image (e.g. its worker process died); the message says how.
    The decoder is usable again for the next image."""


class Decoder(Protocol):
    name: str

    def decode(self, image: np.ndarray, *, thorough: bool = False) -> list[Read]:
        """Codes in ``image`` (BGR or grey uint8). May raise :class:`DecoderError`."""
        ...

    def close(self) -> None:
        """Release what the decoder holds (worker processes); idempotent."""
        ...


def to_grey(image: np.ndarray) -> np.ndarray:
    """A contiguous 8-bit grey image (decoders binarise luminance; colour is wasted work)."""
    if image.ndim == 3:
        code = cv2.COLOR_BGRA2GRAY if image.shape[2] == 4 else cv2.COLOR_BGR2GRAY
        image = cv2.cvtColor(image, code)
    return np.ascontiguousarray(image, dtype=np.uint8)


def zxing_read(barcode: zxingcpp.Barcode, elapsed_ms: float, enabled: Sequence[str] = DEFAULT_CAMERA_FORMATS) -> Read:
    p = barcode.position
    corners: Corners = ((p.top_left.x, p.top_left.y), (p.top_right.x, p.top_right.y),
                        (p.bottom_right.x, p.bottom_right.y), (p.bottom_left.x, p.bottom_left.y))
    identifier = barcode.symbology_identifier or None
    raw = barcode.text  # TextMode.Plain: the payload with ASCII 29 separators, ECI applied
    name, raw = as_printed(zxing_name(barcode.format), raw, enabled)
    return Read(format=name, raw=raw, symbology_identifier=identifier,
                position=corners, elapsed_ms=elapsed_ms, gs1=gs1_of(raw, identifier), payload=barcode.bytes)


def as_printed(name: str, raw: str, enabled: Sequence[str]) -> tuple[str, str]:
    """EAN/UPC digits in the form that classifies the same as a wedge scanner's.

    zxing-cpp 3 gives every EAN/UPC as 13 digits: a UPC-A with a leading 0 (named EAN-13
    when EAN-13 is enabled too: the bars of a UPC-A and of an EAN-13 starting with 0 are the
    same), so a UPC-A is given as its 12 printed digits. A UPC-E is given as its UPC-A
    expansion (12 digits, a common scanner setting), not its 8 printed digits: without an
    AIM identifier, 8 digits are read as an EAN-8 by ``codes.classify`` and would find the
    wrong item.
    """
    if name == "upce":
        if len(raw) == 13 and raw.startswith("0"):
            return name, raw[1:]
        return name, expand_upc_e(raw) or raw if len(raw) == 8 else raw
    if name in ("ean13", "upca") and len(raw) == 13 and raw.startswith("0") and "upca" in enabled:
        return "upca", raw[1:]
    return name, raw


class ZxingDecoder:
    """zxing-cpp, restricted to ``formats`` (the station's names, see ``config.CAMERA_FORMATS``)."""

    name = "zxing"

    def __init__(self, formats: Sequence[str] = DEFAULT_CAMERA_FORMATS) -> None:
        self.formats = tuple(formats)
        self._zxing_formats = zxing_formats(self.formats)
        self.local_average_ms = 0.0  # the last fast local-average try's cost
        self._frames_since_local_average = 0
        self._last_ms = 0.0

    def decode(self, image: np.ndarray, *, thorough: bool = False) -> list[Read]:
        grey = to_grey(image)
        if thorough:
            return self._read(grey, thorough=True, binarizer=zxingcpp.Binarizer.LocalAverage)
        reads = self._read(grey, thorough=False, binarizer=zxingcpp.Binarizer.GlobalHistogram)
        if reads or not self._local_average_affordable():
            return reads
        reads = self._read(grey, thorough=False, binarizer=zxingcpp.Binarizer.LocalAverage)
        self.local_average_ms = reads[0].elapsed_ms if reads else self._last_ms
        return reads

    def _local_average_affordable(self) -> bool:
        """The fast pass's second try, unless it has proved expensive on these frames (noise);
        tried again every ``LOCAL_AVERAGE_PROBE_EVERY`` frames in case the light improved."""
        self._frames_since_local_average += 1
        cheap = self.local_average_ms <= LOCAL_AVERAGE_BUDGET_MS
        if cheap or self._frames_since_local_average >= LOCAL_AVERAGE_PROBE_EVERY:
            self._frames_since_local_average = 0
            return True
        return False

    def _read(self, grey: np.ndarray, *, thorough: bool, binarizer: zxingcpp.Binarizer) -> list[Read]:
        t0 = time.perf_counter()
        found = zxingcpp.read_barcodes(
            grey, formats=self._zxing_formats, try_rotate=thorough, try_invert=thorough,
            try_downscale=thorough, text_mode=zxingcpp.TextMode.Plain, binarizer=binarizer,
        )
        self._last_ms = (time.perf_counter() - t0) * 1000
        return [zxing_read(b, self._last_ms, self.formats) for b in found if b.valid]

    def close(self) -> None:
        pass
