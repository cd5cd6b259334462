"""Decode rate on real photos: the station's pipeline vs raw zxing-cpp vs raw pyzbar.

The photos are zxing-cpp's black-box samples kept in ``shared/benchmarks/zxing-samples``
(see its README): each image has a ``.txt`` (expected text, in zxing-cpp's plain form: GS1
separators as ASCII 29) or ``.bin`` (expected bytes); ``falsepositives-*`` hold images with
no barcode, where every read is a false positive. Per symbology (folders ``NAME-N``), in one
run over the same pixels:

- pipeline: ``camera.file_decoding.decode_file`` with the default formats, exactly what
  ``scanner-app decode`` does (fast pass, thorough pass, 2x upscale for small images);
- zxing-cpp: ``read_barcodes`` with its default options (every format, rotate, invert,
  downscale); its text taken in ``TextMode.Plain`` to compare with the expected files;
- pyzbar: ``decode`` with its defaults (every symbology zbar has), in this process.

A read counts when its text or bytes equal the expected ones; EAN/UPC digits compare by
GTIN-14, since the pipeline reports a UPC-A as its 12 printed digits and a UPC-E as its 8
where zxing-cpp gives 13.

Targets: the pipeline reads at least as many as zxing-cpp's defaults (``vs_zxing``, the
ratio of their totals, >= 1) and fewer on no symbology (``symbologies_worse`` = 0). Check:
nothing read on the false-positive images. ``--quick``: the first photo of each folder,
the targets not judged, and the check that the pipeline reads every one of them that
zxing-cpp reads; when the folder is missing, a quick run uses codes drawn by zxing-cpp's
writer in camera-like frames instead (tests/scanning/barcode_images.py), which a full run
does not (it fails).

    .venv/bin/python benchmarks/decode_samples.py [SAMPLES_DIR] [--quick]
        [--target decode_samples.vs_zxing=1] [--target decode_samples.symbologies_worse=0]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import cv2
import numpy as np
import zxingcpp
from pyzbar import pyzbar
from verdict import Target, Verdict, add_arguments

from scanner_app.camera.capture import quiet_video_logs
from scanner_app.camera.decoders import ZxingDecoder
from scanner_app.camera.file_decoding import decode_file
from scanner_app.codes import classify
from scanner_app.config import DEFAULT_CAMERA_FORMATS

DEFAULT_SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "zxing-samples"
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp", ".pgm", ".tif"}
COLUMNS = ("pipeline", "zxing-cpp", "pyzbar")
Found = list[tuple[str, bytes]]  # (text, bytes) of each read
TARGETS = [Target("vs_zxing", ">=", 1.0, "pipeline reads / zxing-cpp defaults' reads"),
           Target("symbologies_worse", "<=", 0, "symbologies the pipeline reads fewer of than zxing-cpp")]


def images(samples: Path, quick: bool) -> list[tuple[str, Path]]:
    """(symbology, path) of each image: every one, or the first of each folder (quick)."""
    found = []
    for folder in sorted(p for p in samples.iterdir() if p.is_dir()):
        paths = sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        found += [(folder.name.rsplit("-", 1)[0], path) for path in (paths[:1] if quick else paths)]
    return found


def generate_samples(folder: Path) -> Path:
    """The samples' layout with codes drawn by zxing-cpp's writer in camera-like frames (the
    tests' generator), and a frame with no code, for a machine without the photos."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.scanning.barcode_images import SAMPLES, camera_look, photo, scene, symbol

    for name, (fmt, content, raw) in SAMPLES.items():
        (folder / f"{name}-1").mkdir(parents=True)
        image = photo(symbol(fmt, content, scale=3), size=(1280, 720))  # 720p: DataBar Expanded is 747 px wide
        cv2.imwrite(str(folder / f"{name}-1" / "1.png"), image)
        (folder / f"{name}-1" / "1.txt").write_text(raw, encoding="utf-8")
    (folder / "falsepositives-1").mkdir()
    cv2.imwrite(str(folder / "falsepositives-1" / "1.png"), camera_look(scene(1280, 720)))
    return folder


def load(path: Path) -> np.ndarray | None:
    """The pixels every decoder gets: OpenCV's image reader, else its video reader (some
    tiny WebP files only open that way), as ``decode_file`` does."""
    image = cv2.imread(str(path), cv2.IMREAD_COLOR)
    if image is not None:
        return image
    capture = cv2.VideoCapture(str(path))
    ok, frame = capture.read()
    capture.release()
    return frame if ok else None


def same(text: str, data: bytes, expected_text: str | None, expected_bytes: bytes | None) -> bool:
    if expected_bytes is not None and data == expected_bytes:
        return True
    if expected_text is None:
        return False
    if text == expected_text:
        return True
    if text.isdigit() and expected_text.isdigit():
        mine, theirs = classify(text).gtin14, classify(expected_text).gtin14
        return mine is not None and mine == theirs
    return False


def run_pipeline(path: Path, decoder: ZxingDecoder) -> Found:
    return [(r.read.raw, r.read.payload) for r in decode_file(path, decoder).reads]


def run_zxing(image: np.ndarray) -> Found:
    return [(b.text, b.bytes) for b in zxingcpp.read_barcodes(image, text_mode=zxingcpp.TextMode.Plain)]


def run_pyzbar(image: np.ndarray) -> Found:
    grey = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    return [(d.data.decode("utf-8", errors="replace"), bytes(d.data)) for d in pyzbar.decode(grey)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("samples", nargs="?", type=Path, default=DEFAULT_SAMPLES)
    add_arguments(parser)
    args = parser.parse_args()
    verdict = Verdict.from_args("decode_samples", TARGETS, args)
    with tempfile.TemporaryDirectory() as tmp:
        samples = args.samples
        if not samples.is_dir():
            if not args.quick:
                verdict.check(f"the sample photos are at {samples}", False, "missing")
                verdict.finish()
            samples = generate_samples(Path(tmp) / "generated")
            print(f"no photos at {args.samples}: codes drawn by zxing-cpp's writer instead ({samples})")
        run(samples, args.quick, verdict)
    verdict.finish()


def run(samples: Path, quick: bool, verdict: Verdict) -> None:
    quiet_video_logs()
    decoder = ZxingDecoder(DEFAULT_CAMERA_FORMATS)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    timings: dict[str, list[float]] = defaultdict(list)
    unloadable: list[str] = []
    missed: list[str] = []  # images zxing-cpp read and the pipeline did not
    for symbology, path in images(samples, quick):
        image = load(path)
        if image is None:
            unloadable.append(str(path.relative_to(samples)))
            continue
        txt, binary = path.with_suffix(".txt"), path.with_suffix(".bin")
        expected_text = txt.read_text(encoding="utf-8") if txt.exists() else None
        expected_bytes = binary.read_bytes() if binary.exists() else None
        counts[symbology]["images"] += 1
        read: dict[str, int] = {}
        # each lambda is called within this iteration, so the loop's variables are the right ones
        for column, decode in (("pipeline", lambda: run_pipeline(path, decoder)),  # noqa: B023
                               ("zxing-cpp", lambda: run_zxing(image)), ("pyzbar", lambda: run_pyzbar(image))):  # noqa: B023
            t0 = time.perf_counter()
            found = decode()
            timings[column].append((time.perf_counter() - t0) * 1000)
            if symbology == "falsepositives":
                read[column] = len(found)
            else:
                read[column] = any(same(t, b, expected_text, expected_bytes) for t, b in found)
            counts[symbology][column] += read[column]
        if symbology != "falsepositives" and read["zxing-cpp"] and not read["pipeline"]:
            missed.append(str(path.relative_to(samples)))
    report(counts, timings, unloadable)
    totals = {c: sum(row[c] for s, row in counts.items() if s != "falsepositives") for c in COLUMNS}
    worse = [s for s, row in counts.items() if s != "falsepositives" and row["pipeline"] < row["zxing-cpp"]]
    fp = counts["falsepositives"]
    verdict.check("nothing read on the images with no code", fp["pipeline"] == 0,
                  f"{fp['pipeline']} reads on {fp['images']} images")
    if quick:
        verdict.check("the pipeline reads every image zxing-cpp reads", not missed, ", ".join(missed))
    if worse:
        print(f"fewer than zxing-cpp on: {', '.join(sorted(worse))}")
    verdict.judge("vs_zxing", totals["pipeline"] / max(1, totals["zxing-cpp"]))
    verdict.judge("symbologies_worse", len(worse))


def report(counts: dict[str, dict[str, int]], timings: dict[str, list[float]], unloadable: list[str]) -> None:
    print(f"{'symbology':<16}{'images':>7}" + "".join(f"{c:>11}" for c in COLUMNS))
    totals = dict.fromkeys(COLUMNS, 0)
    images = 0
    for symbology, row in sorted(counts.items()):
        if symbology == "falsepositives":
            continue
        images += row["images"]
        for c in COLUMNS:
            totals[c] += row[c]
        print(f"{symbology:<16}{row['images']:>7}" + "".join(f"{row[c]:>11}" for c in COLUMNS))
    print(f"{'total read':<16}{images:>7}" + "".join(f"{totals[c]:>11}" for c in COLUMNS))
    print(f"{'rate':<16}{'':>7}" + "".join(f"{totals[c] / images:>10.1%} " for c in COLUMNS))
    fp = counts["falsepositives"]
    print(f"{'false positives':<16}{fp['images']:>7}" + "".join(f"{fp[c]:>11}" for c in COLUMNS) + "  (reads on images with no code)")
    print(f"{'median ms/image':<16}{'':>7}" + "".join(f"{statistics.median(timings[c]):>11.2f}" for c in COLUMNS))
    if unloadable:
        print(f"not loadable by OpenCV (skipped): {', '.join(unloadable)}")
    ratio = totals["pipeline"] / max(1, totals["zxing-cpp"])
    print(f"pipeline / zxing-cpp defaults = {ratio:.3f} (baseline: raw zxing-cpp in this process)")


if __name__ == "__main__":
    main()
