"""Decode rate on real photos: the station's pipeline vs raw zxing-cpp vs raw pyzbar.

The photos are zxing-cpp's black-box samples kept in ``shared/benchmarks/zxing-samples``
(see its README): each image has a ``.txt`` (expected text, in zxing-cpp's plain form: GS1
separators as ASCII 29) or ``.bin`` (expected bytes); ``falsepositives-*`` hold images with
no barcode, where every read is a false positive. Per symbology (folders ``NAME-N``), in one
run over the same pixels:

- pipeline: ``scanning.file_decoding.decode_file`` with the default formats, exactly what
  ``scanner-app decode`` does (fast pass, thorough pass, 2x upscale for small images);
- zxing-cpp: ``read_barcodes`` with its default options (every format, rotate, invert,
  downscale); its text taken in ``TextMode.Plain`` to compare with the expected files;
- pyzbar: ``decode`` with its defaults (every symbology zbar has), in this process.

A read counts when its text or bytes equal the expected ones; EAN/UPC digits compare by
GTIN-14, since the pipeline reports a UPC-A as its 12 printed digits and a UPC-E as its 8
where zxing-cpp gives 13. PASS: the pipeline reads at least as many as zxing-cpp's
defaults, and nothing on the false-positive images.

    .venv/bin/python benchmarks/decode_samples.py [SAMPLES_DIR]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import defaultdict
from pathlib import Path

import cv2
import numpy as np
import zxingcpp
from pyzbar import pyzbar

from scanner_app.codes import classify
from scanner_app.config import DEFAULT_CAMERA_FORMATS
from scanner_app.scanning.capture import quiet_video_logs
from scanner_app.scanning.decoders import ZxingDecoder
from scanner_app.scanning.file_decoding import decode_file

DEFAULT_SAMPLES = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "zxing-samples"
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp", ".pgm", ".tif"}
COLUMNS = ("pipeline", "zxing-cpp", "pyzbar")
Found = list[tuple[str, bytes]]  # (text, bytes) of each read


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
    args = parser.parse_args()
    if not args.samples.is_dir():
        raise SystemExit(f"no samples folder at {args.samples}")
    quiet_video_logs()
    decoder = ZxingDecoder(DEFAULT_CAMERA_FORMATS)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    timings: dict[str, list[float]] = defaultdict(list)
    unloadable: list[str] = []
    for folder in sorted(p for p in args.samples.iterdir() if p.is_dir()):
        symbology = folder.name.rsplit("-", 1)[0]
        for path in sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES):
            image = load(path)
            if image is None:
                unloadable.append(str(path.relative_to(args.samples)))
                continue
            txt, binary = path.with_suffix(".txt"), path.with_suffix(".bin")
            expected_text = txt.read_text(encoding="utf-8") if txt.exists() else None
            expected_bytes = binary.read_bytes() if binary.exists() else None
            counts[symbology]["images"] += 1
            for column, decode in (("pipeline", lambda: run_pipeline(path, decoder)),
                                   ("zxing-cpp", lambda: run_zxing(image)), ("pyzbar", lambda: run_pyzbar(image))):
                t0 = time.perf_counter()
                found = decode()
                timings[column].append((time.perf_counter() - t0) * 1000)
                if symbology == "falsepositives":
                    counts[symbology][column] += len(found)
                else:
                    counts[symbology][column] += any(same(t, b, expected_text, expected_bytes) for t, b in found)
    report(counts, timings, unloadable)


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
    worse = [s for s, row in counts.items() if s != "falsepositives" and row["pipeline"] < row["zxing-cpp"]]
    ok = totals["pipeline"] >= totals["zxing-cpp"] and fp["pipeline"] == 0 and not worse
    print("PASS" if ok else f"FAIL (fewer than zxing-cpp on: {worse}; false positives: {fp['pipeline']})")


if __name__ == "__main__":
    main()
