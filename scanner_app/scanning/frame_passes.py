"""When to spend more time on a frame: the fast pass, the thorough pass, and still images.

Measured with ``benchmarks/frame_cost.py`` and ``benchmarks/zxing_samples.py`` (zxing-cpp
3.1, the 11 default formats, one core of the development machine):

==========================  =============  ===============  =================
pass                        720p, no code  720p, with code  real photos read
==========================  =============  ===============  =================
fast (no rotate/invert/     ~1.0-1.9 ms    ~1.6-2.6 ms      387 of 405
downscale, formats cut)
thorough (all three on)     ~2.2-4.3 ms    ~4.1-5.2 ms      393 of 405
zxing-cpp defaults          ~4.4 ms        ~7.1 ms          393 of 405
(+ every format)
==========================  =============  ===============  =================

The fast pass reads an upright code in a camera frame at a third of the cost, and misses
what the thorough pass exists for: codes turned 90 degrees, light on dark, or too big for
full-resolution scanning. Those stay in view while a person turns them, so the thorough
pass need not run on every frame: once the fast pass has found nothing for
``IDLE_FRAMES`` frames it runs on every ``THOROUGH_EVERY``-th frame, which keeps the mean
cost of an empty 720p frame near the fast pass's (~1.5x) while a turned code is still
found within a tenth of a second at 30 fps. A code held upright is read on its first
frame in view (``benchmarks/time_to_first_read.py``).

A still image (``scanner-app decode``) has one chance, so :func:`decode_still` runs the
fast pass, then the thorough one, then, for a small image, the thorough pass on the image
upscaled twice: small crops of real photos are where the 2x pass reads 12 more of the
sample photos with no false positive.
"""

from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np

from scanner_app.scanning.decoders import Decoder, to_grey
from scanner_app.scanning.reads import Read

IDLE_FRAMES = 3
THOROUGH_EVERY = 3
UPSCALE_BELOW_PX = 1000  # longest side of a still image under which the 2x pass runs


class PassScheduler:
    """Counts frames without a read and says when a frame gets the thorough pass too."""

    def __init__(self, idle_frames: int = IDLE_FRAMES, thorough_every: int = THOROUGH_EVERY) -> None:
        self.idle_frames = idle_frames
        self.thorough_every = thorough_every
        self._frames_without_read = 0

    def wants_thorough(self) -> bool:
        """Asked after a fast pass found nothing on the current frame."""
        idle = self._frames_without_read - self.idle_frames
        return idle >= 0 and idle % self.thorough_every == 0

    def record(self, found: bool) -> None:
        self._frames_without_read = 0 if found else self._frames_without_read + 1


def decode_frame(decoder: Decoder, frame: np.ndarray, scheduler: PassScheduler) -> tuple[list[Read], bool]:
    """One camera frame: the fast pass, and the thorough pass when the scheduler says so.
    Returns the reads and whether the thorough pass ran."""
    grey = to_grey(frame)
    reads = decoder.decode(grey)
    thorough = not reads and scheduler.wants_thorough()
    if thorough:
        reads = decoder.decode(grey, thorough=True)
    scheduler.record(bool(reads))
    return reads, thorough


def decode_still(decoder: Decoder, image: np.ndarray) -> list[Read]:
    """One image with no next frame: every pass until something is read."""
    grey = to_grey(image)
    reads = decoder.decode(grey) or decoder.decode(grey, thorough=True)
    if reads or max(grey.shape) >= UPSCALE_BELOW_PX:
        return reads
    upscaled = cv2.resize(grey, None, fx=2, fy=2, interpolation=cv2.INTER_CUBIC)
    return [_scaled(read, 0.5) for read in decoder.decode(upscaled, thorough=True)]


def _scaled(read: Read, factor: float) -> Read:
    tl, tr, br, bl = ((round(x * factor), round(y * factor)) for x, y in read.position)
    return replace(read, position=(tl, tr, br, bl))
