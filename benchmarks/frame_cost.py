"""Per-frame decoding cost at 640x480 and 1280x720, frames with and without a code.

Frames are camera-like, made by the tests' generator: a cluttered grey scene, lens blur,
sensor noise and an MJPG webcam's JPEG compression (quality 80); the code is an EAN-13 at
the centre. Two noise levels: 3 grey levels (a webcam in a lit room) and 6 (dim light, high
gain), since zxing-cpp's local-average binariser gets several times slower once noise
crosses its contrast threshold. Per case: the station's strategy over a run of frames
(``camera/frame_passes.py``: fast pass on every frame, thorough pass when idle, within a
budget), the fast pass alone (and with zxing-cpp's local-average binariser only, what it
would cost without its cheap first try), the thorough pass alone, zbar through its worker process and the
worker's round trip alone, and zxing-cpp's default options as the same-process baseline.
Median and p95 in ms, pinned to one core where the OS allows.

Target: the station's strategy under 10 ms median on a 720p frame (the worst of the 720p
cases), so 30 fps leaves most of a core free. Check: every decoder reads the code, and
only it, on the frames with one, and nothing on the frames without. ``--quick``: 4 frames
a case, the target not judged.

    .venv/bin/python benchmarks/frame_cost.py [--frames 90] [--quick] [--target frame_cost.median_720p_ms=10]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import zxingcpp

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the tests' frame generator

from catalogue import percentile
from verdict import Target, Verdict, add_arguments, sizes

from scanner_app.camera.decoders import ZxingDecoder
from scanner_app.camera.frame_passes import PassScheduler, decode_frame
from scanner_app.camera.symbologies import zxing_formats
from scanner_app.camera.zbar_decoder import ZbarDecoder
from scanner_app.config import DEFAULT_CAMERA_FORMATS
from tests.scanning.barcode_images import F, camera_look, place, scene, symbol

TEXT = "4000001100118"
CODE = symbol(F.EAN13, TEXT, scale=3)
TARGETS = [Target("median_720p_ms", "<", 10.0, "station strategy, worst median of the 720p cases, ms")]


def frames(size: tuple[int, int], with_code: bool, noise: float, count: int) -> list[np.ndarray]:
    """``count`` frames differing in their noise, as successive camera frames do."""
    background = scene(*size)
    if with_code:
        background = place(background, CODE, (size[0] // 2, size[1] // 2))
    distinct = [camera_look(background, seed=n, noise=noise, jpeg_quality=80) for n in range(6)]
    return [distinct[n % len(distinct)] for n in range(count)]


def timed(run: Callable[[np.ndarray], object], batch: list[np.ndarray]) -> list[float]:
    run(batch[0])  # warm up
    out = []
    for frame in batch:
        t0 = time.perf_counter()
        run(frame)
        out.append((time.perf_counter() - t0) * 1000)
    return out


def read_texts(result: object) -> list[str]:
    """The texts of a decoder's reads (the station's reads or zxing-cpp's barcodes)."""
    reads = result[0] if isinstance(result, tuple) else result
    return [getattr(r, "raw", None) or r.text for r in reads]  # type: ignore[union-attr]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--frames", type=int, help="frames a case: default 90 (quick: 4)")
    add_arguments(parser)
    args = parser.parse_args()
    sizes(args, frames=(90, 4))
    verdict = Verdict.from_args("frame_cost", TARGETS, args)
    wrong: list[str] = []
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})
    zxing, zbar = ZxingDecoder(DEFAULT_CAMERA_FORMATS), ZbarDecoder(DEFAULT_CAMERA_FORMATS)
    formats = zxing_formats(DEFAULT_CAMERA_FORMATS)
    tiny = np.zeros((1, 1), np.uint8)
    station: dict[str, float] = {}
    print(f"{'frame':<26}{'decoder / pass':<26}{'median':>8}{'p95':>8}{'mean':>8}{'reads':>6}  (ms)")
    try:
        for noise in (3.0, 6.0):
            for size in ((640, 480), (1280, 720)):
                for with_code in (True, False):
                    batch = frames(size, with_code, noise, args.frames)
                    label = f"{size[0]}x{size[1]} {'code' if with_code else 'no code'} noise {noise:g}"
                    scheduler, station_zxing, fast_zxing = PassScheduler(), ZxingDecoder(), ZxingDecoder()
                    # the runs are timed within this iteration, so the loop's decoders are the right ones
                    runs: list[tuple[str, Callable[[np.ndarray], object]]] = [
                        ("station strategy", lambda f: decode_frame(station_zxing, f, scheduler)),  # noqa: B023
                        ("zxing fast pass", lambda f: fast_zxing.decode(f)),  # noqa: B023
                        ("fast, local average only", lambda f: zxingcpp.read_barcodes(
                            f, formats=formats, try_rotate=False, try_invert=False, try_downscale=False)),
                        ("zxing thorough pass", lambda f: zxing.decode(f, thorough=True)),
                        ("zbar (worker process)", lambda f: zbar.decode(f)),
                        ("zbar round trip alone", lambda f: zbar._ask(tiny, invert=False)),
                        ("zxing-cpp defaults", lambda f: zxingcpp.read_barcodes(f)),
                    ]
                    for name, run in runs:
                        ms = timed(run, batch)
                        if name == "station strategy":
                            station[label] = statistics.median(ms)
                        texts = read_texts(run(batch[0]))
                        if name != "zbar round trip alone" and texts != ([TEXT] if with_code else []):
                            wrong.append(f"{name} on {label}: {texts}")
                        print(f"{label:<26}{name:<26}{statistics.median(ms):>8.2f}{percentile(ms, 95):>8.2f}"
                              f"{statistics.fmean(ms):>8.2f}{len(texts):>6}")
    finally:
        zbar.close()
    for noise in ("3", "6"):
        worst = max(v for k, v in station.items() if k.startswith("1280x720") and k.endswith(f"noise {noise}"))
        print(f"720p station strategy, noise {noise}: worst median {worst:.2f} ms")
    worst = max(v for k, v in station.items() if k.startswith("1280x720"))
    verdict.check("every decoder reads the code, and only it, where there is one, and nothing elsewhere",
                  not wrong, "; ".join(wrong))
    verdict.judge("median_720p_ms", worst)
    verdict.finish()


if __name__ == "__main__":
    main()
