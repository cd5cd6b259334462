"""When to spend more time on a frame: the fast pass, the thorough pass, and still images.

Measured with ``benchmarks/frame_cost.py`` (camera-like 1280x720 frames: clutter, blur,
MJPG compression; sensor noise of 3 and of 6 grey levels) and ``benchmarks/decode_samples.py``
(430 real photos), zxing-cpp 3.1, the 11 default formats, one core, medians:

==========================================  =========  =========  =========  ============
pass                                        720p code  720p none  720p none  real photos
                                            noise 3    noise 3    noise 6    read (/430)
==========================================  =========  =========  =========  ============
fast: no rotate/invert/downscale; one       2.2 ms     3.0 ms     2.4 ms     343
threshold per row, then local averages
while those stay under 4 ms (decoders.py)
the same with local averages only           3.7 ms     2.8 ms     10.8 ms    342
thorough: rotate, invert, downscale         7.5 ms     7.0 ms     37.8 ms    349
zxing-cpp defaults (+ every format)         11.3 ms    12.8 ms    51.2 ms    349
==========================================  =========  =========  =========  ============

So the fast pass runs on every frame: it reads an upright code at a fifth of the
defaults' cost and stays cheap in a noisy (dim, high-gain) picture. What it misses (codes
turned 90 degrees, light on dark, too big for full resolution) stays in view while a
person turns it, so the thorough pass need not run on every frame: once the fast pass has
found nothing for ``IDLE_FRAMES`` frames it runs every ``THOROUGH_EVERY`` frames, or more
rarely when its cost spread over the frames in between would pass ``THOROUGH_BUDGET_MS``
(in a noisy 720p scene, every ~13 frames). Mean cost of an empty 720p frame with both:
4.8 ms at noise 3, 6.0 ms at noise 6, against 33 ms between frames at 30 fps. A code held
upright is accepted within one frame of being wholly in view
(``benchmarks/time_to_first_read.py``).

A still image (``scanner-app decode``) has one chance, so :func:`decode_still` runs the
fast pass, then the thorough one, then, for a small image, the thorough pass on the image
upscaled twice: small soft crops are where that reads 9 more of the sample photos than
zxing-cpp's defaults (358 against 349), with no false positive on their 46 empty images.
"""

from __future__ import annotations

import math
import time
from dataclasses import replace

import cv2
import numpy as np

from scanner_app.camera.decoders import Decoder, to_grey
from scanner_app.camera.reads import Read

IDLE_FRAMES = 3
THOROUGH_EVERY = 3
THOROUGH_BUDGET_MS = 3.0  # what thorough passes may cost per frame, on average
UPSCALE_BELOW_PX = 1000  # longest side of a still image under which the 2x pass runs


class PassScheduler:
    """Counts frames without a read and says when a frame gets the thorough pass too: after
    ``idle_frames`` empty frames, then every ``thorough_every`` frames, or more rarely when
    a thorough pass costs more than ``budget_ms`` per frame in between (a noisy scene)."""

    def __init__(self, idle_frames: int = IDLE_FRAMES, thorough_every: int = THOROUGH_EVERY,
                 budget_ms: float = THOROUGH_BUDGET_MS) -> None:
        self.idle_frames = idle_frames
        self.thorough_every = thorough_every
        self.budget_ms = budget_ms
        self._frames_without_read = 0
        self._next_thorough_at = idle_frames  # in frames without a read

    def wants_thorough(self) -> bool:
        """Asked after a fast pass found nothing on the current frame."""
        return self._frames_without_read >= self._next_thorough_at

    def record(self, found: bool, thorough_ms: float | None = None) -> None:
        """The frame's outcome, and the thorough pass's cost if it ran."""
        if found:
            self._frames_without_read, self._next_thorough_at = 0, self.idle_frames
            return
        if thorough_ms is not None:
            gap = max(self.thorough_every, math.ceil(thorough_ms / self.budget_ms))
            self._next_thorough_at = self._frames_without_read + gap
        self._frames_without_read += 1


def decode_frame(decoder: Decoder, frame: np.ndarray, scheduler: PassScheduler) -> tuple[list[Read], bool]:
    """One camera frame: the fast pass, and the thorough pass when the scheduler says so.
    Returns the reads and whether the thorough pass ran."""
    grey = to_grey(frame)
    reads = decoder.decode(grey)
    thorough_ms = None
    if not reads and scheduler.wants_thorough():
        t0 = time.perf_counter()
        reads = decoder.decode(grey, thorough=True)
        thorough_ms = (time.perf_counter() - t0) * 1000
    scheduler.record(bool(reads), thorough_ms)
    return reads, thorough_ms is not None


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
