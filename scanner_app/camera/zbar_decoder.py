"""``ZbarDecoder``: pyzbar, isolated in a persistent child process.

libzbar can abort the process it runs in on some inputs, so it runs in a worker process
(``zbar_worker.py``, started with ``spawn``: no copy of the station's threads or open
databases). When the worker dies or hangs, the frame it had is lost, :class:`DecoderError`
says so, and the next ``decode`` starts a fresh worker: the station keeps running.

What zbar cannot do, compared with zxing-cpp: no Data Matrix, Aztec or DataBar Limited; it
drops GS1-128's leading FNC1 (the payload arrives without it, and pyzbar does not expose
the modifiers that would say "GS1"), so AIM identifiers are given only where the symbol
type alone fixes them (EAN/UPC, DataBar). It is also slower: ~25-30 ms for a 720p frame,
and the worker adds nothing measurable to that (the round trip alone is ~0.2 ms; see
``benchmarks/frame_cost.py``).

``spawn`` imports the parent's main module in the worker: a script that uses this decoder
must keep its work under ``if __name__ == "__main__":`` (``scanner-app`` and
``python -m scanner_app`` do). Otherwise the worker fails to start and ``decode`` raises
:class:`DecoderError`, as for any dead worker.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np

from scanner_app.camera import zbar_worker
from scanner_app.camera.decoders import DecoderError, as_printed, to_grey
from scanner_app.camera.reads import Read, gs1_of
from scanner_app.camera.symbologies import ZBAR_IDENTIFIERS, zbar_name, zbar_symbols
from scanner_app.child_worker import ChildWorker, WorkerDied, WorkerTimedOut
from scanner_app.config import DEFAULT_CAMERA_FORMATS


class ZbarDecoder:
    name = "zbar"

    def __init__(self, formats: Sequence[str] = DEFAULT_CAMERA_FORMATS, timeout_s: float = 5.0) -> None:
        self.formats = tuple(formats)
        self._symbols = [int(s) for s in zbar_symbols(self.formats)]
        self.timeout_s = timeout_s
        self._worker = ChildWorker(zbar_worker.serve, (), "zbar-worker")

    @property
    def restarts(self) -> int:
        """Workers started after the first one died or hung."""
        return self._worker.restarts

    @property
    def worker_pid(self) -> int | None:
        return self._worker.pid

    def start(self) -> None:
        """Start the worker now (otherwise the first ``decode`` does)."""
        self._worker.start()

    def decode(self, image: np.ndarray, *, thorough: bool = False) -> list[Read]:
        grey = to_grey(image)
        reads = self._ask(grey, invert=False)
        if thorough and not reads:
            reads = self._ask(grey, invert=True)
        return reads

    def _ask(self, grey: np.ndarray, *, invert: bool) -> list[Read]:
        if not self._symbols:
            return []
        died = self._worker.died()
        if died is not False:
            self._worker.start()
            raise DecoderError(f"the zbar worker process had died (exit code {died}); a new one was started")
        height, width = grey.shape
        t0 = time.perf_counter()
        try:
            found: list[zbar_worker.Found] = self._worker.request(
                (width, height, grey.tobytes(), self._symbols, invert), self.timeout_s)
        except WorkerTimedOut as exc:
            raise DecoderError(f"zbar took longer than {self.timeout_s:g} s on a frame; "
                               "a new worker starts with the next frame") from exc
        except WorkerDied as exc:
            raise DecoderError(f"the zbar worker process died (exit code {exc.exit_code}); "
                               "a new one starts with the next frame") from exc
        elapsed_ms = (time.perf_counter() - t0) * 1000
        return [self._read(kind, data, rect, elapsed_ms) for kind, data, rect in found]

    @staticmethod
    def _read(kind: str, data: bytes, rect: tuple[int, int, int, int], elapsed_ms: float) -> Read:
        left, top, w, h = rect
        name, raw = as_printed(zbar_name(kind), data.decode("utf-8", errors="replace"), ())
        identifier = ZBAR_IDENTIFIERS.get(kind)
        return Read(format=name, raw=raw, symbology_identifier=identifier,
                    position=((left, top), (left + w, top), (left + w, top + h), (left, top + h)),
                    elapsed_ms=elapsed_ms, gs1=gs1_of(raw, identifier), payload=data)

    def close(self) -> None:
        self._worker.stop()
